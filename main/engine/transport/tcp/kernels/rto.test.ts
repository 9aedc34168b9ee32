import { describe, expect, it } from 'vitest';
import {
  RttEstimator,
  TCP_RTO_MAX_NS,
  TCP_TIMEOUT_FALLBACK_NS,
  TCP_TIMEOUT_INIT_NS,
  lossProbeTimeoutNs,
} from './rto';

const MS = 1_000_000;
const US = 1_000;

describe('RttEstimator (tcp_rtt_estimator / __tcp_set_rto)', () => {
  it('starts at TCP_TIMEOUT_INIT = 1 s (RFC 6298 §2.1, README row 1)', () => {
    const e = new RttEstimator();
    expect(e.rtoNs).toBe(TCP_TIMEOUT_INIT_NS);
    expect(e.hasSample).toBe(false);
  });

  it('a 10 us veth RTT gives RTO = rto_min + SRTT, rounded up to a jiffy: 201 ms', () => {
    // srtt_us = 80 (8 x 10), mdev_us = 20, rttvar_us = max(20, 200000) = 200000;
    // RTO = usecs_to_jiffies(10 + 200000) = 201 jiffies at HZ=1000.
    const e = new RttEstimator();
    e.sample(10 * US, 1, 1);
    expect(e.snapshot()).toMatchObject({ srttUs8: 80, mdevUs: 20, rttvarUs: 200_000, mdevMaxUs: 200_000 });
    expect(e.srttNs).toBe(10 * US);
    expect(e.rtoNs).toBe(201 * MS);
  });

  it('backs off by doubling: 201, 402, 804, 1608, 3216 ms (the shape of capture d6: 228, 476, 924, 1824, 3616)', () => {
    const e = new RttEstimator();
    e.sample(10 * US, 1, 1);
    const seq = [e.rtoNs];
    for (let i = 0; i < 4; i++) seq.push(e.backoff());
    expect(seq.map((n) => n / MS)).toEqual([201, 402, 804, 1608, 3216]);
    expect(e.backoffCount).toBe(4);
    // Capture d6 ratios between successive RTO intervals are 2.09, 1.94, 1.97, 1.98: doubling.
    const d6 = [228, 476, 924, 1824, 3616];
    for (let i = 1; i < d6.length; i++) expect(d6[i]! / d6[i - 1]!).toBeCloseTo(seq[i]! / seq[i - 1]!, 0);
  });

  it('SRTT 28 ms: RTO 228 ms and doubling lands within 5% of capture d6 (476, 924, 1824, 3616)', () => {
    // First sample R: rttvar = max(2R, rto_min) = 200 ms, RTO = 228 ms.
    const e = new RttEstimator();
    e.sample(28 * MS, 1, 1);
    expect(e.rtoNs).toBe(228 * MS);
    const d6 = [476, 924, 1824, 3616];
    for (const want of d6) expect(Math.abs(e.backoff() / MS - want) / want).toBeLessThan(0.05);
  });

  it('RTO = 3 x RTT after the first sample when 2 x RTT exceeds rto_min ("make sure rto = 3*rtt")', () => {
    const e = new RttEstimator();
    e.sample(1000 * MS, 1, 1000);
    expect(e.rtoNs).toBe(3000 * MS);
  });

  it('a steady RTT decays the variance term to rto_min: RTO -> SRTT + 200 ms', () => {
    // Per flight: rttvar -= (rttvar - mdev_max) / 4 with mdev_max restarting at rto_min, so rttvar
    // converges to 200 ms (+ at most 3 us of integer residue); SRTT stays 1 s.
    const e = new RttEstimator();
    let una = 0;
    e.sample(1000 * MS, una, una + 1000);
    for (let flight = 1; flight <= 60; flight++) {
      una += 1000;
      e.sample(1000 * MS, una + 1, una + 1000);
    }
    expect(e.srttNs).toBe(1000 * MS);
    expect(e.rttvarNs).toBeGreaterThanOrEqual(200 * MS);
    expect(e.rttvarNs).toBeLessThan(200 * MS + 4 * US);
    expect(e.rtoNs).toBe(1201 * MS);
  });

  it('an RTT increase raises rttvar at once: 100 ms then 400 ms -> RTO 588 ms', () => {
    // err = +300 ms; srtt = 100 + 300/8 = 137.5 ms; mdev = 200 + 300 - 200/4 = 450 ms -> rttvar 450.
    // RTO = 137.5 + 450 = 587.5 ms -> 588 jiffies.
    const e = new RttEstimator();
    e.sample(100 * MS, 0, 1000);
    e.sample(400 * MS, 500, 1000); // same flight: snd_una has not passed rtt_seq
    expect(e.srttNs).toBe(137_500 * US);
    expect(e.rttvarNs).toBe(450 * MS);
    expect(e.rtoNs).toBe(588 * MS);
  });

  it('an RTT decrease moves mdev by 1/8 of the usual step (Linux, not RFC 6298): 400 then 100 ms -> 1175 ms', () => {
    // err = -300 ms; srtt = 362.5 ms; |err| - mdev/4 = 300 - 200 = 100 ms, /8 = 12.5 ms;
    // mdev = 800 + 12.5 = 812.5 ms -> rttvar 812.5; RTO = 362.5 + 812.5 = 1175 ms.
    // Plain RFC 6298 would give 362.5 + 4 x (3/4 x 200 + 1/4 x 300) = 1262.5 ms.
    const e = new RttEstimator();
    e.sample(400 * MS, 0, 1000);
    e.sample(100 * MS, 500, 1000);
    expect(e.srttNs).toBe(362_500 * US);
    expect(e.rtoNs).toBe(1175 * MS);
  });

  it('detects a new flight across the sequence wrap (after(snd_una, rtt_seq) mod 2^32)', () => {
    const e = new RttEstimator();
    e.sample(100 * MS, 0xffff_ff00, 0xffff_fff0);
    e.sample(400 * MS, 0x10, 0x2000); // snd_una wrapped past rtt_seq: flight boundary
    expect(e.snapshot().rttSeq).toBe(0x2000);
    expect(e.snapshot().mdevMaxUs).toBe(200_000);
  });

  it('caps backoff at TCP_RTO_MAX = 120 s (RFC 6298 §5.5, §2.5)', () => {
    const e = new RttEstimator();
    for (let i = 0; i < 12; i++) e.backoff();
    expect(e.rtoNs).toBe(TCP_RTO_MAX_NS);
  });

  it('a valid sample resets the backoff (RFC 6298 §5.7; tcp_ack_update_rtt icsk_backoff = 0)', () => {
    const e = new RttEstimator();
    e.backoff();
    e.backoff();
    expect(e.rtoNs).toBe(4 * TCP_TIMEOUT_INIT_NS);
    e.sample(10 * US, 1, 1);
    expect(e.backoffCount).toBe(0);
    expect(e.rtoNs).toBe(201 * MS);
  });

  it('ignores negative samples', () => {
    const e = new RttEstimator();
    expect(e.sample(-1, 0, 0)).toBe(false);
    expect(e.hasSample).toBe(false);
  });

  it('falls back to 3 s when the handshake gave no RTT sample (tcp_init_metrics, RFC 6298 §5.7)', () => {
    const e = new RttEstimator();
    e.backoff();
    e.fallbackWithoutSample();
    expect(e.rtoNs).toBe(TCP_TIMEOUT_FALLBACK_NS);
    expect(e.rttvarNs).toBe(TCP_TIMEOUT_FALLBACK_NS);
    const s = new RttEstimator();
    s.sample(10 * US, 1, 1);
    s.fallbackWithoutSample();
    expect(s.rtoNs).toBe(201 * MS);
  });

  it('honours a per-route rto_min', () => {
    const e = new RttEstimator({ rtoMinNs: 5 * MS });
    e.sample(1 * MS, 1, 1);
    // rttvar = max(2 ms, 5 ms) -> RTO = 1 + 5 = 6 ms.
    expect(e.rtoNs).toBe(6 * MS);
  });
});

describe('lossProbeTimeoutNs (tcp_schedule_loss_probe)', () => {
  it('one packet out: 2*SRTT + rto_min, but never after the RTO', () => {
    // One reading of capture d6 consistent with its +214 ms probe then +228 ms RTO:
    // SRTT 7 ms, RTO 228 ms -> PTO = min(14 + 200, 228) = 214 ms.
    expect(lossProbeTimeoutNs({ srttNs: 7 * MS, packetsOut: 1, rtoRemainingNs: 228 * MS })).toBe(214 * MS);
    // With a 10 us RTT the RTO (201 ms) is earlier than 2*SRTT + 200 ms.
    expect(lossProbeTimeoutNs({ srttNs: 10 * US, packetsOut: 1, rtoRemainingNs: 201 * MS })).toBe(201 * MS);
  });

  it('several packets out: 2*SRTT + 2 ms; no sample: 1 s', () => {
    expect(lossProbeTimeoutNs({ srttNs: 50 * MS, packetsOut: 4, rtoRemainingNs: 400 * MS })).toBe(102 * MS);
    expect(lossProbeTimeoutNs({ packetsOut: 1, rtoRemainingNs: 0 })).toBe(TCP_TIMEOUT_INIT_NS);
  });
});
