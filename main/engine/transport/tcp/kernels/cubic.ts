// CUBIC (RFC 9438) as Linux implements it in net/ipv4/tcp_cubic.c, integer for integer:
// beta = 717/1024 (~0.7), C = bic_scale 41 * 10 / 1024 (~0.4), fast convergence on, TCP-friendly
// (Reno-emulation) region on, time in 1/1024 s units (BICTCP_HZ = 10).
//
//   W_cubic(t) = C (t - K)^3 + W_max,   K = cbrt((W_max - cwnd_epoch) / C)       (RFC 9438 §4.2)
//   target     = W_cubic(t + delay_min)  (one RTT ahead, §4.2 "target = W_cubic(t + RTT)")
//   cnt        = cwnd / (target - cwnd): ACKed segments per +1 segment, at least 2 (max 1.5x/RTT)
//   Reno-friendly estimate: +1 segment per (cwnd * beta_scale / 8) segments acked, beta_scale =
//   8 (1 + beta) / 3 / (1 - beta) = 15, i.e. +0.53 segment per RTT (§4.3 alpha_cubic); cwnd follows
//   whichever is larger.
//
// Omitted (documented): HyStart / HyStart++ (slow start ends only at ssthresh or on loss), the
// 2024 Reno-friendliness patches proposed by M. Zhang / L. Xu, and undo (cubictcp_undo_cwnd is
// generic). epoch_start uses `undefined` for "no epoch" where Linux uses 0.

import { CongestionBase, rttUs, type CongestionOptions } from './cc';
import { HZ, nsToJiffies, usecsToJiffies } from './units';

/** BICTCP_BETA_SCALE. */
export const BICTCP_BETA_SCALE = 1024;
/** beta: 717/1024 ~ 0.7 (RFC 9438 §4.6 beta_cubic). */
export const CUBIC_BETA = 717;
/** bic_scale: C = 41 * 10 / 1024 ~ 0.4 (RFC 9438 §5 C). */
export const CUBIC_BIC_SCALE = 41;
const BICTCP_HZ = 10;
/** cube_rtt_scale = bic_scale * 10 (1024 * C). */
const CUBE_RTT_SCALE = BigInt(CUBIC_BIC_SCALE * 10);
/** cube_factor = 2^(10 + 3 * BICTCP_HZ) / (bic_scale * 10). */
const CUBE_FACTOR = (1n << BigInt(10 + 3 * BICTCP_HZ)) / CUBE_RTT_SCALE;
/** beta_scale = 8 * (1024 + beta) / 3 / (1024 - beta) = 15. */
export const CUBIC_BETA_SCALE = Math.floor(Math.floor((8 * (BICTCP_BETA_SCALE + CUBIC_BETA)) / 3) / (BICTCP_BETA_SCALE - CUBIC_BETA));

// cubic_root's table: v[x] = cbrt(x << 18) - 1, refined by hand (Willy Tarreau).
const V = [
  0, 54, 54, 54, 118, 118, 118, 118, 123, 129, 134, 138, 143, 147, 151, 156, 157, 161, 164, 168, 170, 173, 176, 179, 181,
  185, 187, 190, 192, 194, 197, 199, 200, 202, 204, 206, 209, 211, 213, 215, 217, 219, 221, 222, 224, 225, 227, 229, 231,
  232, 234, 236, 237, 239, 240, 242, 244, 245, 246, 248, 250, 251, 252, 254,
];

/** fls64(): 1-based index of the most significant set bit, 0 for 0. */
function fls64(a: bigint): number {
  return a === 0n ? 0 : a.toString(2).length;
}

/**
 * cubic_root(): Linux's integer cube root, a table lookup plus one Newton-Raphson step
 * (average error ~0.2 %, tcp_cubic.c), reproduced exactly.
 */
export function cubicRoot(a: bigint): number {
  let b = fls64(a);
  if (b < 7) return (V[Number(a)]! + 35) >> 6; // a in [0..63]
  b = ((b * 84) >> 8) - 1;
  const shift = Number(a >> BigInt(b * 3));
  let x = ((((V[shift]! + 10) << b) >>> 0) >>> 6) >>> 0;
  // x = (2x + a / (x (x - 1))) * 341 / 1024 (~ / 3)
  x = (2 * x + Number((a / (BigInt(x) * BigInt(x - 1))) & 0xffff_ffffn)) >>> 0;
  return Math.floor((x * 341) / 1024) >>> 0;
}

/** struct bictcp, for tests and the UI. */
export interface CubicState {
  readonly cnt: number;
  readonly lastMaxCwnd: number;
  readonly originPoint: number;
  /** K in 1/1024 s. */
  readonly bicK: number;
  readonly delayMinUs: number;
  readonly tcpCwnd: number;
  readonly epochStartJ: number | undefined;
}

export interface CubicOptions extends CongestionOptions {
  /** fast_convergence module parameter (default on). */
  fastConvergence?: boolean;
  /** tcp_friendliness module parameter (default on). */
  tcpFriendliness?: boolean;
}

export class Cubic extends CongestionBase {
  readonly name = 'cubic' as const;
  private cnt = 0;
  private lastMaxCwnd = 0;
  private lastCwnd = 0;
  private lastTimeJ = 0;
  private originPoint = 0;
  private bicK = 0;
  private delayMinUs = 0;
  private epochStartJ: number | undefined = undefined;
  private ackCnt = 0;
  private tcpCwnd = 0;
  private readonly fastConvergence: boolean;
  private readonly tcpFriendliness: boolean;

  constructor(opts: CubicOptions) {
    super(opts);
    this.fastConvergence = opts.fastConvergence ?? true;
    this.tcpFriendliness = opts.tcpFriendliness ?? true;
  }

  snapshot(): CubicState {
    return {
      cnt: this.cnt,
      lastMaxCwnd: this.lastMaxCwnd,
      originPoint: this.originPoint,
      bicK: this.bicK,
      delayMinUs: this.delayMinUs,
      tcpCwnd: this.tcpCwnd,
      epochStartJ: this.epochStartJ,
    };
  }

  /** bictcp_reset(): everything back to zero (done on entering TCP_CA_Loss). */
  private reset(): void {
    this.cnt = 0;
    this.lastMaxCwnd = 0;
    this.lastCwnd = 0;
    this.lastTimeJ = 0;
    this.originPoint = 0;
    this.bicK = 0;
    this.delayMinUs = 0;
    this.epochStartJ = undefined;
    this.ackCnt = 0;
    this.tcpCwnd = 0;
  }

  /** cubictcp_recalc_ssthresh(): remember W_max (lowered by fast convergence), ssthresh = beta x cwnd. */
  protected lossSsthresh(): number {
    this.epochStartJ = undefined; // end of epoch
    if (this.cwnd < this.lastMaxCwnd && this.fastConvergence) {
      // RFC 9438 §4.7: W_max = cwnd (1 + beta) / 2 when the window shrank since the last loss.
      this.lastMaxCwnd = Math.floor((this.cwnd * (BICTCP_BETA_SCALE + CUBIC_BETA)) / (2 * BICTCP_BETA_SCALE));
    } else {
      this.lastMaxCwnd = this.cwnd;
    }
    return Math.max(Math.floor((this.cwnd * CUBIC_BETA) / BICTCP_BETA_SCALE), 2);
  }

  /** cubictcp_state(TCP_CA_Loss): bictcp_reset (HyStart reset omitted). */
  protected override enterLossState(): void {
    this.reset();
  }

  /** cubictcp_acked(): track the minimum RTT (delay_min), ignoring the first second of an epoch. */
  protected override pktsAcked(_acked: number, rttNs: number | undefined, nowNs: number): void {
    const us = rttUs(rttNs);
    if (us === undefined) return;
    // Discard delay samples right after fast recovery.
    if (this.epochStartJ !== undefined && nsToJiffies(nowNs) - this.epochStartJ < HZ) return;
    const delay = us === 0 ? 1 : us;
    if (this.delayMinUs === 0 || this.delayMinUs > delay) this.delayMinUs = delay;
  }

  /** cubictcp_cong_avoid() after slow start: bictcp_update, then tcp_cong_avoid_ai(cnt). */
  protected congAvoid(acked: number, nowNs: number): void {
    this.update(this.cwnd, acked, nsToJiffies(nowNs));
    this.congAvoidAi(this.cnt, acked);
  }

  /** cubictcp_cwnd_event(CA_EVENT_TX_START): shift the epoch over an application-limited idle gap. */
  override onTransmitStart(idleNs: number, nowNs: number): void {
    const now = nsToJiffies(nowNs);
    const delta = Math.floor(idleNs / (1_000_000_000 / HZ));
    if (this.epochStartJ !== undefined && delta > 0) {
      this.epochStartJ += delta;
      if (this.epochStartJ > now) this.epochStartJ = now;
    }
  }

  // bictcp_update(): compute cnt, the number of ACKed segments per +1 cwnd.
  private update(cwnd: number, acked: number, now: number): void {
    this.ackCnt += acked;
    if (this.lastCwnd === cwnd && now - this.lastTimeJ <= HZ / 32) return;
    // The cubic function updates cnt at most once per jiffy (epoch resets force a recalculation).
    if (!(this.epochStartJ !== undefined && now === this.lastTimeJ)) {
      this.lastCwnd = cwnd;
      this.lastTimeJ = now;
      if (this.epochStartJ === undefined) {
        this.epochStartJ = now; // record the beginning of an epoch
        this.ackCnt = acked;
        this.tcpCwnd = cwnd;
        if (this.lastMaxCwnd <= cwnd) {
          this.bicK = 0;
          this.originPoint = cwnd;
        } else {
          this.bicK = cubicRoot(CUBE_FACTOR * BigInt(this.lastMaxCwnd - cwnd));
          this.originPoint = this.lastMaxCwnd;
        }
      }
      // t in 1/1024 s, one delay_min ahead.
      const tJ = now - this.epochStartJ + usecsToJiffies(this.delayMinUs);
      const t = Math.floor((tJ * 2 ** BICTCP_HZ) / HZ);
      const offs = BigInt(t < this.bicK ? this.bicK - t : t - this.bicK);
      // c/rtt * (t - K)^3, as u32.
      const delta = Number(((CUBE_RTT_SCALE * offs * offs * offs) >> BigInt(10 + 3 * BICTCP_HZ)) & 0xffff_ffffn);
      const target = (t < this.bicK ? this.originPoint - delta : this.originPoint + delta) >>> 0;
      this.cnt = target > cwnd ? Math.floor(cwnd / (target - cwnd)) : 100 * cwnd;
      // The initial growth may be too conservative while the bandwidth is unknown: 5 % per RTT.
      if (this.lastMaxCwnd === 0 && this.cnt > 20) this.cnt = 20;
    }
    if (this.tcpFriendliness) {
      // Reno emulation (RFC 9438 §4.3).
      const d = Math.floor((cwnd * CUBIC_BETA_SCALE) / 8);
      if (d > 0) {
        while (this.ackCnt > d) {
          this.ackCnt -= d;
          this.tcpCwnd++;
        }
      }
      if (this.tcpCwnd > cwnd) {
        const maxCnt = Math.floor(cwnd / (this.tcpCwnd - cwnd));
        if (this.cnt > maxCnt) this.cnt = maxCnt;
      }
    }
    // At most 1 segment per 2 ACKed: 1.5x per RTT.
    this.cnt = Math.max(this.cnt, 2);
  }
}
