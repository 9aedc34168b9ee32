// State-table cells: FIN_WAIT1, FIN_WAIT2, CLOSING, CLOSE_WAIT, LAST_ACK.
import { describe, expect, it } from 'vitest';
import { MS, script, SEC } from './script';

// tcp_rcv_state_process step 5 (tcp_input.c): FIN_WAIT1 + ACK of our FIN -> FIN_WAIT2 (an orphan
// goes to tcp_time_wait(TCP_FIN_WAIT2, tcp_fin_time) at once: a timewait sock in substate
// FIN_WAIT2); CLOSING + ACK of FIN -> tcp_time_wait; LAST_ACK + ACK of FIN -> tcp_done.
// Step 7: CLOSE_WAIT/CLOSING/LAST_ACK ignore text at or beyond rcv_nxt; older text (a
// retransmitted FIN) falls through to tcp_data_queue, which ACKs it at once (with D-SACK);
// FIN_WAIT1/2 with RCV_SHUTDOWN and new data -> TCPAbortOnData, tcp_reset and `R seq=SEG.ACK`
// (README row 28). tcp_fin: FIN_WAIT1 -> ACK + CLOSING, FIN_WAIT2 -> ACK + TIME_WAIT.
// tcp_validate_incoming: tcp_reset_check also accepts an RST at rcv_nxt - 1 in CLOSE_WAIT,
// CLOSING and LAST_ACK (the peer's FIN already counted).
describe('FIN_WAIT1', () => {
  it('FIN_WAIT1: ACK of our FIN -> FIN_WAIT2, nothing sent', () => {
    const h = script().toFinWait1();
    h.advance(MS);
    const d = h.send({ flags: '.', ack: 2 });
    h.expectNothing();
    expect(d.drops).toEqual([]);
    expect(h.state()).toBe('FIN_WAIT2');
  });

  it('FIN_WAIT1: ACK not covering our FIN -> stays FIN_WAIT1', () => {
    const h = script().toFinWait1();
    h.send({ flags: '.', ack: 1 });
    h.expectNothing();
    expect(h.state()).toBe('FIN_WAIT1');
  });

  it('FIN_WAIT1: FIN not acking ours (simultaneous close) -> ACK, CLOSING', () => {
    const h = script().toFinWait1();
    h.send({ flags: 'F.', ack: 1 });
    h.expectSent({ flags: '.', seq: 2, ack: 2 });
    expect(h.state()).toBe('CLOSING');
  });

  it('FIN_WAIT1: FIN acking ours -> ACK, TIME_WAIT', () => {
    const h = script().toFinWait1();
    h.send({ flags: 'F.', ack: 2 });
    h.expectSent({ flags: '.', seq: 2, ack: 2 });
    expect(h.state()).toBe('TIME_WAIT');
  });

  it('FIN_WAIT1 (after shutdown(SHUT_WR)): data -> queued and ACKed, readable', () => {
    const h = script().toFinWait1({ by: 'shutdown' });
    h.send({ flags: 'P.', ack: 1, data: 10 });
    h.expectSent({ flags: '.', seq: 2, ack: 11 });
    expect(h.state()).toBe('FIN_WAIT1');
    expect(h.read()).toBe('10 bytes');
  });

  it('FIN_WAIT1 (after close()): data -> R seq=SEG.ACK, connection gone (TCPAbortOnData)', () => {
    const h = script().toFinWait1();
    const d = h.send({ flags: 'P.', ack: 1, data: 10 });
    h.expectSent({ flags: 'R', seq: 1, win: 0, opts: [] });
    expect(d.counters).toMatchObject({ TcpExtTCPAbortOnData: 1 });
    expect(h.state()).toBe('CLOSED');
  });

  it('FIN_WAIT1 (after shutdown(SHUT_RDWR)): data -> R seq=SEG.ACK, ECONNRESET (RCV_SHUTDOWN)', () => {
    // stack bug, reported: only an orphaned socket resets; shutdown(SHUT_RD) also sets RCV_SHUTDOWN.
    const h = script().toEstablished();
    expect(h.shutdown('rdwr')).toBe('0');
    h.expectSent({ flags: 'F.', seq: 1, ack: 1 });
    const d = h.send({ flags: 'P.', ack: 1, data: 10 });
    h.expectSent({ flags: 'R', seq: 1, win: 0, opts: [] });
    expect(d.counters).toMatchObject({ TcpExtTCPAbortOnData: 1 });
    expect(h.state()).toBe('CLOSED');
    expect(h.soError()).toBe('ECONNRESET');
  });

  it('FIN_WAIT1: RST in window but not at rcv_nxt -> challenge ACK', () => {
    const h = script().toFinWait1();
    const d = h.send({ flags: 'R', seq: 100 });
    h.expectSent({ flags: '.', seq: 2, ack: 1 });
    expect(d.counters).toMatchObject({ TcpExtTCPChallengeACK: 1 });
    expect(h.state()).toBe('FIN_WAIT1');
  });

  it('FIN_WAIT1: FIN unacknowledged -> FIN retransmitted after RTO (~201 ms)', () => {
    const h = script().toFinWait1({ active: true });
    const rtx = h.expectSent({ flags: 'F.', seq: 1, ack: 1 }, { within: 2 * SEC });
    expect(rtx.elapsed / MS).toBeGreaterThanOrEqual(195);
    expect(rtx.elapsed / MS).toBeLessThanOrEqual(260);
    expect(h.state()).toBe('FIN_WAIT1');
  });
});

describe('FIN_WAIT2', () => {
  it('FIN_WAIT2: FIN -> ACK, TIME_WAIT', () => {
    const h = script().toFinWait2();
    const d = h.send({ flags: 'F.' });
    h.expectSent({ flags: '.', seq: 2, ack: 2 });
    expect(d.drops).toEqual([]);
    expect(h.state()).toBe('TIME_WAIT');
  });

  it('FIN_WAIT2 (after shutdown(SHUT_WR)): data -> queued and ACKed, readable', () => {
    const h = script().toFinWait2({ by: 'shutdown' });
    h.send({ flags: 'P.', data: 10 });
    h.expectSent({ flags: '.', seq: 2, ack: 11 });
    expect(h.read()).toBe('10 bytes');
    expect(h.state()).toBe('FIN_WAIT2');
  });

  it('FIN_WAIT2 (after close()): data -> R seq=SEG.ACK, connection gone', () => {
    const h = script().toFinWait2();
    h.send({ flags: 'P.', data: 9 });
    h.expectSent({ flags: 'R', seq: 2, win: 0, opts: [] });
    expect(h.state()).toBe('CLOSED');
  });

  it('FIN_WAIT2 (after shutdown(SHUT_WR)): RST in window but not at rcv_nxt -> challenge ACK', () => {
    const h = script().toFinWait2({ by: 'shutdown' });
    h.send({ flags: 'R', seq: 100 });
    h.expectSent({ flags: '.', seq: 2, ack: 1 });
    expect(h.state()).toBe('FIN_WAIT2');
  });

  // tcp_timewait_state_process, substate FIN_WAIT2: `if (th->rst) goto kill;` for any in-window RST.
  it('FIN_WAIT2 (after close()): RST in window but not at rcv_nxt -> connection removed silently', () => {
    // stack bug, reported: the orphan stays a full socket and answers with a challenge ACK.
    const h = script().toFinWait2();
    h.send({ flags: 'R', seq: 100 });
    h.expectNothing();
    expect(h.state()).toBe('CLOSED');
  });

  // Same substate: `if (th->syn && !before(seq, rcv_nxt)) return TCP_TW_RST;` -> tcp_v4_send_reset
  // and inet_twsk_deschedule_put.
  it('FIN_WAIT2 (after close()): SYN in window -> R. ack SEG.SEQ+1, connection removed', () => {
    // stack bug, reported: same root cause (challenge ACK from the full socket instead).
    const h = script().toFinWait2();
    h.send({ flags: 'S', seq: 1 });
    h.expectSent({ flags: 'R.', rawSeq: 0, ack: 2, win: 0, opts: [] });
    expect(h.state()).toBe('CLOSED');
  });

  it('FIN_WAIT2 (after close()): no FIN for tcp_fin_timeout (60 s) -> removed silently', () => {
    const h = script().toFinWait2();
    h.expectNothing(59 * SEC);
    expect(h.state()).toBe('FIN_WAIT2');
    h.expectNothing(2 * SEC);
    expect(h.state()).toBe('CLOSED');
  });

  it('FIN_WAIT2 (after shutdown(SHUT_WR)): no timer -> still FIN_WAIT2 after 120 s', () => {
    const h = script().toFinWait2({ by: 'shutdown' });
    h.expectNothing(120 * SEC);
    expect(h.state()).toBe('FIN_WAIT2');
  });
});

describe('CLOSING', () => {
  it('CLOSING: ACK of our FIN -> TIME_WAIT, nothing sent', () => {
    const h = script().toClosing();
    h.send({ flags: '.', ack: 2 });
    h.expectNothing();
    expect(h.state()).toBe('TIME_WAIT');
  });

  it('CLOSING: retransmitted FIN -> ACK', () => {
    // stack bug, reported: segments with text in CLOSE_WAIT/CLOSING/LAST_ACK are dropped unanswered.
    const h = script().toClosing();
    h.send({ flags: 'F.', seq: 1, ack: 1 });
    h.expectSent({ flags: '.', seq: 2, ack: 2 });
    expect(h.state()).toBe('CLOSING');
  });

  it('CLOSING: our FIN unacknowledged -> FIN retransmitted after RTO', () => {
    const h = script().toClosing({ active: true });
    const rtx = h.expectSent({ flags: 'F.', seq: 1, ack: 2 }, { within: 2 * SEC });
    expect(rtx.elapsed / MS).toBeGreaterThanOrEqual(195);
    expect(rtx.elapsed / MS).toBeLessThanOrEqual(260);
  });
});

describe('CLOSE_WAIT', () => {
  it('CLOSE_WAIT: retransmitted FIN -> ACK', () => {
    // stack bug, reported: see CLOSING; the peer whose ACK was lost never hears one again.
    const h = script().toCloseWait();
    const d = h.send({ flags: 'F.', seq: 1 });
    h.expectSent({ flags: '.', seq: 1, ack: 2 });
    expect(d.drops).toEqual(['TCP_OLD_DATA']);
    expect(h.state()).toBe('CLOSE_WAIT');
  });

  it('CLOSE_WAIT: data beyond the FIN -> ignored, nothing sent', () => {
    const h = script().toCloseWait();
    h.send({ flags: 'P.', seq: 2, data: 10 });
    h.expectNothing(500 * MS);
    expect(h.row()).toMatchObject({ recvQ: 0 });
    expect(h.state()).toBe('CLOSE_WAIT');
  });

  it('CLOSE_WAIT: RST at rcv_nxt -> CLOSED, the pending error is EPIPE', () => {
    const h = script().toCloseWait();
    h.send({ flags: 'R', seq: 2 });
    h.expectNothing();
    expect(h.state()).toBe('CLOSED');
    expect(h.write(5)).toBe('EPIPE');
  });

  it('CLOSE_WAIT: RST at rcv_nxt - 1 -> reset accepted (tcp_reset_check)', () => {
    // stack bug, reported: answered with a challenge ACK.
    const h = script().toCloseWait();
    h.send({ flags: 'R', seq: 1 });
    h.expectNothing();
    expect(h.state()).toBe('CLOSED');
  });

  it('CLOSE_WAIT: application writes -> data sent; close() -> FIN, LAST_ACK', () => {
    const h = script().toCloseWait();
    expect(h.write(10)).toBe('10');
    h.expectSent({ flags: 'P.', seq: 1, ack: 2, len: 10 });
    expect(h.close()).toBe('0');
    h.expectSent({ flags: 'F.', seq: 11, ack: 2 });
    expect(h.state()).toBe('LAST_ACK');
  });
});

describe('LAST_ACK', () => {
  it('LAST_ACK: ACK of our FIN -> CLOSED, no TIME_WAIT', () => {
    const h = script().toLastAck();
    h.advance(MS);
    const d = h.send({ flags: '.', ack: 2 });
    h.expectNothing();
    expect(d.drops).toEqual([]);
    expect(h.state()).toBe('CLOSED');
    expect(h.machine.sockets().filter((r) => r.proto === 'tcp' && r.state !== 'LISTEN')).toEqual([]);
  });

  it('LAST_ACK: ACK not covering our FIN -> stays LAST_ACK', () => {
    const h = script().toLastAck();
    h.send({ flags: '.', ack: 1 });
    h.expectNothing();
    expect(h.state()).toBe('LAST_ACK');
  });

  it('LAST_ACK: FIN unacknowledged -> FIN retransmitted after RTO', () => {
    const h = script().toLastAck({ active: true });
    const rtx = h.expectSent({ flags: 'F.', seq: 1, ack: 2 }, { within: 2 * SEC });
    expect(rtx.elapsed / MS).toBeGreaterThanOrEqual(195);
    expect(rtx.elapsed / MS).toBeLessThanOrEqual(260);
  });

  it('LAST_ACK: RST at rcv_nxt -> CLOSED', () => {
    const h = script().toLastAck();
    h.send({ flags: 'R', seq: 2 });
    h.expectNothing();
    expect(h.state()).toBe('CLOSED');
  });

  it('LAST_ACK: RST at rcv_nxt - 1 -> reset accepted (tcp_reset_check)', () => {
    // stack bug, reported: answered with a challenge ACK.
    const h = script().toLastAck();
    h.send({ flags: 'R', seq: 1 });
    h.expectNothing();
    expect(h.state()).toBe('CLOSED');
  });
});
