import { describe, expect, it } from 'vitest';
import { NewReno, TCP_INFINITE_SSTHRESH, TCP_INIT_CWND, initialCwnd, type CongestionControl } from './cc';
import { CUBIC_BETA_SCALE, Cubic, cubicRoot } from './cubic';

const MSS = 1448;
const MS = 1_000_000;
const S = 1_000_000_000;

/**
 * One RTT of a cwnd-limited ACK clock: cwnd segments go out, their ACKs (one per `perAck`
 * segments) come back evenly spread over the RTT. Returns the time at the end of the round.
 */
function round(cc: CongestionControl, t: number, rttNs: number, perAck = 1): number {
  const acks = Math.max(1, Math.floor(cc.cwnd / perAck));
  const gap = rttNs / acks;
  for (let i = 0; i < acks; i++) {
    t += gap;
    cc.onAck(perAck * MSS, rttNs, t);
  }
  return t;
}

describe('shared rules (tcp_cong.c), NewReno (RFC 5681 + RFC 6582)', () => {
  it('starts at 10 segments (RFC 6928) with an infinite ssthresh', () => {
    const cc = new NewReno({ mss: MSS });
    expect(cc.cwnd).toBe(TCP_INIT_CWND);
    expect(cc.cwndBytes()).toBe(14480);
    expect(cc.ssthresh).toBe(TCP_INFINITE_SSTHRESH);
    expect(initialCwnd(0)).toBe(10);
    expect(initialCwnd(1)).toBe(10);
    expect(initialCwnd(2)).toBe(1); // more than one SYN/SYN-ACK retransmission
  });

  it('slow start doubles per RTT, also with one ACK per two segments (byte counting)', () => {
    for (const perAck of [1, 2]) {
      const cc = new NewReno({ mss: MSS });
      let t = 0;
      const seen = [cc.cwnd];
      for (let r = 0; r < 4; r++) {
        t = round(cc, t, 100 * MS, perAck);
        seen.push(cc.cwnd);
      }
      expect(seen).toEqual([10, 20, 40, 80, 160]);
    }
  });

  it('slow start stops at ssthresh and the rest of the ACK goes to congestion avoidance', () => {
    const cc = new NewReno({ mss: MSS, initialCwnd: 18, initialSsthresh: 20 });
    cc.onAck(5 * MSS, undefined, 0); // 18 -> 20 (slow start), 3 segments left for CA
    expect(cc.cwnd).toBe(20);
  });

  it('congestion avoidance adds about one segment per RTT (RFC 5681 §3.1)', () => {
    const cc = new NewReno({ mss: MSS, initialCwnd: 20, initialSsthresh: 20 });
    let t = 0;
    const seen = [cc.cwnd];
    for (let r = 0; r < 5; r++) {
      t = round(cc, t, 100 * MS);
      seen.push(cc.cwnd);
    }
    expect(seen).toEqual([20, 21, 22, 23, 24, 25]);
  });

  it('does not grow when the sender is not cwnd-limited', () => {
    const cc = new NewReno({ mss: MSS });
    cc.onAck(10 * MSS, undefined, 0, false);
    expect(cc.cwnd).toBe(10);
  });

  it('counts partial segments across ACKs', () => {
    const cc = new NewReno({ mss: MSS });
    cc.onAck(MSS / 2, undefined, 0);
    expect(cc.cwnd).toBe(10);
    cc.onAck(MSS / 2, undefined, 0);
    expect(cc.cwnd).toBe(11);
  });

  it('fast recovery: ssthresh = cwnd/2, cwnd = ssthresh + 3, +1 per dup ACK, partial ACK deflates, full ACK -> ssthresh', () => {
    const cc = new NewReno({ mss: MSS, initialCwnd: 40, initialSsthresh: 40 });
    cc.onFastRetransmit(0);
    expect([cc.state, cc.ssthresh, cc.cwnd]).toEqual(['recovery', 20, 23]);
    for (let i = 0; i < 5; i++) cc.onDupAck();
    expect(cc.cwnd).toBe(28);
    cc.onFastRetransmit(0); // more dup ACKs while recovering: no second reduction
    expect(cc.ssthresh).toBe(20);
    cc.onAck(4 * MSS, 50 * MS, 0); // partial ACK of 4 segments: 28 - 4 + 1
    expect(cc.cwnd).toBe(25);
    cc.onRecoveryEnd();
    expect([cc.state, cc.cwnd]).toEqual(['open', 20]);
  });

  it('ssthresh never drops below 2 segments', () => {
    const cc = new NewReno({ mss: MSS, initialCwnd: 3 });
    cc.onFastRetransmit(0);
    expect(cc.ssthresh).toBe(2);
  });

  it('RTO: cwnd 1, ssthresh halved once per episode, then slow start back to ssthresh', () => {
    const cc = new NewReno({ mss: MSS, initialCwnd: 40, initialSsthresh: 40 });
    cc.onRto(0);
    expect([cc.state, cc.cwnd, cc.ssthresh]).toEqual(['loss', 1, 20]);
    cc.onRto(0); // backed-off retransmission: tcp_enter_loss keeps ssthresh
    expect([cc.cwnd, cc.ssthresh]).toEqual([1, 20]);
    let t = 0;
    const seen = [cc.cwnd];
    for (let r = 0; r < 6; r++) {
      t = round(cc, t, 100 * MS);
      seen.push(cc.cwnd);
    }
    expect(seen).toEqual([1, 2, 4, 8, 16, 20, 21]);
    cc.onRecoveryEnd();
    expect([cc.state, cc.cwnd]).toEqual(['open', 21]);
  });

  it('restart after idle halves cwnd per RTO idle, not below min(10, cwnd) (tcp_cwnd_restart)', () => {
    const grown = () => {
      const cc = new NewReno({ mss: MSS });
      let t = 0;
      for (let r = 0; r < 3; r++) t = round(cc, t, 100 * MS); // 10 -> 80
      return cc;
    };
    const a = grown();
    expect(a.cwnd).toBe(80);
    a.restartAfterIdle(450 * MS, 200 * MS); // 450-200 > 0: 40; 250-200 > 0: 20; 50-200 <= 0: stop
    expect(a.cwnd).toBe(20);
    expect(a.ssthresh).toBe(TCP_INFINITE_SSTHRESH); // tcp_current_ssthresh: max(ssthresh, 3/4 cwnd)
    const b = grown();
    b.restartAfterIdle(10 * S, 200 * MS);
    expect(b.cwnd).toBe(10);
    const c = new NewReno({ mss: MSS, initialCwnd: 10, initialSsthresh: 40 });
    for (let r = 0, t = 0; r < 3; r++) t = round(c, t, 100 * MS); // 10 -> 20 -> 40 -> 41
    c.restartAfterIdle(1 * S, 200 * MS);
    expect(c.ssthresh).toBe(40); // max(40, 20 + 10)
    expect(c.cwnd).toBe(10);
  });
});

describe('CUBIC (RFC 9438, tcp_cubic.c)', () => {
  it('constants: beta 717/1024, Reno-friendly beta_scale 15 (alpha = 3(1-b)/(1+b) ~ 0.53)', () => {
    expect(CUBIC_BETA_SCALE).toBe(15);
    // Per RTT (cwnd segments acked) the Reno estimate grows 8/15 = 0.533 segment.
    expect(8 / CUBIC_BETA_SCALE).toBeCloseTo((3 * (1 - 0.7)) / (1 + 0.7), 1);
  });

  it("Linux's cubic_root (table + one Newton step) is within 1 unit or 0.5 % of the true cube root", () => {
    // K for W_max - cwnd = 30: cube_factor x 30 = 80452070310 -> 4316 (4.215 s; exact 4316.97).
    expect(cubicRoot(2681735677n * 30n)).toBe(4316);
    for (const a of [0n, 1n, 63n, 64n, 1000n, 123456n, 2681735677n * 1000n, 1n << 50n]) {
      const exact = Math.cbrt(Number(a));
      expect(Math.abs(cubicRoot(a) - exact)).toBeLessThanOrEqual(Math.max(1, 0.005 * exact));
    }
  });

  it('loss: ssthresh = 0.7 x cwnd, W_max = cwnd; fast convergence lowers W_max on a second, smaller peak', () => {
    const cc = new Cubic({ mss: MSS, initialCwnd: 100, initialSsthresh: 100 });
    cc.onFastRetransmit(0);
    expect(cc.ssthresh).toBe(70); // floor(100 x 717 / 1024)
    expect(cc.snapshot().lastMaxCwnd).toBe(100);
    cc.onRecoveryEnd();
    expect(cc.cwnd).toBe(70);
    const c2 = new Cubic({ mss: MSS, initialCwnd: 100, initialSsthresh: 100 });
    c2.onFastRetransmit(0);
    c2.onRecoveryEnd();
    // Grow to 90 (< W_max 100) and lose again: W_max = 90 x (1 + 0.7) / 2 = 76.
    (c2 as unknown as { cwnd: number }).cwnd = 90;
    c2.onFastRetransmit(0);
    expect(c2.snapshot().lastMaxCwnd).toBe(76);
    expect(c2.ssthresh).toBe(63);
  });

  it('follows W_cubic(t) = 0.4 (t - K)^3 + W_max after a loss at W_max = 100 (RTT 100 ms)', () => {
    const rtt = 100 * MS;
    const cc = new Cubic({ mss: MSS, initialCwnd: 100, initialSsthresh: 100 });
    cc.onAck(MSS, rtt, 0); // a delay_min sample before the loss
    cc.onFastRetransmit(0);
    cc.onRecoveryEnd();
    const K = Math.cbrt((100 - 70) / 0.4); // 4.217 s
    const wCubic = (t: number) => 0.4 * (t - K) ** 3 + 100;
    let t = 0;
    const at: Record<number, number> = {};
    while (t < 8 * S) {
      t = round(cc, t, rtt);
      for (const s of [1, 2, 3, 4.2, 5, 6, 7, 8]) if (at[s] === undefined && t >= s * S) at[s] = cc.cwnd;
    }
    expect(cc.snapshot().bicK / 1024).toBeCloseTo(K, 1);
    for (const s of [1, 2, 3, 4.2, 5, 6, 7, 8]) {
      const want = wCubic(s);
      expect(Math.abs(at[s]! - want) / want).toBeLessThan(0.04);
    }
    // Concave then plateau near W_max, then convex.
    expect(at[4.2]).toBeGreaterThanOrEqual(99);
    expect(at[4.2]).toBeLessThanOrEqual(102);
    expect(at[8]! - at[7]!).toBeGreaterThan(at[6]! - at[5]!);
  });

  it('in the Reno-friendly region (short RTT) grows like W_est = 0.7 W_max + 0.53 t / RTT (RFC 9438 §4.3)', () => {
    const rtt = 10 * MS;
    const cc = new Cubic({ mss: MSS, initialCwnd: 100, initialSsthresh: 100 });
    cc.onAck(MSS, rtt, 0);
    cc.onFastRetransmit(0);
    cc.onRecoveryEnd();
    let t = 0;
    while (t < 1 * S) t = round(cc, t, rtt);
    const wEst = 70 + ((3 * (1 - 0.7)) / (1 + 0.7)) * (1 * S) / rtt; // 122.9
    const wCubic = 0.4 * (1 - Math.cbrt(75)) ** 3 + 100; // 86.7: CUBIC alone would be slower
    expect(Math.abs(cc.cwnd - wEst) / wEst).toBeLessThan(0.04);
    expect(cc.cwnd).toBeGreaterThan(wCubic + 20);
  });

  it('before any loss, congestion avoidance grows 5 % per RTT (cnt capped at 20 while W_max = 0)', () => {
    const cc = new Cubic({ mss: MSS, initialCwnd: 20, initialSsthresh: 20 });
    let t = 0;
    for (let r = 0; r < 10; r++) t = round(cc, t, 100 * MS);
    // 20 x 1.05^10 = 32.6
    expect(cc.cwnd).toBeGreaterThanOrEqual(30);
    expect(cc.cwnd).toBeLessThanOrEqual(34);
  });

  it('RTO: cwnd 1, ssthresh 0.7 x cwnd, and the CUBIC state is reset (bictcp_reset on TCP_CA_Loss)', () => {
    const cc = new Cubic({ mss: MSS, initialCwnd: 100, initialSsthresh: 100 });
    cc.onRto(0);
    expect([cc.cwnd, cc.ssthresh]).toEqual([1, 70]);
    expect(cc.snapshot().lastMaxCwnd).toBe(0);
    expect(cc.snapshot().epochStartJ).toBeUndefined();
  });

  it('an application-limited idle gap shifts the epoch instead of jumping the curve (CA_EVENT_TX_START)', () => {
    const cc = new Cubic({ mss: MSS, initialCwnd: 100, initialSsthresh: 100 });
    cc.onFastRetransmit(0);
    cc.onRecoveryEnd();
    round(cc, 0, 100 * MS);
    const start = cc.snapshot().epochStartJ!;
    cc.onTransmitStart(2 * S, 2100 * MS);
    expect(cc.snapshot().epochStartJ).toBe(start + 2000);
  });
});
