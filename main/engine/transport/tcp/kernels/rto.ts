// Retransmission timeout: RFC 6298 as Linux computes it (net/ipv4/tcp_input.c tcp_rtt_estimator,
// tcp_set_rto / __tcp_set_rto; tcp_timer.c tcp_retransmit_timer; include/net/tcp.h constants).
//
// Linux keeps, in microseconds:
//   srtt_us     = 8 x SRTT
//   mdev_us     = 4 x the mean deviation of the current flight (RFC 6298's 4*RTTVAR, un-floored)
//   mdev_max_us = max(mdev_us) over the current flight, starting each flight at rto_min
//   rttvar_us   = the "4*RTTVAR" used in the RTO; it follows mdev_max up at once and decays toward it
//                 by 1/4 per flight, so it is never below rto_min
//   RTO         = SRTT + rttvar_us, rounded UP to jiffies, at most TCP_RTO_MAX.
// So RTO = SRTT + max(rto_min, ~4*RTTVAR): after ~10 us veth RTTs the RTO is 200 ms + SRTT (201 ms
// at HZ=1000). Plain RFC 6298 would compute SRTT + 4*RTTVAR = 30 us and then apply its 1 s floor
// (§2.4); Linux floors the variance term instead of the whole RTO, at 200 ms.
//
// Capture d6 (README row 1) after a 70 s idle: retransmissions at +214, +442, +918, +1842, +3666,
// +7282 ms, i.e. intervals 214, 228, 476, 924, 1824, 3616. Reading: the first is a tail loss probe
// (tcp_schedule_loss_probe: PTO = min(2*SRTT + rto_min, RTO), see lossProbeTimeoutNs) and does not
// back off; then RTO ~228 ms = 200 ms + SRTT + timer-wheel slack, doubling each time
// (228, 456, 912, 1824, 3648). We do not model timer-wheel granularity (timers 64-511 jiffies out
// fire on an 8-jiffy grid in kernel/time/timer.c).
//
// Karn's algorithm (RFC 6298 §3, Karn & Partridge 1987) is the CALLER's job: never call sample()
// with an RTT measured on a retransmitted segment unless it comes from a timestamp echo (Linux
// tcp_ack_update_rtt prefers the TSecr-based sample precisely because it is unambiguous).

import { seqGt } from '../../../../../shared/wire';
import { NS_PER_MS, NS_PER_S, jiffiesToNs, nsToUs, usecsToJiffies } from './units';

/** TCP_TIMEOUT_INIT: RFC 6298 §2.1 initial RTO (SYN, SYN-ACK, and data before any RTT sample). */
export const TCP_TIMEOUT_INIT_NS = 1 * NS_PER_S;
/** TCP_TIMEOUT_FALLBACK: RFC 6298 §5.7, used when the handshake yielded no RTT sample. */
export const TCP_TIMEOUT_FALLBACK_NS = 3 * NS_PER_S;
/** TCP_RTO_MIN (sysctl tcp_rto_min_us = 200000). */
export const TCP_RTO_MIN_NS = 200 * NS_PER_MS;
/** TCP_RTO_MAX: RFC 6298 §2.5 allows an upper bound of at least 60 s; Linux uses 120 s. */
export const TCP_RTO_MAX_NS = 120 * NS_PER_S;
/** TCP_TIMEOUT_MIN_US (2 ms): the extra slack of a loss probe with more than one packet out. */
export const TCP_TIMEOUT_MIN_NS = 2 * NS_PER_MS;

export interface RttEstimatorOptions {
  /** rto_min (per-route RTAX_RTO_MIN or sysctl tcp_rto_min_us). Default 200 ms. */
  rtoMinNs?: number;
  /** Default 120 s. */
  rtoMaxNs?: number;
  /** RTO before the first sample (tcp_timeout_init). Default 1 s. */
  initialRtoNs?: number;
}

/** One connection's RTT state: Linux's srtt_us/mdev_us/mdev_max_us/rttvar_us/rtt_seq + icsk_rto. */
export class RttEstimator {
  /** icsk_rto: the timeout to arm now, including exponential backoff. */
  rtoNs: number;
  /** icsk_backoff: how many times backoff() doubled the RTO since the last valid sample. */
  backoffCount = 0;

  private srtt8Us = 0;
  private mdevUs = 0;
  private mdevMaxUs = 0;
  private rttvarUs = 0;
  private rttSeq = 0;
  private readonly rtoMinUs: number;
  private readonly rtoMaxNs: number;

  constructor(opts: RttEstimatorOptions = {}) {
    this.rtoMinUs = nsToUs(opts.rtoMinNs ?? TCP_RTO_MIN_NS);
    this.rtoMaxNs = opts.rtoMaxNs ?? TCP_RTO_MAX_NS;
    this.rtoNs = Math.min(opts.initialRtoNs ?? TCP_TIMEOUT_INIT_NS, this.rtoMaxNs);
  }

  /** True once sample() has seen a measurement (Linux: srtt_us != 0). */
  get hasSample(): boolean {
    return this.srtt8Us !== 0;
  }

  /** SRTT in ns (srtt_us >> 3, whole microseconds, as Linux reports it in tcp_info). */
  get srttNs(): number {
    return Math.floor(this.srtt8Us / 8) * 1000;
  }

  /** The variance term of the RTO (rttvar_us) in ns; >= rto_min once sampled. */
  get rttvarNs(): number {
    return this.rttvarUs * 1000;
  }

  /** Raw Linux fields, for the socket table / tcp_info ("rtt:srtt/rttvar" in `ss -i`). */
  snapshot(): { srttUs8: number; mdevUs: number; mdevMaxUs: number; rttvarUs: number; rttSeq: number } {
    return { srttUs8: this.srtt8Us, mdevUs: this.mdevUs, mdevMaxUs: this.mdevMaxUs, rttvarUs: this.rttvarUs, rttSeq: this.rttSeq };
  }

  /**
   * __tcp_set_rto(): SRTT + rttvar, rounded up to whole jiffies, without backoff, capped at RTO_MAX
   * (tcp_bound_rto). Before any sample: the initial RTO.
   */
  baseRtoNs(): number {
    if (!this.hasSample) return this.rtoNs;
    const jiffies = usecsToJiffies(Math.floor(this.srtt8Us / 8) + this.rttvarUs);
    return Math.min(jiffiesToNs(jiffies), this.rtoMaxNs);
  }

  /**
   * A valid RTT measurement (tcp_ack_update_rtt -> tcp_rtt_estimator, tcp_set_rto, icsk_backoff = 0).
   * `sndUna` is snd_una AFTER this ACK and `sndNxt` the current snd_nxt: a new "flight" starts when
   * snd_una passes the snd_nxt recorded at the previous flight start (rtt_seq). Negative samples
   * are ignored (Linux: seq_rtt_us < 0 -> no update). Returns whether the sample was used.
   */
  sample(rttNs: number, sndUna: number, sndNxt: number): boolean {
    if (!(rttNs >= 0)) return false;
    this.estimate(nsToUs(rttNs), sndUna, sndNxt);
    this.rtoNs = this.baseRtoNs();
    // RFC 6298 §5.7 / Linux: "only reset backoff on valid RTT measurement".
    this.backoffCount = 0;
    return true;
  }

  // tcp_rtt_estimator(), Jacobson SIGCOMM '88 as written in Linux, integer for integer.
  private estimate(mUs: number, sndUna: number, sndNxt: number): void {
    let m = mUs;
    let srtt = this.srtt8Us;
    if (srtt !== 0) {
      m -= Math.floor(srtt / 8); // m is now the error in the RTT estimate
      srtt += m; // rtt = 7/8 rtt + 1/8 new
      if (m < 0) {
        m = -m; // |error|
        m -= Math.floor(this.mdevUs / 4);
        // RTT went down: weight the decrease of mdev by 1/8 only (Linux's "similar update").
        if (m > 0) m = Math.floor(m / 8);
      } else {
        m -= Math.floor(this.mdevUs / 4);
      }
      this.mdevUs += m; // mdev = 3/4 mdev + 1/4 new
      if (this.mdevUs > this.mdevMaxUs) {
        this.mdevMaxUs = this.mdevUs;
        if (this.mdevMaxUs > this.rttvarUs) this.rttvarUs = this.mdevMaxUs;
      }
      // Once per flight (snd_una passed rtt_seq): let rttvar decay toward this flight's max.
      if (seqGt(sndUna, this.rttSeq)) {
        if (this.mdevMaxUs < this.rttvarUs) this.rttvarUs -= Math.floor((this.rttvarUs - this.mdevMaxUs) / 4);
        this.rttSeq = sndNxt >>> 0;
        this.mdevMaxUs = this.rtoMinUs;
      }
    } else {
      // First measurement (RFC 6298 §2.2): SRTT = R, and "make sure rto = 3*rtt".
      srtt = m * 8;
      this.mdevUs = m * 2;
      this.rttvarUs = Math.max(this.mdevUs, this.rtoMinUs);
      this.mdevMaxUs = this.rttvarUs;
      this.rttSeq = sndNxt >>> 0;
    }
    this.srtt8Us = Math.max(1, srtt);
  }

  /**
   * The retransmission timer fired and a segment was retransmitted: double the RTO, capped at
   * RTO_MAX (tcp_retransmit_timer: icsk_backoff++, icsk_rto = min(icsk_rto << 1, TCP_RTO_MAX);
   * RFC 6298 §5.5). Returns the new RTO.
   */
  backoff(): number {
    this.backoffCount++;
    this.rtoNs = Math.min(this.rtoNs * 2, this.rtoMaxNs);
    return this.rtoNs;
  }

  /**
   * The handshake completed without a usable RTT sample (SYN or SYN-ACK retransmitted, no
   * timestamps): tcp_init_metrics() resets rttvar/mdev to TCP_TIMEOUT_FALLBACK and the RTO to 3 s
   * (RFC 6298 §5.7). No effect once a sample exists.
   */
  fallbackWithoutSample(): void {
    if (this.hasSample) return;
    const fallbackUs = nsToUs(TCP_TIMEOUT_FALLBACK_NS);
    this.rttvarUs = fallbackUs;
    this.mdevUs = fallbackUs;
    this.mdevMaxUs = fallbackUs;
    this.rtoNs = Math.min(TCP_TIMEOUT_FALLBACK_NS, this.rtoMaxNs);
  }
}

/**
 * tcp_schedule_loss_probe(): when a tail loss probe (RFC 8985 §7) would fire, relative to now.
 * PTO = 2*SRTT + (rto_min if exactly one packet is out, to cover the peer's delayed ACK, else 2 ms),
 * or 1 s without an RTT sample; never later than the pending RTO. Eligibility (SACK, CA state
 * Open/CWR, tcp_early_retrans 3/4) is the caller's.
 */
export function lossProbeTimeoutNs(p: {
  srttNs?: number;
  packetsOut: number;
  /** How far in the future the RTO is (tcp_rto_delta_us); <= 0 means "no constraint". */
  rtoRemainingNs: number;
  rtoMinNs?: number;
}): number {
  let timeout: number;
  if (p.srttNs !== undefined && p.srttNs > 0) {
    const us = nsToUs(2 * p.srttNs) + nsToUs(p.packetsOut === 1 ? p.rtoMinNs ?? TCP_RTO_MIN_NS : TCP_TIMEOUT_MIN_NS);
    timeout = jiffiesToNs(usecsToJiffies(us));
  } else {
    timeout = TCP_TIMEOUT_INIT_NS;
  }
  if (p.rtoRemainingNs > 0) timeout = Math.min(timeout, jiffiesToNs(usecsToJiffies(nsToUs(p.rtoRemainingNs))));
  return timeout;
}
