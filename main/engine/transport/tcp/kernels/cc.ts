// Congestion control: one interface, two algorithms (NewReno here, CUBIC in cubic.ts).
//
// Units: like Linux, the window is counted in SEGMENTS (tp->snd_cwnd, snd_ssthresh are packet
// counts; tcp_cong.c, tcp_cubic.c work in packets). cwndBytes() = cwnd x MSS for byte-based
// senders. onAck() takes bytes newly acknowledged and converts them to whole segments, carrying the
// remainder (Linux counts fully-acked skbs; with MSS-sized segments this is the same).
//
// Shared machinery (Linux net/ipv4/tcp_cong.c, tcp_input.c):
// - initial cwnd 10 segments (RFC 6928, TCP_INIT_CWND), ssthresh "infinite" (TCP_INFINITE_SSTHRESH);
// - slow start: cwnd += segments acked, up to ssthresh (tcp_slow_start; RFC 5681 §3.1 with
//   RFC 3465 byte counting and no L limit), so cwnd doubles per RTT whatever the ACK ratio;
// - congestion avoidance: +1 segment per cwnd segments acked (tcp_cong_avoid_ai), only when the
//   sender is cwnd-limited (tcp_is_cwnd_limited, RFC 7661 spirit);
// - fast retransmit / recovery: RFC 5681 §3.2 + RFC 6582 (NewReno): ssthresh from the algorithm,
//   cwnd = ssthresh + 3, +1 per further duplicate ACK, partial ACKs deflate the window, the full ACK
//   sets cwnd = ssthresh. SIMPLIFICATION: Linux paces recovery with Proportional Rate Reduction
//   (RFC 6937, tcp_cwnd_reduction) instead of NewReno's inflation; both end at cwnd = ssthresh.
//   Detecting partial vs full ACKs (the "recover" point, RFC 6582 §3.2) is the caller's job.
// - RTO: ssthresh from the algorithm (only on the first timeout of an episode, as tcp_enter_loss),
//   cwnd = 1 (RFC 5681 §3.1 loss window), then slow start again;
// - restart after idle: tcp_cwnd_restart (RFC 5681 §4.1, RFC 2861): halve per RTO idle, not below
//   min(initial cwnd, cwnd).
// Not modelled: undo (tcp_try_undo_*, F-RTO, DSACK), ECN/CWR, pacing, TSO autosizing,
// snd_cwnd_clamp (infinite).

import { NS_PER_US } from './units';

/** TCP_INIT_CWND (RFC 6928). */
export const TCP_INIT_CWND = 10;
/** TCP_INFINITE_SSTHRESH. */
export const TCP_INFINITE_SSTHRESH = 0x7fff_ffff;

/** Linux icsk_ca_state, the parts we model: Open (incl. Disorder), Recovery, Loss. */
export type CaState = 'open' | 'recovery' | 'loss';

export interface CongestionControl {
  readonly name: 'reno' | 'cubic';
  /** snd_cwnd, in segments. */
  readonly cwnd: number;
  /** snd_ssthresh, in segments. */
  readonly ssthresh: number;
  readonly state: CaState;
  readonly mss: number;
  /** cwnd in bytes (cwnd x MSS). */
  cwndBytes(): number;
  /**
   * New data acknowledged (snd_una advanced by `ackedBytes`). `rttNs` = a valid RTT sample from this
   * ACK, if any (Karn's rule applies). `cwndLimited` = the sender was limited by cwnd, not by the
   * application or the receive window (tcp_is_cwnd_limited); growth only happens when true.
   */
  onAck(ackedBytes: number, rttNs: number | undefined, nowNs: number, cwndLimited?: boolean): void;
  /** A duplicate ACK while in recovery (RFC 5681 §3.2 step 4: inflate by one segment). */
  onDupAck(): void;
  /** Third duplicate ACK (or SACK loss detection): enter fast recovery (RFC 5681 §3.2 steps 2-3). */
  onFastRetransmit(nowNs: number): void;
  /** The ACK covering the recovery point ("full ACK", RFC 6582 §3.2 step 3), or loss recovery done. */
  onRecoveryEnd(): void;
  /** The retransmission timer expired (tcp_enter_loss). */
  onRto(nowNs: number): void;
  /**
   * Sending again after `idleNs` with nothing in flight, idle longer than the RTO
   * (tcp_slow_start_after_idle, tcp_cwnd_restart).
   */
  restartAfterIdle(idleNs: number, rtoNs: number): void;
  /** Transmission starts with nothing in flight (CA_EVENT_TX_START); `idleNs` since the last send. */
  onTransmitStart(idleNs: number, nowNs: number): void;
  /** The MSS changed (PMTU); cwnd stays in segments. */
  setMss(mss: number): void;
}

export interface CongestionOptions {
  /** Sender MSS in bytes (e.g. 1448 with timestamps). */
  mss: number;
  /** Initial cwnd in segments (route initcwnd; default 10). */
  initialCwnd?: number;
  /** Initial ssthresh in segments (route ssthresh metric; default infinite). */
  initialSsthresh?: number;
}

/**
 * The cwnd a connection starts with (tcp_init_transfer): TCP_INIT_CWND, but 1 if the handshake
 * needed more than one SYN/SYN-ACK retransmission (RFC 6298 §5.7 / RFC 5681 §3.1 as Linux applies
 * them: "only reset cwnd when more than 1 SYN/SYN-ACK retransmission has occurred").
 */
export function initialCwnd(handshakeRetransmits: number, routeInitCwnd = TCP_INIT_CWND): number {
  return handshakeRetransmits > 1 ? 1 : routeInitCwnd;
}

/** The common state machine; subclasses supply the algorithm (Linux tcp_congestion_ops). */
export abstract class CongestionBase implements CongestionControl {
  abstract readonly name: 'reno' | 'cubic';
  cwnd: number;
  ssthresh: number;
  state: CaState = 'open';
  mss: number;
  /** snd_cwnd_cnt: segments acked toward the next +1 in congestion avoidance. */
  protected cwndCnt = 0;
  private carryBytes = 0;
  private readonly initCwnd: number;

  constructor(opts: CongestionOptions) {
    this.mss = opts.mss;
    this.initCwnd = opts.initialCwnd ?? TCP_INIT_CWND;
    this.cwnd = this.initCwnd;
    this.ssthresh = opts.initialSsthresh ?? TCP_INFINITE_SSTHRESH;
  }

  /** ca_ops->ssthresh(): the slow-start threshold after a loss. */
  protected abstract lossSsthresh(): number;
  /** ca_ops->cong_avoid() beyond the shared slow-start part: grow in congestion avoidance. */
  protected abstract congAvoid(acked: number, nowNs: number): void;
  /** ca_ops->pkts_acked(): RTT sample hook. */
  protected pktsAcked(_acked: number, _rttNs: number | undefined, _nowNs: number): void {}
  /** ca_ops->set_state(TCP_CA_Loss). */
  protected enterLossState(): void {}

  cwndBytes(): number {
    return this.cwnd * this.mss;
  }

  setMss(mss: number): void {
    this.mss = mss;
  }

  /** tcp_in_slow_start(). */
  inSlowStart(): boolean {
    return this.cwnd < this.ssthresh;
  }

  onAck(ackedBytes: number, rttNs: number | undefined, nowNs: number, cwndLimited = true): void {
    const total = this.carryBytes + Math.max(0, ackedBytes);
    const acked = Math.floor(total / this.mss);
    this.carryBytes = total - acked * this.mss;
    this.pktsAcked(acked, rttNs, nowNs);
    if (this.state === 'recovery') {
      // RFC 6582 §3.2 step 3, partial ACK: deflate by the amount acked, add back one segment if at
      // least one full segment was acked.
      this.cwnd = Math.max(1, this.cwnd - acked + (acked >= 1 ? 1 : 0));
      return;
    }
    if (acked === 0 || !cwndLimited) return;
    let left = acked;
    if (this.inSlowStart()) {
      left = this.slowStart(left);
      if (left === 0) return;
    }
    this.congAvoid(left, nowNs);
  }

  onDupAck(): void {
    if (this.state === 'recovery') this.cwnd += 1;
  }

  onFastRetransmit(_nowNs: number): void {
    if (this.state !== 'open') return; // already recovering (RFC 6582 §3.2 step 1's "recover" test)
    this.ssthresh = this.lossSsthresh();
    this.cwnd = this.ssthresh + 3;
    this.cwndCnt = 0;
    this.state = 'recovery';
  }

  onRecoveryEnd(): void {
    // tcp_end_cwnd_reduction: leaving Recovery sets cwnd = ssthresh; leaving Loss keeps slow start's cwnd.
    if (this.state === 'recovery') this.cwnd = this.ssthresh;
    this.state = 'open';
  }

  onRto(_nowNs: number): void {
    // tcp_enter_loss: a new ssthresh only when the episode starts from Open/Disorder.
    if (this.state === 'open') this.ssthresh = this.lossSsthresh();
    this.cwnd = 1;
    this.cwndCnt = 0;
    this.state = 'loss';
    this.enterLossState();
  }

  /** tcp_current_ssthresh(): during a reduction ssthresh, else at least 3/4 of cwnd. */
  currentSsthresh(): number {
    if (this.state === 'recovery') return this.ssthresh;
    return Math.max(this.ssthresh, (this.cwnd >> 1) + (this.cwnd >> 2));
  }

  restartAfterIdle(idleNs: number, rtoNs: number): void {
    this.ssthresh = this.currentSsthresh();
    const restart = Math.min(this.initCwnd, this.cwnd);
    let cwnd = this.cwnd;
    let delta = idleNs;
    while ((delta -= rtoNs) > 0 && cwnd > restart) cwnd >>= 1;
    this.cwnd = Math.max(cwnd, restart);
    this.cwndCnt = 0;
  }

  onTransmitStart(_idleNs: number, _nowNs: number): void {}

  /** tcp_slow_start(): cwnd += acked up to ssthresh; returns the acked segments left over. */
  protected slowStart(acked: number): number {
    const cwnd = Math.min(this.cwnd + acked, this.ssthresh);
    const left = acked - (cwnd - this.cwnd);
    this.cwnd = cwnd;
    return left;
  }

  /** tcp_cong_avoid_ai(): one segment more per `w` segments acked. */
  protected congAvoidAi(w: number, acked: number): void {
    if (this.cwndCnt >= w) {
      // Credits accumulated at a higher w: apply them gently now.
      this.cwndCnt = 0;
      this.cwnd += 1;
    }
    this.cwndCnt += acked;
    if (this.cwndCnt >= w) {
      const delta = Math.floor(this.cwndCnt / w);
      this.cwndCnt -= delta * w;
      this.cwnd += delta;
    }
  }
}

/**
 * NewReno (RFC 5681 + RFC 6582) as Linux's "reno" (tcp_reno_cong_avoid, tcp_reno_ssthresh).
 * ssthresh = max(cwnd / 2, 2): Linux halves cwnd where RFC 5681 §3.1 says FlightSize / 2 (equal
 * when cwnd-limited).
 */
export class NewReno extends CongestionBase {
  readonly name = 'reno' as const;

  protected lossSsthresh(): number {
    return Math.max(this.cwnd >> 1, 2);
  }

  protected congAvoid(acked: number): void {
    this.congAvoidAi(this.cwnd, acked);
  }
}

/** RTT in whole microseconds (Linux's sample unit), undefined stays undefined. */
export function rttUs(rttNs: number | undefined): number | undefined {
  return rttNs === undefined || rttNs < 0 ? undefined : Math.floor(rttNs / NS_PER_US);
}
