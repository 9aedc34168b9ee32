// State-table cells: SYN_RECV as a request sock (passive open, before the child socket exists).
import { describe, expect, it } from 'vitest';
import { PEER_PORT, script, SEC } from './script';

// tcp_check_req (tcp_minisocks.c), reached from tcp_v4_rcv for a TCP_NEW_SYN_RECV entry:
//  1. a pure retransmitted SYN (seq == rcv_isn) -> SYN-ACK again (inet_rtx_syn_ack);
//  2. ACK set and SEG.ACK != snt_isn + 1 -> `return sk`: the listener answers `R seq=SEG.ACK`
//     (README row 25), the request stays;
//  3. !tcp_in_window(seq, end_seq, rcv_nxt, rcv_nxt + synack window) -> ACK (tcp_v4_reqsk_send_ack:
//     seq snt_isn+1, ack rcv_nxt) unless it is an RST; the request stays;
//  4. RST or SYN in the window -> embryonic_reset: RST answered with nothing, SYN with
//     tcp_v4_send_reset (`R. seq 0 ack SEG.SEQ+1`); the request is unlinked (EmbryonicRsts,
//     TCP_MIB_ATTEMPTFAILS);
//  5. no ACK -> dropped; 6. otherwise syn_recv_sock: the child (or listen_overflow, README row 12).
describe('SYN_RECV (request sock)', () => {
  it('SYN_RECV: ACK acking our SYN-ACK -> child ESTABLISHED in the accept queue, no reply', () => {
    const h = script().toSynRecv();
    const d = h.send({ flags: '.' });
    h.expectNothing();
    expect(d.drops).toEqual([]);
    expect(d.counters).toMatchObject({ TcpPassiveOpens: 1 });
    expect(h.state()).toBe('ESTABLISHED');
    expect(h.listener()).toMatchObject({ recvQ: 1, listener: { synQueue: 0, acceptQueue: 1 } });
  });

  it('SYN_RECV: ACK with wrong ack -> R seq=SEG.ACK, request kept', () => {
    const h = script().toSynRecv();
    h.send({ flags: '.', ack: 2 });
    h.expectSent({ flags: 'R', seq: 2, win: 0, opts: [] });
    expect(h.state()).toBe('SYN_RECV');
    h.send({ flags: '.', ack: 1 }); // the right ACK still completes it
    expect(h.state()).toBe('ESTABLISHED');
  });

  it('SYN_RECV: retransmitted SYN -> SYN-ACK again with the same ISN', () => {
    const h = script().toSynRecv();
    h.send({ flags: 'S', seq: 0 });
    h.expectSent({ flags: 'S.', seq: 0, ack: 1, win: 65160, opts: ['mss', 'sackPerm', 'timestamp', 'nop', 'wscale'] });
    expect(h.state()).toBe('SYN_RECV');
  });

  it('SYN_RECV: first ACK carrying data -> child ESTABLISHED, data queued and ACKed at once', () => {
    const h = script().toSynRecv();
    h.send({ flags: 'P.', data: 10 });
    h.expectSent({ flags: '.', seq: 1, ack: 11 });
    expect(h.state()).toBe('ESTABLISHED');
    expect(h.row()).toMatchObject({ recvQ: 10 });
  });

  it('SYN_RECV: segment without ACK -> dropped silently, request kept', () => {
    const h = script().toSynRecv();
    h.send({ flags: 'P', data: 10 });
    h.expectNothing();
    expect(h.state()).toBe('SYN_RECV');
  });

  it('SYN_RECV: RST in window -> request removed silently (EmbryonicRsts)', () => {
    // stack bug, reported: the request is removed, but TcpExtEmbryonicRsts / TcpAttemptFails stay 0.
    const h = script().toSynRecv();
    const d = h.send({ flags: 'R', seq: 1 });
    h.expectNothing();
    expect(h.state()).toBe('CLOSED');
    expect(d.counters).toMatchObject({ TcpExtEmbryonicRsts: 1, TcpAttemptFails: 1 });
  });

  it('SYN_RECV: RST outside the window -> ignored, request kept', () => {
    // stack bug, reported: any RST removes the request (no sequence check).
    const h = script().toSynRecv();
    h.send({ flags: 'R', seq: 1 + 200_000 });
    h.expectNothing();
    expect(h.state()).toBe('SYN_RECV');
  });

  it('SYN_RECV: RST+ACK with wrong ack -> ignored, request kept', () => {
    // stack bug, reported: any RST removes the request (tcp_check_req returns the listener, whose
    // reset is never sent for an RST).
    const h = script().toSynRecv();
    h.send({ flags: 'R.', seq: 1, ack: 7 });
    h.expectNothing();
    expect(h.state()).toBe('SYN_RECV');
  });

  it('SYN_RECV: SYN with a new ISN inside the window -> R. ack SEG.SEQ+1, request removed', () => {
    // stack bug, reported: a SYN that is not the retransmission is dropped without reply.
    const h = script().toSynRecv();
    const d = h.send({ flags: 'S', seq: 11 });
    h.expectSent({ flags: 'R.', rawSeq: 0, ack: 12, win: 0, opts: [] });
    expect(h.state()).toBe('CLOSED');
    expect(d.counters).toMatchObject({ TcpExtEmbryonicRsts: 1 });
  });

  it('SYN_RECV: SYN with an old ISN (outside the window) -> ACK, request kept', () => {
    // stack bug, reported: dropped without the out-of-window ACK.
    const h = script().toSynRecv();
    h.send({ flags: 'S', seq: -1000 });
    h.expectSent({ flags: '.', seq: 1, ack: 1, win: 63, opts: ['nop', 'nop', 'timestamp'] });
    expect(h.state()).toBe('SYN_RECV');
  });

  it('SYN_RECV: ACK with the right ack but seq outside the window -> ACK, request kept', () => {
    // stack bug, reported: the child is created without checking SEG.SEQ.
    const h = script().toSynRecv();
    h.send({ flags: '.', seq: 1 + 200_000, ack: 1 });
    h.expectSent({ flags: '.', seq: 1, ack: 1, win: 63 });
    expect(h.state()).toBe('SYN_RECV');
  });

  // reqsk_timer_handler (inet_connection_sock.c:1082-1150; README row 3, capture d6): SYN-ACKs
  // again at 1, 3, 7, 15, 31 s (TCP_TIMEOUT_INIT << num_timeout), the request dies silently at 63 s.
  it('SYN_RECV: no ACK -> SYN-ACK retransmitted at 1, 3, 7, 15, 31 s; request dropped silently at 63 s', () => {
    const h = script().toSynRecv();
    const at: number[] = [];
    let t = 0;
    for (let i = 0; i < 5; i++) {
      t += h.expectSent({ flags: 'S.', seq: 0, ack: 1 }, { within: 40 * SEC }).elapsed;
      at.push(t / SEC);
    }
    expect(at).toEqual([1, 3, 7, 15, 31]);
    expect(h.counter('TcpRetransSegs')).toBe(5);
    h.expectNothing(31 * SEC);
    expect(h.now).toBe(62 * SEC);
    expect(h.state()).toBe('SYN_RECV');
    h.expectNothing(1 * SEC);
    expect(h.state()).toBe('CLOSED');
    h.expectNothing(10 * SEC);
  });

  // tcp_check_req listen_overflow (tcp_minisocks.c:861-864; README row 12, capture d4): with
  // tcp_abort_on_overflow=0 the ACK is dropped, the request is marked acked and keeps its timer.
  it('SYN_RECV: final ACK with the accept queue full -> dropped, request kept, SYN-ACK retransmitted', () => {
    const h = script().listen(1);
    h.toSynRecv();
    h.send({ flags: '.' }); // child 1
    h.peer(PEER_PORT + 1).send({ flags: 'S' });
    h.expectSent({ flags: 'S.', seq: 0, ack: 1, port: PEER_PORT + 1 });
    h.peer(PEER_PORT + 2).send({ flags: 'S' });
    h.expectSent({ flags: 'S.', seq: 0, ack: 1, port: PEER_PORT + 2 });
    h.peer(PEER_PORT + 1).send({ flags: '.' }); // child 2: the queue holds backlog + 1
    expect(h.listener()).toMatchObject({ recvQ: 2 });
    h.peer(PEER_PORT + 2);
    const d = h.send({ flags: '.' });
    h.expectNothing();
    expect(d.drops).toEqual(['LISTEN_OVERFLOW']);
    expect(d.counters).toMatchObject({ TcpExtListenOverflows: 1, TcpExtListenDrops: 1 });
    expect(h.state()).toBe('SYN_RECV');
    h.expectSent({ flags: 'S.', seq: 0, ack: 1, port: PEER_PORT + 2 }, { within: 2 * SEC });
  });
});
