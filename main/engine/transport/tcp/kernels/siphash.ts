// SipHash-2-4 (Aumasson & Bernstein), the keyed PRF Linux uses for ISNs, timestamp offsets, SYN
// cookies and ephemeral-port offsets (lib/siphash.c; net/core/secure_seq.c; net/ipv4/syncookies.c).
// This is the real algorithm, not a stand-in: it matches the kernel's self-test vectors
// (lib/siphash_kunit.c). JavaScript has no u64, so each 64-bit lane is a (hi, lo) pair of u32.
//
// Input is a list of u32 words read little-endian, exactly what Linux's siphash_1u32..4u32 hash
// (e.g. siphash_3u32(a, b, c) == siphash of the 12 bytes a|b|c, LE). One difference from the kernel:
// Linux hashes __be32 addresses and ports as stored in memory (network byte order loaded on a
// little-endian CPU); we hash our numeric values. With a random key the outputs are equally random,
// they are just not the numbers a real kernel with the same key would print.

import type { RandomU32 } from './units';

/** A 128-bit SipHash key as four u32 words: k0 low, k0 high, k1 low, k1 high. */
export type SipKey = readonly [number, number, number, number];

/** A 64-bit value as two u32 halves. */
export interface U64 {
  readonly hi: number;
  readonly lo: number;
}

/** Draw a key from a seeded source (Linux: net_get_random_once / get_random_bytes at first use). */
export function sipKeyFrom(rand: RandomU32): SipKey {
  return [rand() >>> 0, rand() >>> 0, rand() >>> 0, rand() >>> 0];
}

// State: [v0hi, v0lo, v1hi, v1lo, v2hi, v2lo, v3hi, v3lo].
type State = number[];

function add(s: State, a: number, b: number): void {
  // v[a] += v[b] (mod 2^64)
  const lo = s[a + 1] + s[b + 1];
  s[a + 1] = lo >>> 0;
  s[a] = (s[a] + s[b] + (lo > 0xffff_ffff ? 1 : 0)) >>> 0;
}

function rotl(s: State, a: number, n: number): void {
  let h = s[a];
  let l = s[a + 1];
  if (n >= 32) {
    [h, l] = [l, h];
    n -= 32;
  }
  if (n > 0) {
    const nh = ((h << n) | (l >>> (32 - n))) >>> 0;
    const nl = ((l << n) | (h >>> (32 - n))) >>> 0;
    h = nh;
    l = nl;
  }
  s[a] = h;
  s[a + 1] = l;
}

function xor(s: State, a: number, b: number): void {
  s[a] = (s[a] ^ s[b]) >>> 0;
  s[a + 1] = (s[a + 1] ^ s[b + 1]) >>> 0;
}

const V0 = 0;
const V1 = 2;
const V2 = 4;
const V3 = 6;

function sipRound(s: State): void {
  add(s, V0, V1); rotl(s, V1, 13); xor(s, V1, V0); rotl(s, V0, 32);
  add(s, V2, V3); rotl(s, V3, 16); xor(s, V3, V2);
  add(s, V0, V3); rotl(s, V3, 21); xor(s, V3, V0);
  add(s, V2, V1); rotl(s, V1, 17); xor(s, V1, V2); rotl(s, V2, 32);
}

function absorb(s: State, hi: number, lo: number): void {
  s[6] = (s[6] ^ hi) >>> 0;
  s[7] = (s[7] ^ lo) >>> 0;
  sipRound(s);
  sipRound(s);
  s[0] = (s[0] ^ hi) >>> 0;
  s[1] = (s[1] ^ lo) >>> 0;
}

/** SipHash-2-4 of `words` (u32 each, little-endian bytes) under `key`; the full 64-bit result. */
export function siphash(key: SipKey, words: readonly number[]): U64 {
  const [k0l, k0h, k1l, k1h] = key;
  const s: State = [
    (k0h ^ 0x736f6d65) >>> 0, (k0l ^ 0x70736575) >>> 0,
    (k1h ^ 0x646f7261) >>> 0, (k1l ^ 0x6e646f6d) >>> 0,
    (k0h ^ 0x6c796765) >>> 0, (k0l ^ 0x6e657261) >>> 0,
    (k1h ^ 0x74656462) >>> 0, (k1l ^ 0x79746573) >>> 0,
  ];
  const n = words.length;
  let i = 0;
  for (; i + 1 < n; i += 2) absorb(s, words[i + 1] >>> 0, words[i] >>> 0);
  // Final block: message length (bytes, mod 256) in the top byte, the leftover word below.
  const lenByte = ((n * 4) & 0xff) << 24;
  absorb(s, lenByte >>> 0, i < n ? words[i] >>> 0 : 0);
  s[5] = (s[5] ^ 0xff) >>> 0; // v2 ^= 0xff
  for (let r = 0; r < 4; r++) sipRound(s);
  return {
    hi: (s[0] ^ s[2] ^ s[4] ^ s[6]) >>> 0,
    lo: (s[1] ^ s[3] ^ s[5] ^ s[7]) >>> 0,
  };
}

/** The low 32 bits, which is what Linux keeps when it stores siphash_*() in a u32. */
export function siphash32(key: SipKey, words: readonly number[]): number {
  return siphash(key, words).lo;
}
