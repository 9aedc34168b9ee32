import { describe, expect, it } from 'vitest';
import { seqGt } from '../../../../../shared/wire';
import { seededRandom } from '../../../../../shared/testing/random';
import { makeTcpSecrets, secureTcpSeq, secureTcpTsOff, seqScale, tcpTimestampMs, timeWaitReuseIsn, tsVal } from './isn';
import { siphash, siphash32, type SipKey } from './siphash';

// lib/siphash_kunit.c: key 00 01 .. 0f, message = bytes 0 .. n-1.
const KUNIT_KEY: SipKey = [0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c];
const hex = (v: { hi: number; lo: number }) => v.hi.toString(16).padStart(8, '0') + v.lo.toString(16).padStart(8, '0');
const bytesAsWords = (n: number) =>
  Array.from({ length: n / 4 }, (_, i) => ((4 * i) | ((4 * i + 1) << 8) | ((4 * i + 2) << 16) | ((4 * i + 3) << 24)) >>> 0);

function u32Source(seed: number) {
  const f = seededRandom(seed);
  return () => Math.floor(f() * 2 ** 32) >>> 0;
}

const A = 0x0a000001; // 10.0.0.1
const B = 0x0a000002; // 10.0.0.2

describe('SipHash-2-4 (Linux self-test vectors)', () => {
  it('matches test_vectors_siphash for 0, 4, 8, 12, 16 and 32-byte messages', () => {
    expect(hex(siphash(KUNIT_KEY, []))).toBe('726fdb47dd0e0e31');
    expect(hex(siphash(KUNIT_KEY, bytesAsWords(4)))).toBe('cf2794e0277187b7'); // siphash_1u32
    expect(hex(siphash(KUNIT_KEY, bytesAsWords(8)))).toBe('93f5f5799a932462'); // siphash_2u32
    expect(hex(siphash(KUNIT_KEY, bytesAsWords(12)))).toBe('751e8fbc860ee5fb'); // siphash_3u32
    expect(hex(siphash(KUNIT_KEY, bytesAsWords(16)))).toBe('3f2acc7f57c29bdb'); // siphash_4u32
    expect(hex(siphash(KUNIT_KEY, bytesAsWords(32)))).toBe('7127512f72f27cce');
  });

  it('keeps the low 32 bits when stored in a u32', () => {
    expect(siphash32(KUNIT_KEY, bytesAsWords(12))).toBe(0x860ee5fb);
  });
});

describe('ISN (secure_tcp_seq) and timestamps (README row 20)', () => {
  const secrets = makeTcpSecrets(u32Source(7));

  it('is deterministic for a seed and differs per 4-tuple', () => {
    const again = makeTcpSecrets(u32Source(7));
    expect(secureTcpSeq(again, A, B, 42620, 5000, 0)).toBe(secureTcpSeq(secrets, A, B, 42620, 5000, 0));
    const isns = new Set([42620, 42630, 42640, 42650].map((p) => secureTcpSeq(secrets, A, B, p, 5000, 0)));
    expect(isns.size).toBe(4);
    // Another machine (another seed) picks unrelated ISNs for the same tuple.
    expect(secureTcpSeq(makeTcpSecrets(u32Source(8)), A, B, 42620, 5000, 0)).not.toBe(secureTcpSeq(secrets, A, B, 42620, 5000, 0));
  });

  it('advances with a 64 ns clock for one 4-tuple (RFC 6528 M), wrapping every 2^32 x 64 ns = 274.9 s', () => {
    const t0 = 1_000_000_000;
    const i0 = secureTcpSeq(secrets, A, B, 42620, 5000, t0);
    expect(secureTcpSeq(secrets, A, B, 42620, 5000, t0 + 64_000)).toBe((i0 + 1000) >>> 0);
    expect(seqGt(secureTcpSeq(secrets, A, B, 42620, 5000, t0 + 1_000_000_000), i0)).toBe(true);
    expect(seqScale(5, 2 ** 32 * 64)).toBe(5);
  });

  it('timestamp offsets are per address pair, not per port; 0 when tcp_timestamps != 1', () => {
    const off = secureTcpTsOff(secrets, A, B);
    expect(secureTcpTsOff(secrets, A, B)).toBe(off);
    expect(secureTcpTsOff(secrets, B, A)).not.toBe(off);
    expect(secureTcpTsOff(secrets, A, B, 2)).toBe(0);
  });

  it('the TS clock ticks every millisecond and TSval = clock + offset mod 2^32', () => {
    expect(tcpTimestampMs(2_876_059_000)).toBe(2876);
    expect(tsVal(5 * 1_000_000, 0xffff_fffe)).toBe(3);
  });

  it('a TIME_WAIT reuse starts at tw_snd_nxt + 65537, never 0 (README row 34)', () => {
    expect(timeWaitReuseIsn(1000)).toBe(66537);
    expect(timeWaitReuseIsn(0xffff_fff0)).toBe(0xfff1); // wraps mod 2^32
    expect(timeWaitReuseIsn((0 - 65537) >>> 0)).toBe(1);
  });
});
