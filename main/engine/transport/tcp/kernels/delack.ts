// Delayed ACKs and quick-ack mode as Linux decides them (net/ipv4/tcp_input.c tcp_event_data_recv,
// tcp_incr_quickack, tcp_enter_quickack_mode, tcp_in_quickack_mode, tcp_measure_rcv_mss,
// __tcp_ack_snd_check; tcp_output.c tcp_send_delayed_ack, tcp_event_ack_sent, tcp_event_data_sent;
// tcp_timer.c tcp_delack_timer_handler; tcp.c __tcp_cleanup_rbuf; include/net/tcp.h constants).
// RFC 9293 §3.8.6.3 / RFC 1122 §4.2.3.2: delay ACKs by less than 0.5 s and ACK at least every second
// full-sized segment.
//
// The socket owns one DelackState and calls these helpers at the matching events. Linux keeps ato and
// lrcvtime in jiffies; we do too (HZ=1000, see units.ts) so the integer arithmetic matches.
//
// What the captures show (README rows 16, 23, 30):
// - capture a: the first data segments are ACKed at once (quick-ack: icsk_ack.quick starts at
//   min(rcv_wnd / (2 * rcv_mss), 16) = min(65160 / 1072, 16) = 16);
// - the ACK of a FIN comes ~40 ms later (41 ms in a, 44 ms in d6): tcp_fin() enters pingpong mode,
//   so the ACK is delayed by ato = TCP_ATO_MIN = 40 ms.
//
// Simplifications: the delayed-ACK deadline is now + ato exactly (Linux arms a jiffies timer, which
// fires at a tick boundary plus softirq latency); compressed SACK (tcp_comp_sack_*) for
// out-of-order data is not modelled (caller ACKs out-of-order data at once, as Linux does once
// tcp_comp_sack_nr is exhausted); the DCTCP/ECN special ACKs are out of scope.

import { seqDiff, TCP_DEFAULT_MSS } from '../../../../../shared/wire';
import { HZ, JIFFY_NS, nsToJiffies, nsToUs, usecsToJiffies } from './units';

/** TCP_DELACK_MIN = HZ/25: 40 ms. */
export const TCP_DELACK_MIN_J = HZ / 25;
/** TCP_DELACK_MAX = HZ/5: 200 ms (also icsk_delack_max's default). */
export const TCP_DELACK_MAX_J = HZ / 5;
/** TCP_ATO_MIN = HZ/25: 40 ms. */
export const TCP_ATO_MIN_J = HZ / 25;
/** TCP_MAX_QUICKACKS: at most 16 immediate ACKs per quick-ack phase. */
export const TCP_MAX_QUICKACKS = 16;
/** TCP_PINGPONG_THRESH (6.x): one reply within ato makes the session interactive. */
export const TCP_PINGPONG_THRESH = 1;
/** TCP_MIN_MSS: 88. */
export const TCP_MIN_MSS = 88;

export const TCP_DELACK_MIN_NS = TCP_DELACK_MIN_J * JIFFY_NS;
export const TCP_DELACK_MAX_NS = TCP_DELACK_MAX_J * JIFFY_NS;
export const TCP_ATO_MIN_NS = TCP_ATO_MIN_J * JIFFY_NS;

/** inet_connection_sock.icsk_ack, the part the ACK decisions use. */
export interface DelackState {
  /** icsk_ack.quick: immediate ACKs left in the current quick-ack phase. */
  quick: number;
  /** icsk_ack.ato in jiffies; 0 until the first data segment arrives. */
  atoJ: number;
  /** icsk_ack.lrcvtime in jiffies: when the last data segment arrived. */
  lrcvJ: number;
  /** icsk_ack.pingpong: interactive-session counter. */
  pingpong: number;
  /** icsk_ack.rcv_mss: estimate of the peer's segment size. */
  rcvMss: number;
  /** icsk_ack.last_seg_size. */
  lastSegSize: number;
  /** ICSK_ACK_SCHED: an ACK is owed. */
  scheduled: boolean;
  /** ICSK_ACK_TIMER + icsk_ack.timeout: the delayed-ACK deadline, when armed. */
  timerDeadlineNs: number | undefined;
  /** ICSK_ACK_PUSHED / ICSK_ACK_PUSHED2: small (pushed) segments seen. */
  pushed: boolean;
  pushed2: boolean;
  /** ICSK_ACK_NOW: protocol state mandates a one-time immediate ACK. */
  ackNow: boolean;
}

export function newDelackState(rcvMss: number): DelackState {
  return {
    quick: 0,
    atoJ: 0,
    lrcvJ: 0,
    pingpong: 0,
    rcvMss,
    lastSegSize: 0,
    scheduled: false,
    timerDeadlineNs: undefined,
    pushed: false,
    pushed2: false,
    ackNow: false,
  };
}

/**
 * tcp_initialize_rcv_mss(): the first guess of the peer's segment size, deliberately small (at most
 * 536) so the first segments are not mistaken for full-sized ones. Capture a: min(1460, 1448,
 * 65160 / 2, 536) = 536.
 */
export function initialRcvMss(p: { advmss: number; mssCache: number; rcvWnd: number }): number {
  let hint = Math.min(p.advmss, p.mssCache);
  hint = Math.min(hint, Math.floor(p.rcvWnd / 2));
  hint = Math.min(hint, TCP_DEFAULT_MSS);
  return Math.max(hint, TCP_MIN_MSS);
}

/**
 * tcp_measure_rcv_mss() for an arriving data segment. `len` = payload bytes, `headerLen` = this
 * segment's TCP header length (doff * 4), `ownHeaderLen` = tp->tcp_header_len (20, or 32 with
 * timestamps), `remnant` = FIN, URG, SYN or PSH set. Linux also re-measures scaling_ratio here; we
 * keep it fixed (window.ts).
 */
export function measureRcvMss(
  st: DelackState,
  p: { len: number; headerLen: number; ownHeaderLen: number; advmss: number; remnant: boolean },
): void {
  const lss = st.lastSegSize;
  st.lastSegSize = 0;
  if (p.len >= st.rcvMss) {
    st.rcvMss = Math.min(p.len, p.advmss);
    return;
  }
  // Smaller than our estimate: count it as full-sized only if it is big enough and repeats.
  let len = p.len + p.headerLen;
  if (len >= TCP_DEFAULT_MSS + 20 || (len >= TCP_MIN_MSS + 20 && !p.remnant)) {
    len -= p.ownHeaderLen;
    st.lastSegSize = len;
    if (len === lss) {
      st.rcvMss = len;
      return;
    }
  }
  if (st.pushed) st.pushed2 = true;
  st.pushed = true;
}

/** tcp_incr_quickack(): allow min(rcv_wnd / (2 * rcv_mss), max) immediate ACKs (at least 2). */
export function incrQuickack(st: DelackState, rcvWnd: number, maxQuickacks = TCP_MAX_QUICKACKS): void {
  let quickacks = Math.floor(rcvWnd / (2 * st.rcvMss));
  if (quickacks === 0) quickacks = 2;
  quickacks = Math.min(quickacks, maxQuickacks);
  if (quickacks > st.quick) st.quick = quickacks;
}

/**
 * tcp_enter_quickack_mode(): e.g. on out-of-order or duplicate data, or a CE mark; leaves pingpong
 * mode and resets ato.
 */
export function enterQuickackMode(st: DelackState, rcvWnd: number, maxQuickacks = TCP_MAX_QUICKACKS): void {
  incrQuickack(st, rcvWnd, maxQuickacks);
  st.pingpong = 0;
  st.atoJ = TCP_ATO_MIN_J;
}

/** inet_csk_in_pingpong_mode(). */
export function inPingpongMode(st: DelackState): boolean {
  return st.pingpong >= TCP_PINGPONG_THRESH;
}

/** tcp_in_quickack_mode() (without the per-route quickack metric). */
export function inQuickackMode(st: DelackState): boolean {
  return st.quick > 0 && !inPingpongMode(st);
}

/** inet_csk_enter_pingpong_mode(), e.g. tcp_fin() on receiving a FIN in ESTABLISHED. */
export function enterPingpongMode(st: DelackState): void {
  st.pingpong = TCP_PINGPONG_THRESH;
}

/**
 * tcp_event_data_recv(): an in-order data segment was queued. Schedules an ACK and adapts ato to
 * the inter-arrival time; the first data segment, or one after a gap longer than the RTO, opens a
 * quick-ack phase ("at connection start and after idle").
 */
export function onDataReceived(st: DelackState, p: { nowNs: number; rtoNs: number; rcvWnd: number }): void {
  st.scheduled = true; // inet_csk_schedule_ack
  const now = nsToJiffies(p.nowNs);
  const rtoJ = Math.round(p.rtoNs / JIFFY_NS);
  if (!st.atoJ) {
    // The first data packet: initialize the delayed-ACK engine.
    incrQuickack(st, p.rcvWnd);
    st.atoJ = TCP_ATO_MIN_J;
  } else {
    const m = now - st.lrcvJ;
    if (m <= TCP_ATO_MIN_J / 2) {
      st.atoJ = (st.atoJ >> 1) + TCP_ATO_MIN_J / 2;
    } else if (m < st.atoJ) {
      st.atoJ = (st.atoJ >> 1) + m;
      if (st.atoJ > rtoJ) st.atoJ = rtoJ;
    } else if (m > rtoJ) {
      // Too long a gap: the sender probably restarted from a small window; ACK quickly.
      incrQuickack(st, p.rcvWnd);
    }
  }
  st.lrcvJ = now;
}

/**
 * __tcp_ack_snd_check()'s "send now" test: more than one full-sized segment unacknowledged (and the
 * window would not shrink, or SO_RCVLOWAT is not yet met), quick-ack mode, or a mandated immediate
 * ACK. Otherwise the caller arms the delayed ACK (scheduleDelayedAck).
 * `windowWouldNotShrink` = (idealWindow() >= rcv_wnd); `belowRcvLowat` = rcv_nxt - copied_seq <
 * SO_RCVLOWAT.
 */
export function shouldAckNow(
  st: DelackState,
  p: { rcvNxt: number; rcvWup: number; windowWouldNotShrink: boolean; belowRcvLowat?: boolean },
): boolean {
  const unacked = seqDiff(p.rcvNxt, p.rcvWup);
  if (unacked > st.rcvMss && (p.belowRcvLowat === true || p.windowWouldNotShrink)) return true;
  return inQuickackMode(st) || st.ackNow;
}

export type DelayedAckDecision = { sendNow: true } | { sendNow: false; deadlineNs: number };

/**
 * tcp_send_delayed_ack(): when to send the owed ACK. ato is capped at 500 ms (200 ms in pingpong or
 * after a pushed segment), at SRTT (but not below 40 ms) when an RTT is known, and at delack_max
 * (200 ms). If a delayed ACK is already armed and due within ato/4, send now; otherwise keep the
 * earlier deadline. Updates st.timerDeadlineNs.
 */
export function scheduleDelayedAck(
  st: DelackState,
  p: { nowNs: number; srttNs?: number; delackMaxNs?: number },
): DelayedAckDecision {
  let ato = st.atoJ;
  if (ato > TCP_DELACK_MIN_J) {
    let maxAto = HZ / 2;
    if (inPingpongMode(st) || st.pushed) maxAto = TCP_DELACK_MAX_J;
    // Slow path, inter-segment interval is "high": bound by the measured RTT.
    if (p.srttNs !== undefined && p.srttNs > 0) {
      const rtt = Math.max(usecsToJiffies(nsToUs(p.srttNs)), TCP_DELACK_MIN_J);
      if (rtt < maxAto) maxAto = rtt;
    }
    ato = Math.min(ato, maxAto);
  }
  ato = Math.min(ato, Math.round((p.delackMaxNs ?? TCP_DELACK_MAX_NS) / JIFFY_NS));
  let deadline = p.nowNs + ato * JIFFY_NS;
  if (st.timerDeadlineNs !== undefined) {
    // If the delayed-ACK timer is about to expire, send the ACK now.
    if (st.timerDeadlineNs <= p.nowNs + (ato >> 2) * JIFFY_NS) return { sendNow: true };
    if (!(deadline < st.timerDeadlineNs)) deadline = st.timerDeadlineNs;
  }
  st.scheduled = true;
  st.timerDeadlineNs = deadline;
  return { sendNow: false, deadlineNs: deadline };
}

/**
 * tcp_event_ack_sent(): any segment carrying the current rcv_nxt as its ACK was sent. Counts one
 * quick ACK if one was owed (tcp_dec_quickack_mode; leaving quick-ack deflates ato) and clears the
 * pending-ACK state and the delayed-ACK timer.
 */
export function onAckSent(st: DelackState): void {
  if (st.quick) {
    const pkts = st.scheduled ? 1 : 0;
    if (pkts >= st.quick) {
      st.quick = 0;
      st.atoJ = TCP_ATO_MIN_J;
    } else {
      st.quick -= pkts;
    }
  }
  st.scheduled = false;
  st.timerDeadlineNs = undefined;
  st.pushed = false;
  st.pushed2 = false;
  st.ackNow = false;
}

/**
 * tcp_event_data_sent(): we sent data. A reply within ato of the last received data counts toward
 * pingpong (interactive) mode, in which ACKs are delayed to piggy-back on replies.
 */
export function onDataSent(st: DelackState, nowNs: number): void {
  if (nsToJiffies(nowNs) - st.lrcvJ < st.atoJ && st.pingpong < 255) st.pingpong++;
}

export type DelackTimerOutcome = 'send' | 'rearm' | 'none';

/**
 * tcp_delack_timer_handler(): the delayed-ACK timer fired. 'rearm' if the deadline moved later,
 * 'none' if nothing is owed, else 'send' after adjusting ato: the delayed ACK "missed" (no reply
 * carried it), so outside pingpong ato doubles (up to the RTO); in pingpong mode we leave pingpong
 * and reset ato to 40 ms.
 */
export function onDelackTimer(st: DelackState, p: { nowNs: number; rtoNs: number }): DelackTimerOutcome {
  if (st.timerDeadlineNs === undefined) return 'none';
  if (st.timerDeadlineNs > p.nowNs) return 'rearm';
  st.timerDeadlineNs = undefined;
  if (!st.scheduled) return 'none';
  if (!inPingpongMode(st)) {
    st.atoJ = Math.min(st.atoJ * 2, Math.round(p.rtoNs / JIFFY_NS));
  } else {
    st.pingpong = 0;
    st.atoJ = TCP_ATO_MIN_J;
  }
  return 'send';
}

/**
 * __tcp_cleanup_rbuf(): after the application read `copied` bytes, should we ACK now? Yes if an ACK
 * is owed and either more than one segment is unacknowledged or the read drained a small pushed
 * segment (non-interactive); or if the read opened the window "significantly" (the new window is at
 * least twice what the peer still has, checked only when that is at most half the clamp).
 */
export function ackAfterRead(
  st: DelackState,
  p: {
    copied: number;
    rcvNxt: number;
    rcvWup: number;
    /** Receive queue empty after the read (sk_rmem_alloc == 0). */
    queueEmpty: boolean;
    /** RCV_SHUTDOWN: no more data will come. */
    rcvShutdown: boolean;
    /** tcp_receive_window(): what the peer may still send under our last offer. */
    rcvWindowNow: number;
    windowClamp: number;
    /** idealWindow().window now that the data was read. */
    newWindow: number;
  },
): boolean {
  if (st.scheduled) {
    if (seqDiff(p.rcvNxt, p.rcvWup) > st.rcvMss) return true;
    if (p.copied > 0 && (st.pushed2 || (st.pushed && !inPingpongMode(st))) && p.queueEmpty) return true;
  }
  if (p.copied > 0 && !p.rcvShutdown && 2 * p.rcvWindowNow <= p.windowClamp) {
    if (p.newWindow && p.newWindow >= 2 * p.rcvWindowNow) return true;
  }
  return false;
}
