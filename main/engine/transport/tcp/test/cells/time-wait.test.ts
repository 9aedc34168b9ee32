// State-table cells: TIME_WAIT (a timewait sock in the established hash).
import { describe, expect, it } from 'vitest';
import { MS, PEER_ISN, script, SEC } from './script';

// tcp_timewait_state_process, substate TIME_WAIT (tcp_minisocks.c:99-260; README rows 4, 34):
//  - seq == rcv_nxt and (no text or RST): an RST kills the entry (tcp_rfc1337=0), a bare ACK
//    restarts the 60 s timer; nothing is sent;
//  - a SYN (no RST/ACK) with seq after rcv_nxt, or with a newer timestamp, is accepted: the
//    listener answers with ISN = tw_snd_nxt + 65535 + 2 (TCP_TW_SYN);
//  - anything else that is not an RST is ACKed (tcp_v4_timewait_ack: seq tw_snd_nxt, ack tw_rcv_nxt,
//    window tw_rcv_wnd >> wscale, TS) and, if it had ACK, restarts the timer; other RSTs: ignored.
// The entry lives TCP_TIMEWAIT_LEN = 60 s.
describe('TIME_WAIT', () => {
  it('TIME_WAIT: retransmitted FIN -> ACK with the last window, timer restarted', () => {
    // stack bug, reported: the ACK advertises window 0 (tcp_v4_timewait_ack sends tw_rcv_wnd).
    const h = script().toFinWait2();
    h.send({ flags: 'F.' });
    const first = h.expectSent({ flags: '.', seq: 2, ack: 2 });
    expect(h.state()).toBe('TIME_WAIT');
    h.advance(30 * SEC);
    h.send({ flags: 'F.', seq: 1 });
    h.expectSent({ flags: '.', seq: 2, ack: 2, win: first.win, opts: ['nop', 'nop', 'timestamp'] });
    h.expectNothing(59 * SEC);
    expect(h.state()).toBe('TIME_WAIT'); // 89 s after entering, 59 s after the restart
    h.expectNothing(2 * SEC);
    expect(h.state()).toBe('CLOSED');
  });

  it('TIME_WAIT: 60 s pass -> entry removed silently; a later segment gets R seq=SEG.ACK', () => {
    const h = script().toTimeWait();
    h.expectNothing(59 * SEC);
    expect(h.state()).toBe('TIME_WAIT');
    expect(h.row()?.timer).toMatchObject({ kind: 'timewait' });
    h.expectNothing(2 * SEC);
    expect(h.state()).toBe('CLOSED');
    const d = h.send({ flags: '.', seq: 2, ack: 2 });
    h.expectSent({ flags: 'R', seq: 2, win: 0, opts: [] });
    expect(d.drops).toEqual(['NO_SOCKET']);
  });

  it('TIME_WAIT: RST at rcv_nxt -> entry killed (tcp_rfc1337=0), nothing sent', () => {
    const h = script().toTimeWait();
    h.send({ flags: 'R', seq: 2 });
    h.expectNothing();
    expect(h.state()).toBe('CLOSED');
  });

  it('TIME_WAIT: RST at rcv_nxt with tcp_rfc1337=1 -> ignored', () => {
    const h = script({ sysctl: { 'net.ipv4.tcp_rfc1337': '1' } }).toTimeWait();
    h.send({ flags: 'R', seq: 2 });
    h.expectNothing();
    expect(h.state()).toBe('TIME_WAIT');
  });

  it('TIME_WAIT: RST not at rcv_nxt -> ignored, entry kept', () => {
    // stack bug, reported: any RST kills the entry.
    const h = script().toTimeWait();
    h.send({ flags: 'R', seq: 50 });
    h.expectNothing();
    expect(h.state()).toBe('TIME_WAIT');
  });

  it('TIME_WAIT: bare ACK at rcv_nxt -> nothing sent, timer restarted', () => {
    // stack bug, reported: the ACK is ignored without restarting the 60 s timer.
    const h = script().toTimeWait();
    h.advance(30 * SEC);
    h.send({ flags: '.', seq: 2, ack: 2 });
    h.expectNothing(59 * SEC);
    expect(h.state()).toBe('TIME_WAIT');
  });

  // The passive side closed first, so the server holds TIME_WAIT while its listener still listens.
  it('TIME_WAIT: SYN with a higher seq -> new incarnation, SYN-ACK with ISN = tw_snd_nxt + 65537', () => {
    const h = script().toTimeWait();
    const oldIsn = h.mine.isn!;
    h.advance(SEC);
    h.newIncarnation(PEER_ISN + 100_000);
    h.send({ flags: 'S' });
    const sa = h.expectSent({ flags: 'S.', seq: 0, ack: 1 });
    expect(sa.rawSeq).toBe((oldIsn + 2 + 65537) >>> 0);
    expect(h.state()).toBe('SYN_RECV');
  });

  it('TIME_WAIT: SYN with a lower seq but a newer timestamp -> new incarnation', () => {
    // stack bug, reported: only a higher sequence number reopens; the timestamp rule is missing.
    const h = script().toTimeWait();
    const oldIsn = h.mine.isn!;
    h.advance(SEC);
    h.newIncarnation(PEER_ISN - 100_000);
    h.send({ flags: 'S' });
    const sa = h.expectSent({ flags: 'S.', seq: 0, ack: 1 });
    expect(sa.rawSeq).toBe((oldIsn + 2 + 65537) >>> 0);
    expect(h.state()).toBe('SYN_RECV');
  });

  it('TIME_WAIT: SYN with a lower seq and no timestamp -> ACK, entry kept', () => {
    // stack bug, reported: the old SYN is ignored instead of ACKed.
    const h = script().toTimeWait();
    h.advance(SEC);
    h.send({ flags: 'S', rawSeq: PEER_ISN - 100_000, opts: { mss: 1460, sackPerm: true, wscale: 7 } });
    h.expectSent({ flags: '.', seq: 2, ack: 2 });
    expect(h.state()).toBe('TIME_WAIT');
  });

  it('TIME_WAIT: data -> ACK seq=tw_snd_nxt ack=tw_rcv_nxt, entry kept', () => {
    const h = script().toTimeWait();
    h.advance(10 * MS);
    h.send({ flags: 'P.', seq: 2, ack: 2, data: 10 });
    h.expectSent({ flags: '.', seq: 2, ack: 2 });
    expect(h.state()).toBe('TIME_WAIT');
  });
});
