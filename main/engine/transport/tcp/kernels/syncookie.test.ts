import { describe, expect, it } from 'vitest';
import { seqAdd } from '../../../../../shared/wire';
import { seededRandom } from '../../../../../shared/testing/random';
import { makeTcpSecrets } from './isn';
import {
  SYNCOOKIE_MSS_TABLE,
  cookieCheck,
  cookieInitSequence,
  cookieInitTimestamp,
  cookieMssIndex,
  cookieTimestampDecode,
  synqOverflowStamp,
  synqRecentOverflow,
  tcpCookieTime,
} from './syncookie';

const S = 1_000_000_000;
const MS = 1_000_000;
const rand = (() => {
  const f = seededRandom(42);
  return () => Math.floor(f() * 2 ** 32) >>> 0;
})();
const secrets = makeTcpSecrets(rand);
// Capture d2/d4: client c4 10.0.0.1:40312 -> server 10.0.0.2:5010, client ISN 1449529599.
const tuple = { srcAddr: 0x0a000001, srcPort: 40312, dstAddr: 0x0a000002, dstPort: 5010 };
const clientIsn = 1449529599;

/** The final ACK answering a cookie SYN-ACK. */
const finalAck = (isn: number, extra: Partial<typeof tuple> = {}) => ({
  ...tuple,
  ...extra,
  seq: seqAdd(clientIsn, 1),
  ack: seqAdd(isn, 1),
});

describe('SYN cookie sequence numbers (secure_tcp_syn_cookie, __cookie_v4_check)', () => {
  it('quantises the peer MSS to {536, 1300, 1440, 1460} (README row 14)', () => {
    expect(SYNCOOKIE_MSS_TABLE).toEqual([536, 1300, 1440, 1460]);
    expect([1460, 1452, 1440, 1400, 1300, 1000, 536, 100].map((m) => SYNCOOKIE_MSS_TABLE[cookieMssIndex(m)])).toEqual([
      1460, 1440, 1440, 1300, 1300, 536, 536, 536,
    ]);
  });

  it('the final ACK validates and returns the encoded MSS', () => {
    const t0 = 600 * S;
    const c = cookieInitSequence(secrets, { ...tuple, seq: clientIsn }, 1460, t0);
    expect(c.mss).toBe(1460);
    expect(cookieCheck(secrets, finalAck(c.isn), t0 + 50 * MS)).toEqual({ valid: true, mss: 1460 });
    const c2 = cookieInitSequence(secrets, { ...tuple, seq: clientIsn }, 1452, t0);
    expect(cookieCheck(secrets, finalAck(c2.isn), t0)).toEqual({ valid: true, mss: 1440 });
  });

  it('carries the minute counter in the top 8 bits (tcp_cookie_time)', () => {
    expect(tcpCookieTime(59.999 * S)).toBe(0);
    expect(tcpCookieTime(60 * S)).toBe(1);
    const a = cookieInitSequence(secrets, { ...tuple, seq: clientIsn }, 1460, 600 * S).isn;
    const b = cookieInitSequence(secrets, { ...tuple, seq: clientIsn }, 1460, 660 * S).isn;
    // One minute later: the counter adds 1 << 24, the H1 part changes too (count is hashed).
    expect(a).not.toBe(b);
  });

  it('lives 60 to 120 s: accepted while the counter is at most one minute old (TCP_SYNCOOKIE_VALID)', () => {
    // Made at the start of a minute: valid until 119.999 s later.
    const t0 = 600 * S;
    const c = cookieInitSequence(secrets, { ...tuple, seq: clientIsn }, 1460, t0).isn;
    expect(cookieCheck(secrets, finalAck(c), t0 + 119.999 * S).valid).toBe(true);
    expect(cookieCheck(secrets, finalAck(c), t0 + 120 * S)).toEqual({ valid: false, reason: 'expired' });
    // Made at second 59 of a minute: already two counters old 61 s later.
    const late = 659 * S;
    const c2 = cookieInitSequence(secrets, { ...tuple, seq: clientIsn }, 1460, late).isn;
    expect(cookieCheck(secrets, finalAck(c2), late + 61 * S)).toEqual({ valid: false, reason: 'expired' });
    // Capture d6: c4's data 70 s after its cookie was still accepted (cookie made early in a minute).
    const d6 = 610 * S;
    const c3 = cookieInitSequence(secrets, { ...tuple, seq: clientIsn }, 1460, d6).isn;
    expect(cookieCheck(secrets, finalAck(c3), d6 + 70 * S)).toEqual({ valid: true, mss: 1460 });
  });

  it('rejects an ACK whose ack, seq or 4-tuple does not match (SyncookiesFailed)', () => {
    const t0 = 600 * S;
    const c = cookieInitSequence(secrets, { ...tuple, seq: clientIsn }, 1460, t0).isn;
    // ack one too high: the data field becomes index 4, outside the table.
    expect(cookieCheck(secrets, finalAck(seqAdd(c, 1)), t0)).toEqual({ valid: false, reason: 'mismatch' });
    expect(cookieCheck(secrets, { ...finalAck(c), seq: seqAdd(clientIsn, 1000) }, t0).valid).toBe(false);
    expect(cookieCheck(secrets, finalAck(c, { srcPort: 40314 }), t0).valid).toBe(false);
    // Another machine's secret.
    const other = makeTcpSecrets(() => 7);
    expect(cookieCheck(other, finalAck(c), t0).valid).toBe(false);
  });

  it('like Linux, the MSS index is additive: seq one higher decodes the next-lower MSS', () => {
    // cookie = H0 + sseq + (count << 24) + (H1 + index): sseq + 1 reads back index - 1. Harmless (the
    // peer must still know the cookie) and faithful to check_tcp_syn_cookie.
    const t0 = 600 * S;
    const c = cookieInitSequence(secrets, { ...tuple, seq: clientIsn }, 1460, t0).isn;
    expect(cookieCheck(secrets, { ...finalAck(c), seq: seqAdd(clientIsn, 2) }, t0)).toEqual({ valid: true, mss: 1440 });
  });

  it('rejects forged ACKs with probability about 1 - 4/2^24 (deterministic sample of 2000)', () => {
    const t0 = 600 * S;
    let accepted = 0;
    for (let i = 0; i < 2000; i++) if (cookieCheck(secrets, { ...tuple, seq: rand(), ack: rand() }, t0).valid) accepted++;
    expect(accepted).toBe(0);
  });
});

describe('options in the timestamp (cookie_init_timestamp / cookie_timestamp_decode)', () => {
  it('hides wscale, SACK and ECN in the low 6 bits, never ahead of the clock', () => {
    // tsNow = 1000 ms: (1000 >> 6) << 6 = 960, | (10 | SACK 0x10) = 986 <= 1000.
    expect(cookieInitTimestamp(1000 * MS, { wscale: 10, sackOk: true, ecnOk: false })).toBe(986);
    // tsNow = 970: 960 | 26 = 986 > 970 -> 986 - 64 = 922.
    expect(cookieInitTimestamp(970 * MS, { wscale: 10, sackOk: true, ecnOk: false })).toBe(922);
    // No window scaling option: 0xf; with ECN: | 0x20.
    expect(cookieInitTimestamp(1000 * MS, { sackOk: false, ecnOk: true }) & 0x3f).toBe(0x2f);
  });

  it('decodes what the ACK echoes (after the ts offset is taken off)', () => {
    const tsOff = 0xfffff000; // offsets wrap
    const ts = cookieInitTimestamp(123456 * MS, { wscale: 10, sackOk: true, ecnOk: false });
    const echoed = seqAdd(ts, tsOff);
    expect(cookieTimestampDecode({ sawTstamp: true, tsEcr: echoed, tsOff })).toEqual({
      tstampOk: true,
      sackOk: true,
      sndWscale: 10,
      ecnBit: false,
    });
    const noWs = seqAdd(cookieInitTimestamp(123456 * MS, { sackOk: true, ecnOk: false }), tsOff);
    expect(cookieTimestampDecode({ sawTstamp: true, tsEcr: noWs, tsOff })).toEqual({ tstampOk: true, sackOk: true, ecnBit: false });
  });

  it('without timestamps, window scaling and SACK are lost (README row 14)', () => {
    expect(cookieTimestampDecode({ sawTstamp: false, tsEcr: 0, tsOff: 0 })).toEqual({ tstampOk: false, sackOk: false, ecnBit: false });
  });

  it('drops the ACK if the cookie claims an option this host has disabled', () => {
    const ts = cookieInitTimestamp(5000 * MS, { wscale: 7, sackOk: true, ecnOk: false });
    const on = { timestamps: true, sack: true, windowScaling: true };
    expect(cookieTimestampDecode({ sawTstamp: true, tsEcr: ts, tsOff: 0 }, { ...on, sack: false })).toBeUndefined();
    expect(cookieTimestampDecode({ sawTstamp: true, tsEcr: ts, tsOff: 0 }, { ...on, windowScaling: false })).toBeUndefined();
    expect(cookieTimestampDecode({ sawTstamp: true, tsEcr: ts, tsOff: 0 }, { ...on, timestamps: false })).toBeUndefined();
  });
});

describe('listener overflow stamp (tcp_synq_overflow / tcp_synq_no_recent_overflow)', () => {
  it('refreshes at most once a second and keeps cookies checkable for 2 minutes', () => {
    let stamp = synqOverflowStamp(undefined, 10 * S);
    expect(stamp).toBe(10 * S);
    stamp = synqOverflowStamp(stamp, 10.5 * S);
    expect(stamp).toBe(10 * S);
    stamp = synqOverflowStamp(stamp, 11.5 * S);
    expect(stamp).toBe(11.5 * S);
    expect(synqRecentOverflow(stamp, 11.5 * S + 120 * S)).toBe(true);
    expect(synqRecentOverflow(stamp, 11.5 * S + 120 * S + 1)).toBe(false);
    expect(synqRecentOverflow(undefined, 0)).toBe(false);
  });
});
