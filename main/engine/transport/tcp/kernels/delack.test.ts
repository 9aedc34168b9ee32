import { describe, expect, it } from 'vitest';
import {
  TCP_MAX_QUICKACKS,
  ackAfterRead,
  enterPingpongMode,
  enterQuickackMode,
  inPingpongMode,
  inQuickackMode,
  initialRcvMss,
  measureRcvMss,
  newDelackState,
  onAckSent,
  onDataReceived,
  onDataSent,
  onDelackTimer,
  scheduleDelayedAck,
  shouldAckNow,
} from './delack';

const MS = 1_000_000;
const US = 1_000;
const RTO = 201 * MS;

/** A server child as in capture a: offered 65160, advmss 1460, sends 1448-byte segments. */
function serverChild() {
  return newDelackState(initialRcvMss({ advmss: 1460, mssCache: 1448, rcvWnd: 65160 }));
}

describe('quick-ack and delayed ACK (capture a, README rows 23 and 30)', () => {
  it('rcv_mss starts at 536 (tcp_initialize_rcv_mss)', () => {
    expect(initialRcvMss({ advmss: 1460, mssCache: 1448, rcvWnd: 65160 })).toBe(536);
    expect(initialRcvMss({ advmss: 1460, mssCache: 1448, rcvWnd: 200 })).toBe(100); // rcv_wnd / 2
    expect(initialRcvMss({ advmss: 1460, mssCache: 1448, rcvWnd: 100 })).toBe(88); // TCP_MIN_MSS floor
  });

  it('the first data segment opens a quick-ack phase of min(65160 / (2 x 536), 16) = 16 and is ACKed at once', () => {
    const st = serverChild();
    onDataReceived(st, { nowNs: 0, rtoNs: RTO, rcvWnd: 65160 });
    expect(st.quick).toBe(TCP_MAX_QUICKACKS);
    expect(st.atoJ).toBe(40);
    expect(shouldAckNow(st, { rcvNxt: 20, rcvWup: 1, windowWouldNotShrink: true })).toBe(true);
    onAckSent(st);
    expect(st.quick).toBe(15);
    expect(st.scheduled).toBe(false);
  });

  it('a small receive window gives fewer quick ACKs (at least 2)', () => {
    const st = newDelackState(536);
    onDataReceived(st, { nowNs: 0, rtoNs: RTO, rcvWnd: 4000 });
    expect(st.quick).toBe(3);
    const tiny = newDelackState(536);
    onDataReceived(tiny, { nowNs: 0, rtoNs: RTO, rcvWnd: 500 });
    expect(tiny.quick).toBe(2);
  });

  it('a reply within ato makes the session interactive (pingpong), ending quick ACKs', () => {
    const st = serverChild();
    onDataReceived(st, { nowNs: 424 * US, rtoNs: RTO, rcvWnd: 65160 });
    onAckSent(st);
    onDataSent(st, 458 * US); // capture a: the server's 17-byte reply 27 us later
    expect(inPingpongMode(st)).toBe(true);
    expect(inQuickackMode(st)).toBe(false);
  });

  it("the ACK of the client's FIN is delayed by TCP_ATO_MIN = 40 ms (capture a: +41 ms, d6: +44 ms)", () => {
    const st = serverChild();
    onDataReceived(st, { nowNs: 424 * US, rtoNs: RTO, rcvWnd: 65160 });
    onAckSent(st);
    // FIN arrives 2.876 s later: tcp_fin() enters pingpong; the FIN schedules an ACK.
    const finAt = 2_876_059 * US;
    enterPingpongMode(st);
    st.scheduled = true;
    expect(shouldAckNow(st, { rcvNxt: 21, rcvWup: 20, windowWouldNotShrink: true })).toBe(false);
    const d = scheduleDelayedAck(st, { nowNs: finAt, srttNs: 20 * US });
    expect(d).toEqual({ sendNow: false, deadlineNs: finAt + 40 * MS });
    expect(onDelackTimer(st, { nowNs: finAt + 40 * MS, rtoNs: RTO })).toBe('send');
    // The missed delayed ACK leaves pingpong mode (tcp_delack_timer_handler).
    expect(inPingpongMode(st)).toBe(false);
  });

  it('ACKs at once when more than one full-sized segment is unacknowledged (RFC 9293 §3.8.6.3)', () => {
    const st = newDelackState(1448);
    st.pingpong = 1; // not in quick-ack mode
    expect(shouldAckNow(st, { rcvNxt: 1448, rcvWup: 0, windowWouldNotShrink: true })).toBe(false);
    expect(shouldAckNow(st, { rcvNxt: 2896, rcvWup: 0, windowWouldNotShrink: true })).toBe(true);
    // ... unless our window would shrink (tcp_recvmsg will ACK when the app reads).
    expect(shouldAckNow(st, { rcvNxt: 2896, rcvWup: 0, windowWouldNotShrink: false })).toBe(false);
    // Across the sequence wrap.
    expect(shouldAckNow(st, { rcvNxt: 0x0000_0800, rcvWup: 0xffff_f000, windowWouldNotShrink: true })).toBe(true);
  });

  it('a gap longer than the RTO opens a new quick-ack phase ("after idle")', () => {
    const st = serverChild();
    onDataReceived(st, { nowNs: 0, rtoNs: RTO, rcvWnd: 65160 });
    st.quick = 0;
    onDataReceived(st, { nowNs: 5_000 * MS, rtoNs: RTO, rcvWnd: 65160 });
    expect(st.quick).toBe(16);
  });

  it('ato tracks the inter-arrival time: (ato/2) + m, capped by the RTO', () => {
    const st = serverChild();
    onDataReceived(st, { nowNs: 0, rtoNs: RTO, rcvWnd: 65160 });
    onDataReceived(st, { nowNs: 10 * MS, rtoNs: RTO, rcvWnd: 65160 }); // m = 10 <= 20: 20 + 20
    expect(st.atoJ).toBe(40);
    st.atoJ = 100;
    onDataReceived(st, { nowNs: 70 * MS, rtoNs: RTO, rcvWnd: 65160 }); // m = 60 < 100: 50 + 60
    expect(st.atoJ).toBe(110);
  });

  it('a large ato is bounded by SRTT (not below 40 ms) and by 200 ms after a pushed segment', () => {
    const st = newDelackState(1448);
    st.atoJ = 300;
    expect(scheduleDelayedAck(st, { nowNs: 0, srttNs: 10 * MS })).toEqual({ sendNow: false, deadlineNs: 40 * MS });
    const st2 = newDelackState(1448);
    st2.atoJ = 300;
    st2.pushed = true;
    expect(scheduleDelayedAck(st2, { nowNs: 0 })).toEqual({ sendNow: false, deadlineNs: 200 * MS });
  });

  it('keeps an earlier armed deadline, and sends now if it is within ato/4', () => {
    const st = newDelackState(1448);
    st.atoJ = 40;
    scheduleDelayedAck(st, { nowNs: 0 });
    expect(scheduleDelayedAck(st, { nowNs: 10 * MS })).toEqual({ sendNow: false, deadlineNs: 40 * MS });
    expect(scheduleDelayedAck(st, { nowNs: 31 * MS })).toEqual({ sendNow: true });
  });

  it('a missed delayed ACK outside pingpong doubles ato, up to the RTO', () => {
    const st = newDelackState(1448);
    st.atoJ = 150;
    st.scheduled = true;
    scheduleDelayedAck(st, { nowNs: 0 });
    expect(onDelackTimer(st, { nowNs: 10 * MS, rtoNs: RTO })).toBe('rearm');
    expect(onDelackTimer(st, { nowNs: 500 * MS, rtoNs: RTO })).toBe('send');
    expect(st.atoJ).toBe(201);
    expect(onDelackTimer(st, { nowNs: 600 * MS, rtoNs: RTO })).toBe('none');
  });

  it('out-of-order data re-enters quick-ack and leaves pingpong (tcp_enter_quickack_mode)', () => {
    const st = newDelackState(1448);
    st.pingpong = 1;
    st.atoJ = 120;
    enterQuickackMode(st, 64512);
    expect(st.quick).toBe(16);
    expect(inQuickackMode(st)).toBe(true);
    expect(st.atoJ).toBe(40);
  });

  it('learns the peer MSS from full segments and from repeated same-size segments', () => {
    const st = newDelackState(536);
    measureRcvMss(st, { len: 1448, headerLen: 32, ownHeaderLen: 32, advmss: 1460, remnant: false });
    expect(st.rcvMss).toBe(1448);
    const st2 = newDelackState(536);
        measureRcvMss(st2, { len: 400, headerLen: 32, ownHeaderLen: 32, advmss: 1460, remnant: true });
    expect(st2.pushed).toBe(true);
    // Two 1000-byte unpushed segments below the estimate: (1000 + 32) - 32 = 1000 twice -> rcv_mss 1000.
    st2.rcvMss = 1448;
    measureRcvMss(st2, { len: 1000, headerLen: 32, ownHeaderLen: 32, advmss: 1460, remnant: false });
    measureRcvMss(st2, { len: 1000, headerLen: 32, ownHeaderLen: 32, advmss: 1460, remnant: false });
    expect(st2.rcvMss).toBe(1000);
  });

  it('after a read: ACK if the window opened to at least twice what the peer has left', () => {
    const st = newDelackState(1448);
    const base = { copied: 30000, rcvNxt: 100, rcvWup: 100, queueEmpty: true, rcvShutdown: false, windowClamp: 64076 };
    expect(ackAfterRead(st, { ...base, rcvWindowNow: 10000, newWindow: 64512 })).toBe(true);
    expect(ackAfterRead(st, { ...base, rcvWindowNow: 40000, newWindow: 64512 })).toBe(false);
    expect(ackAfterRead(st, { ...base, rcvShutdown: true, rcvWindowNow: 10000, newWindow: 64512 })).toBe(false);
    // An owed ACK for a drained pushed segment on a non-interactive connection.
    st.scheduled = true;
    st.pushed = true;
    expect(ackAfterRead(st, { ...base, rcvWindowNow: 60000, newWindow: 64512 })).toBe(true);
  });
});
