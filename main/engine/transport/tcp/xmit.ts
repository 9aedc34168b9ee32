// Sending on a connection: data within the congestion and peer windows with Nagle (tcp_write_xmit),
// ACKs (tcp_send_ack / delayed ACK), FIN, the retransmission timer (RFC 6298) and active resets.
import { seqAdd, seqDiff, seqGt, seqLt, TcpFlag, type LinuxOptionRequest } from '../../../../shared/wire';
import { transmit } from './output';
import { chargeInNic, smallQueueThrottled } from './small-queues';
import { lossProbeTimeoutNs, onAckSent, onDataSent, onDelackTimer, scheduleDelayedAck, shouldAckNow, tsVal } from './kernels';
import { TCP_RTO_MAX_NS, TCP_RTO_MIN_NS, synTimeout, synWindow } from './params';
import type { TcpSock } from './sock';

/** TS value: a 1 ms clock plus the connection's random offset (tcp_time_stamp_ms + ts_off). */
export function tsNow(sk: TcpSock): number {
  return tsVal(sk.tcp.env.sched.now, sk.tsOffset);
}

function options(sk: TcpSock, withAck: boolean): LinuxOptionRequest | undefined {
  const o: LinuxOptionRequest = sk.tsOk ? { ts: { val: tsNow(sk), ecr: sk.tsRecent } } : {};
  if (withAck && sk.sackOk) {
    const blocks = sackBlocks(sk, sk.tsOk ? 3 : 4);
    if (blocks.length) o.sackBlocks = blocks;
  }
  return o.ts || o.sackBlocks ? o : undefined;
}

/**
 * tcp_build_sack / tcp_dsack_set: a pending D-SACK first, then the out-of-order ranges (merged),
 * the most recently extended one first; at most 3 blocks beside timestamps (40 option bytes).
 */
function sackBlocks(sk: TcpSock, max: number): [number, number][] {
  const out: [number, number][] = [];
  if (sk.dsack) {
    out.push(sk.dsack);
    sk.dsack = null;
  }
  const ranges: [number, number][] = [];
  for (const s of sk.ooo) {
    const end = seqAdd(s.seq, s.data.length + (s.fin ? 1 : 0));
    const last = ranges[ranges.length - 1];
    if (last && !seqLt(last[1], s.seq)) {
      if (seqGt(end, last[1])) last[1] = end;
    } else ranges.push([s.seq, end]);
  }
  const recent = ranges.findIndex((r) => sk.lastOoo !== null && !seqLt(sk.lastOoo, r[0]) && seqLt(sk.lastOoo, r[1]));
  if (recent > 0) ranges.unshift(...ranges.splice(recent, 1));
  for (const r of ranges) if (out.length < max) out.push(r);
  return out;
}

/** The window to advertise (tcp_select_window): free receive space, never shrinking the right edge. */
export function selectWindow(sk: TcpSock): number {
  const free = Math.max(0, sk.rcvBuf - sk.rcvQ.length - sk.ooo.reduce((a, s) => a + s.data.length, 0));
  const cap = (0xffff << sk.rcvWscale) >>> 0;
  let win = Math.min(free, sk.rcvWndClamp, cap);
  // Never move the right edge left (RFC 9293 3.8.6.2.2): keeping the offer rounds it up to the
  // scale (ALIGN in tcp_select_window), otherwise the new window is rounded down.
  const curEdgeLeft = seqDiff(seqAdd(sk.rcvWup, sk.rcvWnd), sk.rcvNxt);
  const unit = 1 << sk.rcvWscale;
  win = Math.floor(win / unit) * unit;
  if (win < curEdgeLeft) win = Math.ceil(curEdgeLeft / unit) * unit;
  sk.rcvWnd = win;
  sk.rcvWup = sk.rcvNxt;
  return win >> sk.rcvWscale;
}

/**
 * Send a segment of this connection with the current ACK and window; `queued` = payload taken
 * from the send queue (offset from snd_una, length), written straight into the frame.
 */
export function sendSegment(sk: TcpSock, seq: number, flags: number, queued?: { offset: number; len: number }): void {
  const ackNow = (flags & TcpFlag.ACK) !== 0;
  const payload = queued && queued.len > 0 ? { from: sk.sndQ, offset: queued.offset, len: queued.len } : undefined;
  transmit(sk.tcp.env, sk, { seq, ack: ackNow ? sk.rcvNxt : 0, flags, window: selectWindow(sk), options: options(sk, ackNow && !(flags & TcpFlag.RST)), payload });
  if (payload) chargeInNic(sk, sk.tcp.env.stack.lastDepartureNs, payload.len);
  if (ackNow) {
    onAckSent(sk.delack); // tcp_event_ack_sent: the owed ACK is paid, the delayed-ACK timer stops
    sk.tcp.env.sched.cancel(sk.delackTimer);
    sk.delackTimer = null;
  }
  if (payload) onDataSent(sk.delack, sk.tcp.env.sched.now);
}

export function sendAck(sk: TcpSock): void {
  sendSegment(sk, sk.sndNxt, TcpFlag.ACK);
}

/** Our SYN (active open) or SYN-ACK (simultaneous open) with Linux's SYN options. */
export function sendSyn(sk: TcpSock, withAck: boolean): void {
  const sysctl = sk.tcp.env.sysctl;
  const opts: LinuxOptionRequest = { mss: sk.advMss };
  if (sysctl.int('net.ipv4.tcp_sack')) opts.sackPerm = true;
  if (sysctl.int('net.ipv4.tcp_timestamps')) opts.ts = { val: tsNow(sk), ecr: withAck ? sk.tsRecent : 0 };
  if (sysctl.int('net.ipv4.tcp_window_scaling')) opts.wscale = sk.rcvWscale;
  const flags = TcpFlag.SYN | (withAck ? TcpFlag.ACK : 0);
  transmit(sk.tcp.env, sk, { seq: sk.iss, ack: withAck ? sk.rcvNxt : 0, flags, window: synWindow(sk.advMss), options: opts });
}

/** tcp_send_active_reset: `R. seq=snd_nxt ack=rcv_nxt`, with timestamps and our window. */
export function sendActiveReset(sk: TcpSock): void {
  sendSegment(sk, sk.sndNxt, TcpFlag.RST | TcpFlag.ACK);
}

/**
 * tcp_write_xmit: send queued data while the congestion window (cwnd segments) and the peer's
 * window allow; Nagle holds back a small segment while data is unacknowledged (unless TCP_NODELAY).
 * Then the FIN, once everything before it has been sent.
 */
export function writeXmit(sk: TcpSock, pushed: boolean, wakeup = false): void {
  const st = sk.state;
  if (st !== 'ESTABLISHED' && st !== 'CLOSE_WAIT' && st !== 'FIN_WAIT1' && st !== 'LAST_ACK' && st !== 'CLOSING') return;
  const env = sk.tcp.env;
  for (;;) {
    const sent = seqDiff(sk.sndNxt, sk.sndUna) - (sk.finSent ? 1 : 0);
    const unsent = sk.sndQ.length - sent;
    if (unsent <= 0) break;
    const cwndRoom = sk.cwnd * sk.mss - sk.unacked;
    const wndRoom = sk.sndWnd - sent;
    let len = Math.min(unsent, sk.mss);
    if (wndRoom <= 0 || cwndRoom <= 0) {
      if (wndRoom <= 0 && sk.unacked === 0) armPersist(sk);
      break;
    }
    len = Math.min(len, wndRoom, Math.max(cwndRoom, 0));
    if (len < sk.mss && len < unsent && !wakeup) {
      // tcp_snd_wnd_test: less than an MSS of window. With nothing in flight no ACK will come to
      // open it, so the probe timer's tcp_write_wakeup sends what fits (which can close the window).
      if (sk.unacked === 0 && len === wndRoom) armPersist(sk);
      break;
    }
    if (len < sk.mss && !sk.nodelay && sk.unacked > 0 && !(sk.finQueued && len === unsent)) break; // Nagle (RFC 896)
    if (smallQueueThrottled(sk, len, resumeAfterTsq)) break;
    const last = len === unsent;
    const withFin = last && sk.finQueued && !sk.finSent;
    let flags = TcpFlag.ACK | (last && pushed ? TcpFlag.PSH : 0);
    if (withFin) flags |= TcpFlag.FIN;
    const seq = sk.sndNxt;
    sendSegment(sk, seq, flags, { offset: sent, len });
    sk.sndNxt = seqAdd(sk.sndNxt, len);
    if (withFin) markFinSent(sk);
    if (!sk.rttProbe) sk.rttProbe = { endSeq: sk.sndNxt, at: env.sched.now };
    if (!sk.rtxTimer) armXmitTimer(sk);
  }
  // A FIN with nothing left to send goes on its own.
  const sentAll = seqDiff(sk.sndNxt, sk.sndUna) - (sk.finSent ? 1 : 0) >= sk.sndQ.length;
  if (sk.finQueued && !sk.finSent && sentAll) {
    sendSegment(sk, sk.sndNxt, TcpFlag.FIN | TcpFlag.ACK);
    markFinSent(sk);
    if (!sk.rtxTimer) armRetransmit(sk);
  }
}

/** tcp_tsq_handler: a queued packet left the NIC; send what TSQ held back. */
function resumeAfterTsq(sk: TcpSock): void {
  writeXmit(sk, true);
}

function markFinSent(sk: TcpSock): void {
  sk.finSent = true;
  sk.finSeq = sk.sndNxt;
  sk.sndNxt = seqAdd(sk.sndNxt, 1);
}

// ---------------------------------------------------------------- delayed ACK

/**
 * __tcp_ack_snd_check: ACK at once for out-of-order data, in quick-ack mode, or when more than one
 * full-sized segment is unacknowledged; otherwise arm the delayed ACK (tcp_send_delayed_ack), whose
 * timeout `ato` Linux adapts to the arrival pattern (0 before any data, 40 ms at first).
 */
export function ackSndCheck(sk: TcpSock, ofo: boolean): void {
  const st = sk.delack;
  if (!st.scheduled) return;
  if (ofo || shouldAckNow(st, { rcvNxt: sk.rcvNxt, rcvWup: sk.rcvWup, windowWouldNotShrink: true })) return sendAck(sk);
  const d = scheduleDelayedAck(st, { nowNs: sk.tcp.env.sched.now, srttNs: sk.rtt.hasSample ? sk.rtt.srttNs : undefined });
  if (d.sendNow) return sendAck(sk);
  armDelack(sk, d.deadlineNs);
}

function armDelack(sk: TcpSock, at: number): void {
  const { sched } = sk.tcp.env;
  sched.cancel(sk.delackTimer);
  sk.delackTimer = sched.at(Math.max(at, sched.now), () => {
    sk.delackTimer = null;
    if (sk.state === 'CLOSE') return;
    const r = onDelackTimer(sk.delack, { nowNs: sched.now, rtoNs: sk.rtt.rtoNs });
    if (r === 'send') sendAck(sk);
    else if (r === 'rearm' && sk.delack.timerDeadlineNs !== undefined) armDelack(sk, sk.delack.timerDeadlineNs);
  });
}

// ---------------------------------------------------------------- retransmission

export function armRetransmit(sk: TcpSock): void {
  const { sched } = sk.tcp.env;
  sched.cancel(sk.rtxTimer);
  sk.rtxKind = 'on';
  const timeout = sk.state === 'SYN_SENT' ? synTimeout(sk.synSent, sk.tcp.env.sysctl.int('net.ipv4.tcp_syn_linear_timeouts')) : sk.rtt.rtoNs;
  sk.rtxTimer = sched.after(timeout, () => {
    sk.rtxTimer = null;
    sk.tcp.retransmitTimer(sk);
  });
}

/**
 * tcp_set_xmit_timer: with new data in flight, a tail-loss probe (RFC 8985; tcp_schedule_loss_probe)
 * comes before the RTO: after min(2 x SRTT + (one segment out ? 200 ms : 2 ms), RTO) the last
 * segment is sent again, which draws an ACK (or SACK) that tells what was lost; then the RTO.
 */
export function armXmitTimer(sk: TcpSock): void {
  const eligible = (sk.state === 'ESTABLISHED' || sk.state === 'CLOSE_WAIT') && sk.recover === null && sk.retransmits === 0 && sk.tlpHighSeq === null && outstanding(sk);
  if (!eligible) return armRetransmit(sk);
  const { sched } = sk.tcp.env;
  sched.cancel(sk.rtxTimer);
  sk.rtxKind = 'on';
  const pto = lossProbeTimeoutNs({ srttNs: sk.rtt.hasSample ? sk.rtt.srttNs : undefined, packetsOut: Math.max(1, Math.ceil(sk.unacked / sk.mss)), rtoRemainingNs: sk.rtt.rtoNs });
  sk.rtxTimer = sched.after(pto, () => {
    sk.rtxTimer = null;
    if (sk.state === 'CLOSE' || !outstanding(sk)) return;
    sendLossProbe(sk);
  });
}

/** tcp_send_loss_probe: resend the last segment (the highest sequence sent), then arm the RTO. */
function sendLossProbe(sk: TcpSock): void {
  const sentData = seqDiff(sk.sndNxt, sk.sndUna) - (sk.finSent ? 1 : 0);
  const len = Math.min(sk.mss, sentData);
  const offset = sentData - len;
  let flags = TcpFlag.ACK | (len > 0 ? TcpFlag.PSH : 0);
  if (sk.finSent) flags |= TcpFlag.FIN;
  sendSegment(sk, seqAdd(sk.sndUna, offset), flags, { offset, len });
  sk.tlpHighSeq = sk.sndNxt;
  sk.rttProbe = null;
  sk.tcp.env.stack.bump('TcpRetransSegs');
  sk.tcp.env.stack.bump('TcpExtTCPLossProbes');
  armRetransmit(sk);
}

export function stopRetransmit(sk: TcpSock): void {
  sk.tcp.env.sched.cancel(sk.rtxTimer);
  sk.rtxTimer = null;
}

/** Zero-window probing (tcp_probe_timer): an old ACK (seq snd_una - 1) to make the peer say its window. */
function armPersist(sk: TcpSock): void {
  if (sk.rtxTimer) return;
  const { sched } = sk.tcp.env;
  sk.rtxKind = 'persist';
  sk.rtxTimer = sched.after(Math.min(Math.max(sk.rtt.baseRtoNs(), TCP_RTO_MIN_NS) * 2 ** sk.retransmits, TCP_RTO_MAX_NS), () => {
    sk.rtxTimer = null;
    if (sk.state === 'CLOSE') return;
    const sent = seqDiff(sk.sndNxt, sk.sndUna) - (sk.finSent ? 1 : 0);
    if (sk.sndWnd - sent > 0) return writeXmit(sk, true, true); // tcp_write_wakeup: send what fits
    sendSegment(sk, seqAdd(sk.sndUna, -1), TcpFlag.ACK);
    sk.retransmits++;
    sk.tcp.env.stack.bump('TcpExtTCPWinProbe');
    armPersist(sk);
  });
}

/** Resend the first unacknowledged segment (tcp_retransmit_skb of the head). */
export function retransmitHead(sk: TcpSock): void {
  const len = Math.min(sk.mss, sk.sndQ.length, Math.max(sk.sndWnd, 1));
  const finOnly = len === 0 && sk.finSent;
  let flags = TcpFlag.ACK | (len > 0 ? TcpFlag.PSH : 0);
  const dataEnd = seqAdd(sk.sndUna, len);
  if (sk.finSent && (finOnly || (seqLt(dataEnd, sk.sndNxt) && seqDiff(sk.finSeq, dataEnd) === 0))) flags |= TcpFlag.FIN;
  sendSegment(sk, sk.sndUna, flags, { offset: 0, len });
  sk.rttProbe = null; // Karn's algorithm
  sk.tcp.env.stack.bump('TcpRetransSegs');
}

/** Is there anything outstanding that the retransmission timer guards? */
export function outstanding(sk: TcpSock): boolean {
  return seqGt(sk.sndNxt, sk.sndUna);
}
