// TCP sequence-number arithmetic modulo 2^32 (RFC 9293 §3.4): never compare sequence numbers with a
// raw `<`. Comparisons look at the signed 32-bit distance, like Linux's before()/after()
// (include/net/tcp.h): a is "before" b when (s32)(a - b) < 0. Numbers exactly 2^31 apart are
// ambiguous; as in Linux, each is then "before" the other.

/** a + n (n may be negative), wrapped to u32. */
export function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}

/** Signed distance a - b in [-2^31, 2^31). */
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/** a < b (mod 2^32). Linux before(). */
export function seqLt(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

/** a <= b (mod 2^32). */
export function seqLeq(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}

/** a > b (mod 2^32). Linux after(). */
export function seqGt(a: number, b: number): boolean {
  return ((b - a) | 0) < 0;
}

/** a >= b (mod 2^32). */
export function seqGeq(a: number, b: number): boolean {
  return ((b - a) | 0) <= 0;
}

/**
 * lo <= seq <= hi on the circle, both ends inclusive, with the window starting at lo (Linux
 * between(seq1, seq2, seq3): `seq3 - seq2 >= seq1 - seq2`). Argument order follows Linux: the number
 * tested comes first. For RFC 9293 §3.10.7.4's half-open tests (e.g. RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND)
 * pass hi = end - 1, or use seqLeq/seqLt.
 */
export function seqBetween(seq: number, lo: number, hi: number): boolean {
  return ((seq - lo) >>> 0) <= ((hi - lo) >>> 0);
}

/** The later of a and b (mod 2^32). */
export function seqMax(a: number, b: number): number {
  return seqLt(a, b) ? b : a;
}

/** The earlier of a and b (mod 2^32). */
export function seqMin(a: number, b: number): number {
  return seqLt(a, b) ? a : b;
}
