import { describe, expect, it } from 'vitest';
import {
  LINUX_RECV_SYSCTLS,
  advmssFromMtu,
  fullSpace,
  growRcvSsthresh,
  idealWindow,
  initBufferSpace,
  peerMssClamp,
  receiveWindow,
  selectInitialWindow,
  selectWindow,
  sendMss,
  synWindowField,
  tcpSpace,
  windowRoundingMss,
} from './window';

const RCVBUF = LINUX_RECV_SYSCTLS.tcpRmem[1]; // 131072
const FULL = fullSpace(RCVBUF);

describe('MSS (ipv4_default_advmss, tcp_sync_mss)', () => {
  it('advertises MTU - 40: 1460 on Ethernet, never below 256', () => {
    expect(advmssFromMtu(1500)).toBe(1460);
    expect(advmssFromMtu(9000)).toBe(8960);
    expect(advmssFromMtu(200)).toBe(256);
  });

  it('assumes 536 when the SYN has no MSS option (README row 21, RFC 9293 §3.7.1)', () => {
    expect(peerMssClamp(undefined)).toBe(536);
    expect(peerMssClamp(1460)).toBe(1460);
    expect(peerMssClamp(1460, 1000)).toBe(1000); // TCP_MAXSEG
  });

  it('sends 1448-byte segments with timestamps (1460 - 12), 1460 without', () => {
    expect(sendMss({ pmtu: 1500, peerMss: 1460, timestamps: true })).toBe(1448);
    expect(sendMss({ pmtu: 1500, peerMss: 1460, timestamps: false })).toBe(1460);
    // Peer sent no MSS option: 536, and timestamps still cost 12 bytes.
    expect(sendMss({ pmtu: 1500, peerMss: 536, timestamps: true })).toBe(524);
    // A smaller path MTU wins over the peer's MSS.
    expect(sendMss({ pmtu: 1280, peerMss: 1460, timestamps: true })).toBe(1228);
  });

  it('bounds the MSS to half the largest window the peer offered (tcp_bound_to_half_wnd)', () => {
    expect(sendMss({ pmtu: 1500, peerMss: 1460, timestamps: true, maxWindow: 2000 })).toBe(1000);
    expect(sendMss({ pmtu: 1500, peerMss: 1460, timestamps: true, maxWindow: 65535 })).toBe(1448);
  });
});

describe('initial window (tcp_select_initial_window), README rows 21-22', () => {
  it('full space of the default 128 KiB rcvbuf is 64 KiB (scaling_ratio 50 %)', () => {
    expect(FULL).toBe(65536);
  });

  it('SYN: window 64240 (44 x 1460), wscale 10 with tcp_rmem max 32 MiB', () => {
    const w = selectInitialWindow({ space: FULL, mss: windowRoundingMss(1460, false), wscaleOk: true });
    expect(w).toEqual({ rcvWnd: 64240, rcvWscale: 10, windowClamp: 65535 * 1024 });
    expect(synWindowField(w.rcvWnd)).toBe(64240);
  });

  it('SYN-ACK to a SYN with timestamps: 65160 (45 x 1448)', () => {
    const w = selectInitialWindow({ space: FULL, mss: windowRoundingMss(1460, true), wscaleOk: true });
    expect(w.rcvWnd).toBe(65160);
    expect(w.rcvWscale).toBe(10);
  });

  it('SYN-ACK to a SYN without timestamps rounds to 1460: 64240', () => {
    expect(selectInitialWindow({ space: FULL, mss: windowRoundingMss(1460, false), wscaleOk: true }).rcvWnd).toBe(64240);
  });

  it('older systems with tcp_rmem max 6 MiB get wscale 7 (README row 21)', () => {
    const sysctls = { ...LINUX_RECV_SYSCTLS, tcpRmem: [4096, 131072, 6291456] as const };
    expect(selectInitialWindow({ space: FULL, mss: 1460, wscaleOk: true, sysctls }).rcvWscale).toBe(7);
  });

  it('no window scaling: shift 0, offer at most 65535, clamp 65535', () => {
    const w = selectInitialWindow({ space: 200_000, mss: 1460, wscaleOk: false });
    expect(w).toEqual({ rcvWnd: 65535, rcvWscale: 0, windowClamp: 65535 });
  });

  it('the shift never exceeds 14 (RFC 7323 §2.3)', () => {
    const sysctls = { ...LINUX_RECV_SYSCTLS, tcpRmem: [4096, 131072, 2 ** 31] as const };
    expect(selectInitialWindow({ space: FULL, mss: 1460, wscaleOk: true, sysctls }).rcvWscale).toBe(14);
  });

  it('initrwnd caps the offer in segments', () => {
    expect(selectInitialWindow({ space: FULL, mss: 1460, wscaleOk: true, initRcvWnd: 10 }).rcvWnd).toBe(14600);
  });
});

describe('established window (tcp_init_buffer_space, tcp_select_window), capture a', () => {
  const established = (rcvWnd: number) => {
    const b = initBufferSpace({ windowClamp: 65535 * 1024, rcvSsthresh: rcvWnd, advmss: 1460, fullSpace: FULL });
    return { ...b, rcvWnd, rcvWscale: 10, rcvMss: 536, allowedSpace: FULL };
  };

  it('tcp_init_buffer_space keeps one segment in reserve: clamp 65536 - 1460 = 64076', () => {
    expect(initBufferSpace({ windowClamp: 65535 * 1024, rcvSsthresh: 64240, advmss: 1460, fullSpace: FULL })).toEqual({
      windowClamp: 64076,
      rcvSsthresh: 64076,
    });
  });

  it("client's first ACK says win 63 (ALIGN(64076, 1024) = 64512 >> 10)", () => {
    const irs1 = 0xffff_fff0; // also crosses the sequence wrap
    const s = established(64240);
    const w = selectWindow({ ...s, freeSpace: tcpSpace(RCVBUF, 0), rcvWup: irs1, rcvNxt: irs1 });
    expect(w.field).toBe(63);
    expect(w.rcvWnd).toBe(64512);
  });

  it('server child says win 64: it never shrinks its 65160 SYN-ACK offer (ALIGN(65160, 1024) = 65536)', () => {
    const s = established(65160);
    const w = selectWindow({ ...s, freeSpace: tcpSpace(RCVBUF, 0), rcvWup: 1000, rcvNxt: 1000 });
    expect(w.field).toBe(64);
    // After 19 bytes arrive (capture a: "ack 20, win 64"), unread: 65141 left of the offer -> still 64.
    const after = selectWindow({ ...s, rcvWnd: w.rcvWnd, freeSpace: tcpSpace(RCVBUF, 19), rcvWup: w.rcvWup, rcvNxt: 1019 });
    expect(after.field).toBe(64);
    expect(after.rcvWup).toBe(1019);
  });

  it('the offer follows the free space down once the old offer is used up, to zero (SWS avoidance)', () => {
    const s = established(64240);
    // 40000 bytes queued and the old offer consumed: free 25536 < half of 64076 -> round to 1024.
    const w = selectWindow({ ...s, rcvWnd: 0, freeSpace: tcpSpace(RCVBUF, 40000), rcvWup: 5000, rcvNxt: 5000 });
    expect(w.rcvWnd).toBe(24576); // round_down(25536, 1024)
    expect(w.field).toBe(24);
    expect(w.leaveQuickack).toBe(true);
    // 62000 queued: free 3536 < allowed/16 = 4096 -> zero window.
    const z = selectWindow({ ...s, rcvWnd: 0, freeSpace: tcpSpace(RCVBUF, 62000), rcvWup: 5000, rcvNxt: 5000 });
    expect(z.field).toBe(0);
  });

  it('never shrinks: an unconsumed offer is kept (rounded up to the scale)', () => {
    const s = established(64240);
    const w = selectWindow({ ...s, rcvWnd: 64512, freeSpace: tcpSpace(RCVBUF, 62000), rcvWup: 5000, rcvNxt: 5000 });
    expect(w.rcvWnd).toBe(64512);
    expect(w.field).toBe(63);
  });

  it('unscaled windows are multiples of the MSS, kept when within one MSS of free space', () => {
    const base = { rcvMss: 1460, allowedSpace: FULL, windowClamp: 65535, rcvSsthresh: 64240, rcvWscale: 0 };
    expect(idealWindow({ ...base, rcvWnd: 64240, freeSpace: 65000 }).window).toBe(64240);
    expect(idealWindow({ ...base, rcvWnd: 10000, freeSpace: 65000 }).window).toBe(64240);
  });

  it('receiveWindow is sequence arithmetic across the wrap', () => {
    expect(receiveWindow(0xffff_ff00, 0x200, 0x40)).toBe(0xc0);
    expect(receiveWindow(100, 10, 200)).toBe(0);
  });

  it('rcv_ssthresh grows by max(2 x advmss, 2 x len) up to min(clamp, free)', () => {
    expect(growRcvSsthresh({ rcvSsthresh: 20000, windowClamp: 64076, freeSpace: 65536, advmss: 1460, segLen: 1448 })).toEqual({
      rcvSsthresh: 22920,
      grew: true,
    });
    expect(growRcvSsthresh({ rcvSsthresh: 64076, windowClamp: 64076, freeSpace: 65536, advmss: 1460, segLen: 1448 }).grew).toBe(false);
    expect(growRcvSsthresh({ rcvSsthresh: 20000, windowClamp: 64076, freeSpace: 65536, advmss: 1460, segLen: 100 }).grew).toBe(false);
  });
});
