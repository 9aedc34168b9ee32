// Segment arrival on a connection (RFC 9293 section 3.10.7; Linux tcp_rcv_state_process,
// tcp_validate_incoming, tcp_ack, tcp_data_queue, tcp_fin). Returns what happened, for the trace.
import type { SocketStateName } from '../../../../shared/api/kernel-view';
import type { DropReason } from '../../../../shared/trace';
import { seqAdd, seqDiff, seqGeq, seqGt, seqLeq, seqLt, TCP_DEFAULT_MSS, TCP_MAX_WSCALE, TcpFlag } from '../../../../shared/wire';
import type { TransportEnv } from '../env';
import { resetFor } from './output';
import { enterPingpongMode, initialRcvMss, newDelackState, onDataReceived, TCPOLEN_TSTAMP_ALIGNED } from './kernels';
import { RCV_WND_INIT } from './params';
import { has, type Segment } from './segment';
import type { TcpSock } from './sock';
import { ackSndCheck, armXmitTimer, outstanding, retransmitHead, sendAck, sendSyn, stopRetransmit, writeXmit } from './xmit';

export interface InputOutcome {
  queue?: string;
  reply?: string;
  drop?: { reason: DropReason; text: string };
  stateChange?: { from: SocketStateName; to: SocketStateName };
  summary: string;
}

const dropped = (reason: DropReason, text: string, reply?: string): InputOutcome => ({ drop: { reason, text }, reply, summary: `dropped: ${text}${reply ? ` (answered with ${reply})` : ''}` });

export function segmentArrives(sk: TcpSock, seg: Segment): InputOutcome {
  const from = sk.state;
  const out = sk.state === 'SYN_SENT' ? synSent(sk, seg) : synchronized(sk, seg);
  if (sk.state !== from && !out.stateChange) out.stateChange = { from, to: sk.state };
  return out;
}

// ---------------------------------------------------------------- SYN_SENT

function synSent(sk: TcpSock, seg: Segment): InputOutcome {
  const env = sk.tcp.env;
  if (has(seg, TcpFlag.ACK) && seg.ack !== seqAdd(sk.iss, 1)) {
    // RFC 9293: an unacceptable ACK in SYN-SENT gets a reset (unless it is one).
    const r = resetFor(env, seg);
    return dropped('TCP_INVALID_SEQUENCE', `ACK ${seg.ack} does not acknowledge our SYN`, r ?? undefined);
  }
  if (has(seg, TcpFlag.RST)) {
    if (!has(seg, TcpFlag.ACK)) return dropped('TCP_RESET', 'RST without ACK in SYN_SENT is ignored');
    sk.tcp.reset(sk, 'connection refused (RST in answer to our SYN)');
    return { summary: 'RST answers our SYN: connect() fails with ECONNREFUSED' };
  }
  if (!has(seg, TcpFlag.SYN)) return dropped('TCP_FLAGS', 'no SYN in answer to our SYN');
  negotiate(sk, seg);
  sk.irs = seg.seq;
  sk.rcvNxt = seqAdd(seg.seq, 1);
  sk.rcvWup = sk.rcvNxt;
  sk.sndWl1 = seg.seq;
  if (has(seg, TcpFlag.ACK)) {
    sk.sndUna = seg.ack;
    sk.sndWnd = seg.window; // never scaled in a SYN (RFC 7323 2.2)
    sk.sndWl2 = seg.ack;
    if (sk.synSent === 1) sk.rtt.sample(env.sched.now - sk.synAt, sk.sndUna, sk.sndNxt);
    else sk.rtt.fallbackWithoutSample(); // TCP_TIMEOUT_FALLBACK (3 s) after handshake retransmits
    stopRetransmit(sk);
    sk.retransmits = 0;
    sk.setState('ESTABLISHED', 'SYN-ACK received');
    sk.expandSndBuf();
    sendAck(sk);
    writeXmit(sk, true);
    return { summary: 'SYN-ACK completes our connect(): ESTABLISHED, ACK sent', reply: 'ACK' };
  }
  // Simultaneous open (RFC 9293 3.5): both sides sent SYNs.
  sk.setState('SYN_RECV', 'SYN received while in SYN_SENT (simultaneous open)');
  sendSyn(sk, true);
  return { summary: 'simultaneous open: SYN answered with SYN-ACK', reply: 'SYN-ACK' };
}

/**
 * A full socket in SYN_RECV (simultaneous open) gets the ACK of its SYN-ACK: ESTABLISHED
 * (tcp_rcv_state_process, case TCP_SYN_RECV); an ACK that does not acknowledge it gets an RST.
 */
function synRecvAck(sk: TcpSock, seg: Segment): InputOutcome {
  if (!seqGt(seg.ack, sk.sndUna) || seqGt(seg.ack, sk.sndNxt)) {
    const r = resetFor(sk.tcp.env, seg);
    return dropped('TCP_INVALID_SEQUENCE', `ACK ${seg.ack} does not acknowledge our SYN-ACK`, r ?? undefined);
  }
  sk.sndUna = seg.ack;
  // A SYN's window is never scaled (RFC 7323 2.2).
  sk.sndWnd = has(seg, TcpFlag.SYN) ? seg.window : seg.window << sk.sndWscale;
  sk.maxWindow = sk.sndWnd;
  sk.sndWl1 = seg.seq;
  sk.sndWl2 = seg.ack;
  stopRetransmit(sk);
  sk.retransmits = 0;
  sk.setState('ESTABLISHED', 'our SYN-ACK was acknowledged (simultaneous open)');
  sk.expandSndBuf();
  return { summary: 'simultaneous open complete: ESTABLISHED', stateChange: { from: 'SYN_RECV', to: 'ESTABLISHED' } };
}

/** Options both sides agreed on (tcp_parse_options + tcp_mss_to_mtu). */
export function negotiate(sk: TcpSock, seg: Segment): void {
  const sysctl = sk.tcp.env.sysctl;
  const peerMss = seg.opts.mss ?? TCP_DEFAULT_MSS;
  sk.tsOk = !!sysctl.int('net.ipv4.tcp_timestamps') && seg.opts.tsVal !== undefined;
  sk.sackOk = !!sysctl.int('net.ipv4.tcp_sack') && seg.opts.sackPermitted;
  if (sysctl.int('net.ipv4.tcp_window_scaling') && seg.opts.wscale !== undefined) {
    sk.sndWscale = Math.min(seg.opts.wscale, TCP_MAX_WSCALE);
  } else {
    sk.sndWscale = 0;
    sk.rcvWscale = 0;
  }
  if (sk.tsOk) sk.tsRecent = seg.opts.tsVal!;
  // Payload per segment: the smaller MSS, less the 12 bytes of timestamps on every segment.
  sk.mss = Math.min(peerMss, sk.advMss) - (sk.tsOk ? TCPOLEN_TSTAMP_ALIGNED : 0);
  sk.rcvMss = Math.min(peerMss, sk.advMss);
  sk.cc.setMss(sk.mss);
  sk.delack = newDelackState(initialRcvMss({ advmss: sk.advMss, mssCache: sk.mss, rcvWnd: sk.rcvWnd || RCV_WND_INIT }));
}

// ---------------------------------------------------------------- synchronized states

/** tcp_sequence: does the segment overlap the receive window? */
function acceptable(sk: TcpSock, seg: Segment): boolean {
  const window = Math.max(0, seqDiff(seqAdd(sk.rcvWup, sk.rcvWnd), sk.rcvNxt));
  return !seqLt(seg.endSeq, sk.rcvWup) && !seqGt(seg.seq, seqAdd(sk.rcvNxt, window));
}

/**
 * __tcp_oow_rate_limited: out-of-window ACKs and challenge ACKs go at most once per
 * tcp_invalid_ratelimit (500 ms) per socket (or TIME_WAIT entry); segments that carry data are never
 * limited. Records the send in holder.lastOowAck when allowed.
 */
export function oowAllowed(holder: { lastOowAck: number | null }, seg: Segment, env: Pick<TransportEnv, 'sched' | 'sysctl'>): boolean {
  if (seg.data.length > 0 && !has(seg, TcpFlag.SYN)) return true;
  const now = env.sched.now;
  const gap = env.sysctl.int('net.ipv4.tcp_invalid_ratelimit') * 1e6;
  if (holder.lastOowAck !== null && now - holder.lastOowAck < gap) return false;
  holder.lastOowAck = now;
  return true;
}

/** tcp_send_challenge_ack (RFC 5961): rate-limited. */
function challengeAck(sk: TcpSock, seg: Segment): string | undefined {
  if (!oowAllowed(sk, seg, sk.tcp.env)) {
    sk.tcp.env.stack.bump('TcpExtTCPACKSkippedChallenge');
    return undefined;
  }
  sendAck(sk);
  sk.tcp.env.stack.bump('TcpExtTCPChallengeACK');
  return 'ACK (challenge)';
}

/** tcp_reset_check: exactly rcv_nxt, or rcv_nxt - 1 in the closing states (the peer ACKed our FIN). */
function resetAcceptable(sk: TcpSock, seg: Segment): boolean {
  if (seg.seq === sk.rcvNxt) return true;
  return seg.seq === seqAdd(sk.rcvNxt, -1) && (sk.state === 'CLOSE_WAIT' || sk.state === 'LAST_ACK' || sk.state === 'CLOSING');
}

function synchronized(sk: TcpSock, seg: Segment): InputOutcome {
  const env = sk.tcp.env;
  // tcp_validate_incoming: PAWS first (RFC 7323 5, tcp_paws_discard): a timestamp older than the
  // last one by more than 1 tick is a wrapped old duplicate. An RST is still looked at.
  if (sk.tsOk && seg.opts.tsVal !== undefined && !has(seg, TcpFlag.RST) && ((sk.tsRecent - seg.opts.tsVal) | 0) > 1) {
    env.stack.bump('TcpExtPAWSEstab');
    const sent = oowAllowed(sk, seg, env);
    if (sent) sendAck(sk);
    return dropped('TCP_RFC7323_PAWS', `timestamp ${seg.opts.tsVal} is older than the last seen (${sk.tsRecent})`, sent ? 'ACK' : undefined);
  }
  // tcp_validate_incoming, step 1: the sequence number.
  if (!acceptable(sk, seg)) {
    if (has(seg, TcpFlag.RST)) {
      if (resetAcceptable(sk, seg)) {
        const from = sk.state;
        sk.tcp.reset(sk, 'RST at rcv_nxt - 1 (tcp_reset_check)');
        return { summary: `connection reset by peer (${sk.err ?? 'closed'})`, stateChange: { from, to: 'CLOSE' } };
      }
      return dropped('TCP_INVALID_SEQUENCE', 'RST outside the window is ignored');
    }
    if (has(seg, TcpFlag.SYN)) return dropped('TCP_INVALID_SYN', 'SYN outside the window: challenge ACK', challengeAck(sk, seg));
    // tcp_send_dupack: the peer learns where we are (also how a zero-window probe is answered).
    const sent = oowAllowed(sk, seg, env);
    if (sent) sendAck(sk);
    else env.stack.bump('TcpExtTCPACKSkippedSeq');
    return dropped('TCP_INVALID_SEQUENCE', `seq ${seg.seq} is outside the receive window`, sent ? 'ACK' : undefined);
  }
  // Step 2: RST (RFC 5961 3.2).
  if (has(seg, TcpFlag.RST)) {
    if (!resetAcceptable(sk, seg)) return dropped('TCP_RESET', 'RST in the window but not at rcv_nxt: challenge ACK', challengeAck(sk, seg));
    const from = sk.state;
    sk.tcp.reset(sk, 'RST received');
    return { summary: `connection reset by peer (${sk.err ?? 'closed'})`, stateChange: { from, to: 'CLOSE' } };
  }
  // Step 4: SYN (RFC 5961 4.2); the crossing SYN-ACK of a simultaneous open passes.
  const crossingSynAck = sk.state === 'SYN_RECV' && has(seg, TcpFlag.ACK) && seqAdd(seg.seq, 1) === sk.rcvNxt && seg.ack === sk.sndNxt;
  if (has(seg, TcpFlag.SYN) && !crossingSynAck) return dropped('TCP_INVALID_SYN', 'SYN on a synchronized connection: challenge ACK', challengeAck(sk, seg));
  if (!has(seg, TcpFlag.ACK)) return dropped('TCP_FLAGS', 'segment without ACK');
  let synRecvDone: InputOutcome | null = null;
  if (sk.state === 'SYN_RECV') {
    synRecvDone = synRecvAck(sk, seg);
    if (synRecvDone.drop) return synRecvDone;
  }
  if (sk.tsOk && seg.opts.tsVal !== undefined && seqLeq(seg.seq, sk.rcvWup)) sk.tsRecent = seg.opts.tsVal;

  const ack = processAck(sk, seg);
  if (ack === 'unsent') {
    // tcp_ack: -ACK_UNSENT_DATA; ESTABLISHED drops it quietly, the other states send a challenge ACK.
    const reply = sk.state === 'ESTABLISHED' ? undefined : challengeAck(sk, seg);
    return dropped('TCP_ACK_UNSENT_DATA', `ACK ${seg.ack} is for data not yet sent`, reply);
  }
  if (ack === 'too-old') return dropped('TCP_TOO_OLD_ACK', `ACK ${seg.ack} is older than snd_una - max_window`, challengeAck(sk, seg));
  if (sk.state === 'CLOSE') return { summary: 'our FIN is acknowledged: connection closed' };
  const hasText = seg.data.length > 0 || has(seg, TcpFlag.FIN) || has(seg, TcpFlag.SYN);
  if (!hasText) {
    writeXmit(sk, true);
    if (synRecvDone) return synRecvDone;
    return { summary: ack === 'acked' ? `ACK up to ${seqDiff(seg.ack, sk.iss)} (relative)` : 'ACK (nothing new acknowledged)' };
  }
  // Step 7 (tcp_rcv_state_process): after the peer's FIN, new data is ignored; a retransmission
  // still goes to tcp_data_queue, which ACKs it at once.
  if ((sk.state === 'CLOSE_WAIT' || sk.state === 'CLOSING' || sk.state === 'LAST_ACK') && !seqLt(seg.seq, sk.rcvNxt)) {
    return dropped('TCP_OLD_DATA', 'data after the peer\'s FIN is ignored');
  }
  // Data for a socket whose reading side is shut: Linux resets (TCPAbortOnData), RFC 9293 3.10.7.4.
  if ((sk.state === 'FIN_WAIT1' || sk.state === 'FIN_WAIT2') && sk.readShut && seg.data.length > 0 && seqGt(seqAdd(seg.endSeq, has(seg, TcpFlag.FIN) ? -1 : 0), sk.rcvNxt)) {
    env.stack.bump('TcpExtTCPAbortOnData');
    const from = sk.state;
    const r = resetFor(env, seg);
    sk.tcp.reset(sk, 'data arrived after the reading side was shut', sk.orphan ? false : true, 'ECONNRESET');
    return { ...dropped('TCP_CLOSE', 'data for a socket that will not read any more', r ?? undefined), stateChange: { from, to: 'CLOSE' } };
  }
  const q = dataQueue(sk, seg);
  ackSndCheck(sk, q.ofo);
  writeXmit(sk, true);
  return q.outcome;
}

/**
 * tcp_ack. 'unsent': acks something never sent; 'too-old': behind snd_una by more than the largest
 * window the peer offered (RFC 5961 5.2); 'old': behind snd_una; 'acked' / 'dup' otherwise.
 */
function processAck(sk: TcpSock, seg: Segment): 'unsent' | 'too-old' | 'old' | 'acked' | 'dup' {
  const env = sk.tcp.env;
  if (seqGt(seg.ack, sk.sndNxt)) return 'unsent';
  if (seqLt(seg.ack, sk.sndUna)) {
    const maxWindow = Math.min(sk.maxWindow, sk.bytesAcked);
    return seqLt(seg.ack, seqAdd(sk.sndUna, -maxWindow)) ? 'too-old' : 'old';
  }
  const nwin = has(seg, TcpFlag.SYN) ? seg.window : seg.window << sk.sndWscale;
  if (nwin > sk.maxWindow) sk.maxWindow = nwin;
  const windowChanged = nwin !== sk.sndWnd;
  if (seqGt(seg.ack, sk.sndUna) || seqGt(seg.seq, sk.sndWl1) || (seg.seq === sk.sndWl1 && nwin > sk.sndWnd)) {
    sk.sndWnd = nwin;
    sk.sndWl1 = seg.seq;
    sk.sndWl2 = seg.ack;
  }
  const acked = seqDiff(seg.ack, sk.sndUna);
  const priorInFlight = Math.ceil(sk.unacked / sk.mss);
  if (acked === 0) {
    const pureDup = seg.data.length === 0 && !has(seg, TcpFlag.FIN) && !windowChanged && outstanding(sk);
    if (pureDup) dupAck(sk);
    return 'dup';
  }
  const finAcked = sk.finSent && seqGt(seg.ack, sk.finSeq);
  const dataAcked = acked - (finAcked && seqLeq(sk.sndUna, sk.finSeq) ? 1 : 0);
  sk.bytesAcked += acked;
  sk.sndQ.drop(dataAcked);
  sk.sndUna = seg.ack;
  let rttNs: number | undefined;
  if (sk.rttProbe && seqGeq(seg.ack, sk.rttProbe.endSeq)) {
    rttNs = env.sched.now - sk.rttProbe.at;
    sk.rtt.sample(rttNs, sk.sndUna, sk.sndNxt);
    sk.rttProbe = null;
  }
  sk.retransmits = 0;
  sk.tlpHighSeq = null; // tcp_process_tlp_ack (simplified): new data acked ends the probe episode
  congestionOnAck(sk, dataAcked, rttNs, priorInFlight);
  sk.dupAcks = 0;
  if (outstanding(sk)) armXmitTimer(sk);
  else stopRetransmit(sk);
  sk.expandSndBuf();
  sk.waitq.wake();
  if (finAcked) finAcknowledged(sk, has(seg, TcpFlag.FIN));
  return 'acked';
}

function finAcknowledged(sk: TcpSock, segHasFin: boolean): void {
  switch (sk.state) {
    case 'FIN_WAIT1':
      sk.setState('FIN_WAIT2', 'our FIN was acknowledged');
      // An orphan becomes a FIN_WAIT2 timewait entry, unless this segment also carries the peer's
      // FIN, which the socket must still take ("we could lose such FIN otherwise").
      if (sk.orphan && !segHasFin) sk.tcp.timeWait(sk, 'our FIN was acknowledged', 'FIN_WAIT2');
      break;
    case 'CLOSING':
      sk.tcp.timeWait(sk, 'our FIN was acknowledged after the peer\'s');
      break;
    case 'LAST_ACK':
      sk.tcp.done(sk, 'our FIN was acknowledged (passive close complete)');
      break;
    default:
      break;
  }
}

// ---------------------------------------------------------------- congestion control

/**
 * Feed the congestion controller (CUBIC, kernels/cubic.ts) and run NewReno-style recovery
 * (RFC 6582): a partial ACK retransmits the next hole, the full ACK ends recovery. Linux uses
 * SACK + PRR here; without SACK-based recovery this is the documented simplification.
 */
function congestionOnAck(sk: TcpSock, ackedBytes: number, rttNs: number | undefined, priorInFlight: number): void {
  const now = sk.tcp.env.sched.now;
  if (sk.recover !== null) {
    if (seqGeq(sk.sndUna, sk.recover)) {
      sk.recover = null;
      sk.cc.onRecoveryEnd();
    } else {
      retransmitHead(sk);
      return;
    }
  }
  // tcp_is_cwnd_limited: in slow start, using more than half the window counts as limited.
  const cwnd = sk.cc.cwnd;
  const limited = cwnd < sk.cc.ssthresh ? priorInFlight * 2 > cwnd : priorInFlight >= cwnd;
  sk.cc.onAck(ackedBytes, rttNs, now, limited);
}

function dupAck(sk: TcpSock): void {
  sk.dupAcks++;
  if (sk.recover !== null) {
    sk.cc.onDupAck();
    writeXmit(sk, true);
    return;
  }
  if (sk.dupAcks === 3) {
    sk.cc.onFastRetransmit(sk.tcp.env.sched.now);
    sk.recover = sk.sndNxt;
    sk.tcp.env.stack.bump('TcpExtTCPFastRetrans');
    retransmitHead(sk);
  }
}

// ---------------------------------------------------------------- data and FIN

function dataQueue(sk: TcpSock, seg: Segment): { outcome: InputOutcome; ofo: boolean } {
  const env = sk.tcp.env;
  // A SYN occupies the sequence number before the data (the crossing SYN-ACK of a simultaneous open).
  let seq = has(seg, TcpFlag.SYN) ? seqAdd(seg.seq, 1) : seg.seq;
  let data = seg.data;
  let fin = has(seg, TcpFlag.FIN);
  if (seqLt(seq, sk.rcvNxt) || (has(seg, TcpFlag.SYN) && seq === sk.rcvNxt && data.length === 0 && !fin)) {
    const dup = seqDiff(sk.rcvNxt, seq);
    if (dup >= data.length + (fin ? 1 : 0)) {
      // A duplicate: ACK at once, reporting it as a D-SACK block (tcp_dsack_set, RFC 2883).
      if (sk.sackOk && data.length) sk.dsack = [seq, seqAdd(seq, data.length)];
      sendAck(sk);
      env.stack.bump('TcpExtTCPDSACKOldSent');
      return { outcome: dropped('TCP_OLD_DATA', 'duplicate of data already received', 'ACK'), ofo: true };
    }
    data = data.subarray(dup);
    seq = sk.rcvNxt;
  }
  const room = Math.max(0, seqDiff(seqAdd(sk.rcvWup, sk.rcvWnd), seq));
  if (data.length > room) {
    if (room === 0 && data.length > 0) {
      sendAck(sk);
      return { outcome: dropped('TCP_ZEROWINDOW', 'our receive window is zero', 'ACK'), ofo: true };
    }
    data = data.subarray(0, room);
    fin = false;
  }
  if (seq !== sk.rcvNxt) {
    sk.ooo.push({ seq, data, fin }); // a view of the frame: frames are never written after sending
    sk.ooo.sort((a, b) => seqDiff(a.seq, b.seq));
    sk.lastOoo = seq;
    sk.delack.scheduled = true;
    env.stack.bump('TcpExtTCPOFOQueue');
    return { outcome: { queue: 'out-of-order queue', summary: `${data.length} bytes ahead of rcv_nxt: held in the out-of-order queue, duplicate ACK sent`, reply: 'ACK' }, ofo: true };
  }
  const before = sk.state;
  accept(sk, data, fin);
  drainOoo(sk);
  if (data.length >= sk.rcvMss) sk.rcvWndClamp = Math.min(sk.rcvBuf, sk.rcvWndClamp + 2 * sk.advMss); // tcp_grow_window
  const what = data.length ? `${data.length} bytes in order: receive queue` : '';
  const finText = fin ? `${what ? '; ' : ''}FIN: the peer will send no more` : '';
  return {
    outcome: {
      queue: data.length ? 'receive queue' : undefined,
      stateChange: sk.state !== before ? { from: before, to: sk.state } : undefined,
      summary: what + finText,
    },
    ofo: false,
  };
}

function accept(sk: TcpSock, data: Uint8Array, fin: boolean): void {
  if (data.length) {
    sk.rcvQ.push(data); // a view of the frame (immutable once sent), not a copy
    sk.rcvNxt = seqAdd(sk.rcvNxt, data.length);
    // tcp_measure_rcv_mss (simplified: the largest segment seen, up to our advertised MSS) and
    // tcp_event_data_recv (ato adapts to arrivals; the first data opens a quick-ack phase).
    if (data.length > sk.delack.rcvMss) sk.delack.rcvMss = Math.min(data.length, sk.advMss);
    onDataReceived(sk.delack, { nowNs: sk.tcp.env.sched.now, rtoNs: sk.rtt.rtoNs, rcvWnd: sk.rcvWnd });
  }
  if (fin) tcpFin(sk);
  sk.waitq.wake();
}

function drainOoo(sk: TcpSock): void {
  while (sk.ooo.length && seqLeq(sk.ooo[0]!.seq, sk.rcvNxt)) {
    const s = sk.ooo.shift()!;
    const skip = seqDiff(sk.rcvNxt, s.seq);
    if (skip < s.data.length || (s.fin && skip === s.data.length)) accept(sk, s.data.subarray(Math.min(skip, s.data.length)), s.fin);
  }
}

/** tcp_fin: the peer is done sending. */
function tcpFin(sk: TcpSock): void {
  sk.rcvNxt = seqAdd(sk.rcvNxt, 1);
  sk.finReceived = true;
  sk.delack.scheduled = true; // inet_csk_schedule_ack
  switch (sk.state) {
    case 'SYN_RECV':
    case 'ESTABLISHED':
      sk.setState('CLOSE_WAIT', 'FIN received');
      enterPingpongMode(sk.delack); // tcp_fin: the ACK of a FIN is delayed (it may ride on our FIN)
      break;
    case 'FIN_WAIT1':
      sendAck(sk);
      sk.setState('CLOSING', 'FIN received while ours is unacknowledged (simultaneous close)');
      break;
    case 'FIN_WAIT2':
      sendAck(sk);
      sk.tcp.timeWait(sk, 'FIN received in FIN_WAIT2');
      break;
    default:
      break;
  }
}

