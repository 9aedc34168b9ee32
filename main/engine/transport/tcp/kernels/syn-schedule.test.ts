import { describe, expect, it } from 'vitest';
import {
  SYN_POLICY_CLASSIC,
  SYN_POLICY_LINUX,
  synAckMaxRetries,
  synAckRecalc,
  synAckSchedule,
  synAckTimeoutNs,
  synGiveUp,
  synRtoNs,
  synSchedule,
} from './syn-schedule';

const S = 1_000_000_000;
const secs = (ns: readonly number[]) => ns.map((n) => n / S);

describe('active open: SYN retransmissions (tcp_retransmit_timer, tcp_write_timeout)', () => {
  it('Linux 6.x: SYNs at 0,1,2,3,4,5,7,11,19,35,67 s, ETIMEDOUT at 131 s (README row 2)', () => {
    const s = synSchedule(SYN_POLICY_LINUX);
    expect(secs(s.sendAtNs)).toEqual([0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67]);
    expect(s.giveUpAtNs / S).toBe(131);
  });

  it('captures d1/d3: intervals 1,1,1,1,1,2,4 s', () => {
    const s = synSchedule(SYN_POLICY_LINUX);
    const intervals = s.sendAtNs.slice(1, 8).map((t, i) => (t - s.sendAtNs[i]!) / S);
    expect(intervals).toEqual([1, 1, 1, 1, 1, 2, 4]);
  });

  it('classic profile (no tcp_syn_linear_timeouts): 0,1,3,7,15,31,63 s, fail at 127 s', () => {
    const s = synSchedule(SYN_POLICY_CLASSIC);
    expect(secs(s.sendAtNs)).toEqual([0, 1, 3, 7, 15, 31, 63]);
    expect(s.giveUpAtNs / S).toBe(127);
  });

  it('the timer after the k-th retransmission and the give-up test', () => {
    expect(synRtoNs(0, SYN_POLICY_LINUX) / S).toBe(1);
    expect(synRtoNs(4, SYN_POLICY_LINUX) / S).toBe(1); // total_rto <= 4: linear
    expect(synRtoNs(5, SYN_POLICY_LINUX) / S).toBe(2);
    expect(synRtoNs(10, SYN_POLICY_LINUX) / S).toBe(64);
    expect(synRtoNs(20, SYN_POLICY_LINUX) / S).toBe(120); // TCP_RTO_MAX
    // At +9.8 s the capture's ss shows 6 retransmits done and the timer still on: not given up.
    expect(synGiveUp(6, SYN_POLICY_LINUX)).toBe(false);
    expect(synGiveUp(9, SYN_POLICY_LINUX)).toBe(false);
    expect(synGiveUp(10, SYN_POLICY_LINUX)).toBe(true);
    expect(synGiveUp(6, SYN_POLICY_CLASSIC)).toBe(true);
  });

  it('TCP_SYNCNT 2 with the classic profile: 0,1,3, fail at 7 s', () => {
    const s = synSchedule({ synRetries: 2, linearTimeouts: 0 });
    expect(secs(s.sendAtNs)).toEqual([0, 1, 3]);
    expect(s.giveUpAtNs / S).toBe(7);
  });
});

describe('passive open: SYN-ACK retransmissions (reqsk_timer_handler)', () => {
  it('retransmits at 1,3,7,15,31 s, drops the request silently at 63 s (README row 3, capture d6)', () => {
    const s = synAckSchedule();
    expect(secs(s.sendAtNs)).toEqual([0, 1, 3, 7, 15, 31]);
    expect(s.giveUpAtNs / S).toBe(63);
    // d6 measured +1.00, +3.02, +7.15, +15.34, +31.47 s: within the README's ±10 % tolerance
    // (the real kernel drifts later by timer-wheel slack; we fire exactly).
    const d6 = [1.0, 3.02, 7.15, 15.34, 31.47];
    s.sendAtNs.slice(1).forEach((t, i) => expect(Math.abs(t / S - d6[i]!) / d6[i]!).toBeLessThan(0.1));
  });

  it('the SYN-ACK timer is 1 s << num_timeout', () => {
    expect([0, 1, 2, 3, 4, 5].map((n) => synAckTimeoutNs(n) / S)).toEqual([1, 2, 4, 8, 16, 32]);
    expect(synAckTimeoutNs(8) / S).toBe(120);
  });

  it('an acked request (final ACK dropped on a full accept queue) still gets SYN-ACK retransmits', () => {
    expect(synAckRecalc({ numTimeout: 2, maxRetries: 5, acked: true })).toEqual({ expire: false, resend: true });
    expect(synAckRecalc({ numTimeout: 5, maxRetries: 5, acked: true })).toEqual({ expire: true, resend: true });
  });

  it('TCP_DEFER_ACCEPT: no resend while waiting for data after the ACK, until the last chance', () => {
    expect(synAckRecalc({ numTimeout: 1, maxRetries: 5, deferAccept: 4, acked: true }).resend).toBe(false);
    expect(synAckRecalc({ numTimeout: 3, maxRetries: 5, deferAccept: 4, acked: true }).resend).toBe(true);
    // An acked, deferred request outlives synack_retries until the defer period ends.
    expect(synAckRecalc({ numTimeout: 5, maxRetries: 5, deferAccept: 7, acked: true }).expire).toBe(false);
  });

  it('under load old requests get fewer retries (qlen*2 > max(8, backlog)), never below 2', () => {
    // backlog 128, 100 requests of which 10 young: 100 >= 20, 40, 80 -> 5 -> 2.
    expect(synAckMaxRetries({ synackRetries: 5, qlen: 100, young: 10, backlog: 128 })).toBe(2);
    // Mostly young (60): 100 < 120 at once -> keep 5.
    expect(synAckMaxRetries({ synackRetries: 5, qlen: 100, young: 60, backlog: 128 })).toBe(5);
    // Not loaded (2*3 <= 8): keep 5.
    expect(synAckMaxRetries({ synackRetries: 5, qlen: 3, young: 0, backlog: 1 })).toBe(5);
  });
});
