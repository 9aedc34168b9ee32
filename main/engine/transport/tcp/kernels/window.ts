// MSS and receive-window arithmetic as Linux does it (net/ipv4/tcp_output.c tcp_select_initial_window,
// __tcp_select_window, tcp_select_window, tcp_mtu_to_mss, tcp_sync_mss; tcp_input.c
// tcp_init_buffer_space, tcp_grow_window; route.c ipv4_default_advmss; include/net/tcp.h).
//
// Where the numbers on the wire come from (README rows 21-23, capture a), with tcp_rmem =
// 4096 131072 33554432 and MTU 1500:
//   full space    = tcp_win_from_space(rcvbuf 131072) = 131072 x 128/256 = 65536 (scaling_ratio 50 %)
//   SYN window    = rounddown(65536, mss 1460) = 44 x 1460 = 64240
//   SYN-ACK       = rounddown(65536, 1460 - 12 TS) = 45 x 1448 = 65160
//   wscale        = ilog2(max(65536, tcp_rmem[2], rmem_max)) - 15 = 25 - 15 = 10
//   after the handshake tcp_init_buffer_space clamps window_clamp to 65536 - advmss = 64076
//   (tcp_app_win 31 "force reservation of one segment") and rcv_ssthresh to that;
//   client's first ACK: ALIGN(64076, 1024) = 64512 -> 64512 >> 10 = 63 on the wire
//   server child: it offered 65160 in its SYN-ACK and never shrinks an offer: ALIGN(65160, 1024) =
//   65536 -> 64 on the wire (capture a: the server's ACKs and RSTs say "win 64").
//
// Simplifications (documented, deliberate):
// - rcvbuf is fixed at tcp_rmem[1]: no receive-buffer autotuning (tcp_rcv_space_adjust), so the
//   window never grows past ~64 KB as it would on a long bulk transfer in Linux.
// - scaling_ratio is fixed at Linux's default 128/256; Linux re-measures it from real skb truesize
//   (tcp_measure_rcv_mss). Free space is therefore "full space minus bytes queued" (tcpSpace).
// - tcp_grow_window always takes the "skb overhead is small" branch (growRcvSsthresh).
// - sysctl tcp_shrink_window (default 0) is not modelled: the window never shrinks.

import { TCP_DEFAULT_MSS, TCP_MAX_WSCALE, seqAdd, seqDiff } from '../../../../../shared/wire';

/** IPv4 header + TCP header without options. */
export const TCP_IPV4_HEADERS = 40;
/** ip_rt_min_advmss (route.c): advertised MSS floor. */
export const IP_RT_MIN_ADVMSS = 256;
/** TCP_MIN_SND_MSS (include/net/tcp.h): floor of the sending MSS (CVE-2019-11479 fix). */
export const TCP_MIN_SND_MSS = 48;
/** TCPOLEN_TSTAMP_ALIGNED: nop,nop,TS (12 bytes) on every established segment. */
export const TCPOLEN_TSTAMP_ALIGNED = 12;
/** MAX_TCP_WINDOW: the signed-window workaround's cap (tcp_workaround_signed_windows). */
export const MAX_TCP_WINDOW = 32767;
/** TCP_RMEM_TO_WIN_SCALE: scaling_ratio is in 1/256. */
export const TCP_RMEM_TO_WIN_SCALE = 8;
/** TCP_DEFAULT_SCALING_RATIO in 6.12: half of the buffer is payload. */
export const TCP_DEFAULT_SCALING_RATIO = 1 << (TCP_RMEM_TO_WIN_SCALE - 1);
/** 65535 << 14: the largest window a scaled TCP can offer (tcp_select_initial_window). */
export const MAX_SCALED_WINDOW = 65535 * 2 ** TCP_MAX_WSCALE;

/** The receive-side sysctls the window depends on, with the capture machine's values. */
export interface RecvSysctls {
  /** net.ipv4.tcp_rmem: min, default (initial sk_rcvbuf), max. */
  readonly tcpRmem: readonly [number, number, number];
  /** net.core.rmem_max. */
  readonly rmemMax: number;
  /** net.ipv4.tcp_window_scaling. */
  readonly windowScaling: boolean;
  /** net.ipv4.tcp_app_win. */
  readonly appWin: number;
  /** net.ipv4.tcp_workaround_signed_windows. */
  readonly workaroundSignedWindows: boolean;
}

export const LINUX_RECV_SYSCTLS: RecvSysctls = {
  tcpRmem: [4096, 131072, 33554432],
  rmemMax: 212992,
  windowScaling: true,
  appWin: 31,
  workaroundSignedWindows: false,
};

const alignUp = (x: number, a: number): number => Math.ceil(x / a) * a;
const roundDown = (x: number, a: number): number => Math.floor(x / a) * a;
const ilog2 = (x: number): number => (x < 1 ? 0 : Math.floor(Math.log2(x)));

// ---- MSS -------------------------------------------------------------------------------------------

/** ipv4_default_advmss(): the MSS we advertise for a route MTU (MTU - 40, at least 256). */
export function advmssFromMtu(mtu: number): number {
  return Math.min(Math.max(mtu - TCP_IPV4_HEADERS, IP_RT_MIN_ADVMSS), 65535 - TCP_IPV4_HEADERS);
}

/**
 * The peer's MSS clamp (rx_opt.mss_clamp): its MSS option, or TCP_MSS_DEFAULT 536 when the SYN had
 * none (RFC 9293 §3.7.1, README row 21), lowered by TCP_MAXSEG if set.
 */
export function peerMssClamp(optionMss: number | undefined, userMss?: number): number {
  const mss = optionMss ?? TCP_DEFAULT_MSS;
  return userMss !== undefined && userMss > 0 ? Math.min(mss, userMss) : mss;
}

/**
 * tcp_sync_mss() / tcp_mtu_to_mss(): the payload per segment we send. min(PMTU - 40, peer's clamp),
 * minus the options every segment carries (12 bytes with timestamps: 1460 -> 1448), at least 48,
 * and at most half the largest window the peer ever offered (tcp_bound_to_half_wnd) once known.
 * SACK blocks shrink individual segments further (tcp_current_mss); that is the sender's business.
 */
export function sendMss(p: { pmtu: number; peerMss: number; timestamps: boolean; maxWindow?: number }): number {
  const tcpHeaderLen = 20 + (p.timestamps ? TCPOLEN_TSTAMP_ALIGNED : 0);
  let mss = Math.min(p.pmtu - TCP_IPV4_HEADERS, p.peerMss);
  mss = Math.max(mss, TCP_MIN_SND_MSS);
  mss -= tcpHeaderLen - 20;
  const maxWindow = p.maxWindow ?? 0;
  const cutoff = maxWindow > TCP_DEFAULT_MSS ? Math.floor(maxWindow / 2) : maxWindow;
  if (cutoff > 0 && mss > cutoff) mss = Math.max(cutoff, 68 - tcpHeaderLen);
  return mss;
}

/** The MSS tcp_select_initial_window rounds to: advmss, minus 12 if timestamps are in use. */
export function windowRoundingMss(advmss: number, timestamps: boolean): number {
  return advmss - (timestamps ? TCPOLEN_TSTAMP_ALIGNED : 0);
}

// ---- buffer space -----------------------------------------------------------------------------------

/** tcp_win_from_space(): payload bytes a buffer of `space` bytes (truesize) holds. */
export function winFromSpace(space: number, scalingRatio = TCP_DEFAULT_SCALING_RATIO): number {
  return Math.floor((Math.max(0, space) * scalingRatio) / 256);
}

/** tcp_full_space(): the whole receive buffer as window. 131072 -> 65536. */
export function fullSpace(rcvbuf: number, scalingRatio = TCP_DEFAULT_SCALING_RATIO): number {
  return winFromSpace(rcvbuf, scalingRatio);
}

/**
 * tcp_space(): free window left. Simplification: Linux subtracts the real truesize of queued skbs
 * before scaling; we charge each queued payload byte 256/scalingRatio bytes of truesize, so free
 * space is simply fullSpace - queued.
 */
export function tcpSpace(rcvbuf: number, queuedBytes: number, scalingRatio = TCP_DEFAULT_SCALING_RATIO): number {
  return Math.max(0, fullSpace(rcvbuf, scalingRatio) - queuedBytes);
}

// ---- initial window (SYN / SYN-ACK) ------------------------------------------------------------------

export interface InitialWindow {
  /** rcv_wnd: the window in the SYN/SYN-ACK (never scaled there, RFC 7323 §2.2). */
  readonly rcvWnd: number;
  /** window_clamp. */
  readonly windowClamp: number;
  /** rcv_wscale: the shift we advertise. */
  readonly rcvWscale: number;
}

/**
 * tcp_select_initial_window(). `space` = tcp_full_space; `mss` = windowRoundingMss(); `wscaleOk` =
 * window scaling enabled here and (for a SYN-ACK) offered by the peer.
 */
export function selectInitialWindow(p: {
  space: number;
  mss: number;
  wscaleOk: boolean;
  windowClamp?: number;
  /** dst RTAX_INITRWND in segments (ip route ... initrwnd); 0 = none. */
  initRcvWnd?: number;
  sysctls?: RecvSysctls;
}): InitialWindow {
  const sys = p.sysctls ?? LINUX_RECV_SYSCTLS;
  // No clamp set: the largest scaled window.
  const clamp = p.windowClamp && p.windowClamp > 0 ? p.windowClamp : MAX_SCALED_WINDOW;
  let space = Math.min(clamp, Math.max(0, p.space));
  // Quantize the offer to a multiple of the MSS.
  if (space > p.mss) space = roundDown(space, p.mss);
  // Offer at most 64K-1 unscaled (32K-1 with the signed-window workaround).
  let rcvWnd = Math.min(space, sys.workaroundSignedWindows ? MAX_TCP_WINDOW : 65535);
  if (p.initRcvWnd) rcvWnd = Math.min(rcvWnd, p.initRcvWnd * p.mss);
  let rcvWscale = 0;
  if (p.wscaleOk) {
    // Scale for the largest window this socket could ever offer.
    let maxSpace = Math.max(space, sys.tcpRmem[2], sys.rmemMax);
    maxSpace = Math.min(maxSpace, clamp);
    rcvWscale = Math.min(Math.max(ilog2(maxSpace) - 15, 0), TCP_MAX_WSCALE);
  }
  return { rcvWnd, windowClamp: Math.min(65535 * 2 ** rcvWscale, clamp), rcvWscale };
}

/**
 * tcp_init_buffer_space() when the connection is established (both sides): clamp window_clamp to
 * the buffer, keep one segment in reserve (tcp_app_win), and clamp rcv_ssthresh to it.
 */
export function initBufferSpace(p: {
  windowClamp: number;
  rcvSsthresh: number;
  advmss: number;
  fullSpace: number;
  appWin?: number;
}): { windowClamp: number; rcvSsthresh: number } {
  const appWin = p.appWin ?? LINUX_RECV_SYSCTLS.appWin;
  const maxwin = p.fullSpace;
  let clamp = p.windowClamp;
  if (clamp >= maxwin) {
    clamp = maxwin;
    if (appWin && maxwin > 4 * p.advmss) clamp = Math.max(maxwin - Math.floor(maxwin / 2 ** appWin), 4 * p.advmss);
  }
  // Force reservation of one segment.
  if (appWin && clamp > 2 * p.advmss && clamp + p.advmss > maxwin) clamp = Math.max(2 * p.advmss, maxwin - p.advmss);
  return { windowClamp: clamp, rcvSsthresh: Math.min(p.rcvSsthresh, clamp) };
}

// ---- the advertised window on established segments --------------------------------------------------

/** tcp_receive_window(): what is left of the last offer, rcv_wup + rcv_wnd - rcv_nxt, at least 0. */
export function receiveWindow(rcvWup: number, rcvWnd: number, rcvNxt: number): number {
  // Sequence arithmetic: (s32)(rcv_wup + rcv_wnd - rcv_nxt), as Linux does.
  const win = seqDiff(seqAdd(rcvWup, rcvWnd), rcvNxt);
  return win < 0 ? 0 : win;
}

export interface WindowInputs {
  /** icsk_ack.rcv_mss: our estimate of the peer's segment size. */
  readonly rcvMss: number;
  /** tcp_space(): free window (tcpSpace()). */
  readonly freeSpace: number;
  /** tcp_full_space(): the whole buffer as window (fullSpace()). */
  readonly allowedSpace: number;
  readonly windowClamp: number;
  readonly rcvSsthresh: number;
  readonly rcvWscale: number;
  /** Current rcv_wnd (used by the unscaled rounding rule). */
  readonly rcvWnd: number;
}

/**
 * __tcp_select_window(): the window we would like to offer now (bytes, before scaling). Also says
 * whether Linux would leave quick-ack mode (icsk_ack.quick = 0) because the buffer is over half full.
 */
export function idealWindow(p: WindowInputs): { window: number; leaveQuickack: boolean } {
  let mss = p.rcvMss;
  let free = p.freeSpace;
  const full = Math.min(p.windowClamp, p.allowedSpace);
  let leaveQuickack = false;
  if (mss > full) {
    mss = full;
    if (mss <= 0) return { window: 0, leaveQuickack };
  }
  if (free < Math.floor(full / 2)) {
    leaveQuickack = true;
    // Do not let wscale rounding increase it.
    free = roundDown(free, 2 ** p.rcvWscale);
    // Too little room: go to zero window rather than offer crumbs (silly window avoidance,
    // RFC 9293 §3.8.6.2.2).
    if (free < Math.floor(p.allowedSpace / 16) || free < mss) return { window: 0, leaveQuickack };
  }
  if (free > p.rcvSsthresh) free = p.rcvSsthresh;
  let window: number;
  if (p.rcvWscale) {
    // Scaled: advertise enough that it does not get scaled away.
    window = alignUp(free, 2 ** p.rcvWscale);
  } else {
    window = p.rcvWnd;
    // Unscaled: keep a multiple of the MSS; keep the current offer if within one MSS of free.
    if (window <= free - mss || window > free) window = roundDown(free, mss);
    else if (mss === full && free > window + Math.floor(full / 2)) window = free;
  }
  return { window, leaveQuickack };
}

export interface SelectedWindow {
  /** The 16-bit window field to put in the header (already shifted by rcv_wscale). */
  readonly field: number;
  /** New rcv_wnd. */
  readonly rcvWnd: number;
  /** New rcv_wup (= rcv_nxt). */
  readonly rcvWup: number;
  readonly leaveQuickack: boolean;
}

/**
 * tcp_select_window(), called for every non-SYN segment we send: never shrink the offered window
 * (RFC 9293 §3.8.6.2.2 "SHOULD NOT shrink"), remember it (rcv_wnd/rcv_wup), and scale it for the wire.
 */
export function selectWindow(p: WindowInputs & { rcvWup: number; rcvNxt: number; workaroundSignedWindows?: boolean }): SelectedWindow {
  const cur = receiveWindow(p.rcvWup, p.rcvWnd, p.rcvNxt);
  const ideal = idealWindow(p);
  let win = ideal.window;
  if (win < cur) win = alignUp(cur, 2 ** p.rcvWscale); // never shrink the offered window
  const rcvWnd = win;
  const max = !p.rcvWscale && p.workaroundSignedWindows ? MAX_TCP_WINDOW : 65535 * 2 ** p.rcvWscale;
  const field = Math.floor(Math.min(win, max) / 2 ** p.rcvWscale);
  return { field, rcvWnd, rcvWup: p.rcvNxt >>> 0, leaveQuickack: ideal.leaveQuickack };
}

/** The window field of a SYN or SYN-ACK: rcv_wnd unscaled, at most 65535 (RFC 7323 §2.2). */
export function synWindowField(rcvWnd: number): number {
  return Math.min(rcvWnd, 65535);
}

/**
 * tcp_grow_window() on an in-order data segment of >= 128 bytes: let rcv_ssthresh (the cap on our
 * offer) grow toward min(window_clamp, free space) by max(2 x advmss, 2 x segment length).
 * Simplified: Linux first checks the skb's truesize overhead (check #2) and may grow less.
 */
export function growRcvSsthresh(p: {
  rcvSsthresh: number;
  windowClamp: number;
  freeSpace: number;
  advmss: number;
  segLen: number;
}): { rcvSsthresh: number; grew: boolean } {
  if (p.segLen < 128) return { rcvSsthresh: p.rcvSsthresh, grew: false };
  const room = Math.min(p.windowClamp, p.freeSpace) - p.rcvSsthresh;
  if (room <= 0) return { rcvSsthresh: p.rcvSsthresh, grew: false };
  const incr = Math.max(2 * p.advmss, 2 * p.segLen);
  return { rcvSsthresh: p.rcvSsthresh + Math.min(room, incr), grew: true };
}
