// Handshake retransmission schedules.
//
// Active open (SYN_SENT), net/ipv4/tcp_timer.c: the first SYN arms TCP_TIMEOUT_INIT (1 s). Each
// expiry first asks tcp_write_timeout() whether to give up (icsk_retransmits >= tcp_syn_retries +
// tcp_syn_linear_timeouts -> ETIMEDOUT), else retransmits (total_rto++) and re-arms: while
// total_rto <= tcp_syn_linear_timeouts the RTO is NOT doubled, afterwards it doubles (capped at
// TCP_RTO_MAX). Linux 6.x defaults (syn_retries 6, linear 4): SYNs at 0,1,2,3,4,5,7,11,19,35,67 s and
// ETIMEDOUT at 131 s (README row 2, captures d1/d3). Classic kernels (no linear timeouts): SYNs at
// 0,1,3,7,15,31,63 s and failure at 127 s.
//
// Passive open (request sock in SYN_RECV), inet_connection_sock.c reqsk_timer_handler /
// syn_ack_recalc / reqsk_timeout: the SYN-ACK timer is TCP_TIMEOUT_INIT << num_timeout (exponential
// only), so retransmits go out 1, 3, 7, 15, 31 s after the first SYN-ACK and with tcp_synack_retries
// = 5 the request is dropped silently at 63 s (README row 3, capture d6).

import { TCP_RTO_MAX_NS, TCP_TIMEOUT_INIT_NS } from './rto';

export interface SynRetryPolicy {
  /** sysctl tcp_syn_retries (or TCP_SYNCNT). */
  readonly synRetries: number;
  /** sysctl tcp_syn_linear_timeouts: this many retransmissions keep the initial RTO. */
  readonly linearTimeouts: number;
}

/** Linux >= 6.5 defaults: tcp_syn_retries 6 + tcp_syn_linear_timeouts 4. */
export const SYN_POLICY_LINUX: SynRetryPolicy = { synRetries: 6, linearTimeouts: 4 };
/** Kernels before tcp_syn_linear_timeouts existed: plain exponential backoff, 6 retries. */
export const SYN_POLICY_CLASSIC: SynRetryPolicy = { synRetries: 6, linearTimeouts: 0 };

function capped(initialNs: number, shift: number): number {
  return Math.min(initialNs * 2 ** shift, TCP_RTO_MAX_NS);
}

/**
 * The timeout to arm after a SYN transmission, given how many retransmissions have been made so
 * far (0 for the original SYN; tcp_sk(sk)->total_rto). Linear while retransmits <= linearTimeouts.
 */
export function synRtoNs(retransmits: number, policy: SynRetryPolicy, initialRtoNs = TCP_TIMEOUT_INIT_NS): number {
  if (retransmits <= policy.linearTimeouts) return Math.min(initialRtoNs, TCP_RTO_MAX_NS);
  return capped(initialRtoNs, retransmits - policy.linearTimeouts);
}

/**
 * tcp_write_timeout() for SYN_SENT, asked when the timer fires: give up (ETIMEDOUT, or the error a
 * received ICMP left in sk_err_soft) once `retransmits` already sent reach the limit.
 */
export function synGiveUp(retransmits: number, policy: SynRetryPolicy): boolean {
  return retransmits >= policy.synRetries + policy.linearTimeouts;
}

export interface HandshakeSchedule {
  /** Transmission times relative to the first (index 0 = original). */
  readonly sendAtNs: readonly number[];
  /** When the last timer fires and the attempt is abandoned. */
  readonly giveUpAtNs: number;
}

/** The full active-open schedule, for tests and the UI ("connect() will time out at ..."). */
export function synSchedule(policy: SynRetryPolicy, initialRtoNs = TCP_TIMEOUT_INIT_NS): HandshakeSchedule {
  const sendAtNs: number[] = [0];
  let t = 0;
  for (let retransmits = 0; ; retransmits++) {
    t += synRtoNs(retransmits, policy, initialRtoNs);
    if (synGiveUp(retransmits, policy)) return { sendAtNs, giveUpAtNs: t };
    sendAtNs.push(t);
  }
}

/** reqsk_timeout(): the SYN-ACK timer after `numTimeout` retransmissions (exponential, capped). */
export function synAckTimeoutNs(numTimeout: number, initialRtoNs = TCP_TIMEOUT_INIT_NS): number {
  return capped(initialRtoNs, numTimeout);
}

/**
 * reqsk_timer_handler()'s pruning under load: when more than half the listener's SYN-queue
 * allowance is taken (qlen * 2 > max(8, backlog)), requests that already timed out once ("old") get
 * fewer retries, down to 2, so young requests keep room. `young` = requests that have not yet had a
 * SYN-ACK retransmitted (queue->young).
 */
export function synAckMaxRetries(p: { synackRetries: number; qlen: number; young: number; backlog: number }): number {
  let max = p.synackRetries;
  if (p.qlen * 2 > Math.max(8, p.backlog)) {
    let young = p.young * 2;
    while (max > 2) {
      if (p.qlen < young) break;
      max--;
      young *= 2;
    }
  }
  return max;
}

/**
 * syn_ack_recalc(): at a SYN-ACK timer expiry, whether the request expires (silently, no RST) and
 * whether to resend the SYN-ACK. `numTimeout` = retransmissions so far; `acked` = the final ACK came
 * but the child could not be queued (README row 12) or TCP_DEFER_ACCEPT is waiting for data;
 * `deferAccept` = TCP_DEFER_ACCEPT in retransmission units (0 = off).
 */
export function synAckRecalc(p: { numTimeout: number; maxRetries: number; deferAccept?: number; acked: boolean }): {
  expire: boolean;
  resend: boolean;
} {
  const defer = p.deferAccept ?? 0;
  if (defer === 0) return { expire: p.numTimeout >= p.maxRetries, resend: true };
  return {
    expire: p.numTimeout >= p.maxRetries && (!p.acked || p.numTimeout >= defer),
    // Do not resend while waiting for data after an ACK; resend at the end of the defer period.
    resend: !p.acked || p.numTimeout >= defer - 1,
  };
}

/** The passive-open schedule without load pruning: SYN-ACKs at 0,1,3,7,15,31 s, drop at 63 s. */
export function synAckSchedule(synackRetries = 5, initialRtoNs = TCP_TIMEOUT_INIT_NS): HandshakeSchedule {
  const sendAtNs: number[] = [0];
  let t = 0;
  for (let numTimeout = 0; ; numTimeout++) {
    t += synAckTimeoutNs(numTimeout, initialRtoNs);
    if (synAckRecalc({ numTimeout, maxRetries: synackRetries, acked: false }).expire) return { sendAtNs, giveUpAtNs: t };
    sendAtNs.push(t);
  }
}
