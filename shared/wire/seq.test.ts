import { describe, expect, it } from 'vitest';
import { seqAdd, seqBetween, seqDiff, seqGeq, seqGt, seqLeq, seqLt, seqMax, seqMin } from './seq';

const MAX = 0xffff_ffff;

describe('seq (RFC 9293 §3.4, mod 2^32)', () => {
  it('adds with wraparound', () => {
    expect(seqAdd(MAX, 1)).toBe(0);
    expect(seqAdd(MAX - 9, 20)).toBe(10);
    expect(seqAdd(5, -10)).toBe(MAX - 4);
    expect(seqAdd(0, 2 ** 32)).toBe(0);
  });

  it('diff is the signed distance across the wrap', () => {
    expect(seqDiff(10, MAX - 9)).toBe(20);
    expect(seqDiff(MAX - 9, 10)).toBe(-20);
    expect(seqDiff(7, 7)).toBe(0);
  });

  it('compares across the wrap', () => {
    const before = MAX - 5;
    const after = 3;
    expect(seqLt(before, after)).toBe(true);
    expect(seqLeq(before, after)).toBe(true);
    expect(seqGt(after, before)).toBe(true);
    expect(seqGeq(after, before)).toBe(true);
    expect(seqLt(after, before)).toBe(false);
    expect(seqGt(before, after)).toBe(false);
    expect(seqLeq(4, 4)).toBe(true);
    expect(seqGeq(4, 4)).toBe(true);
    expect(seqLt(4, 4)).toBe(false);
    expect(seqGt(4, 4)).toBe(false);
    // Raw < would say the opposite.
    expect(before < after).toBe(false);
  });

  it('half the space apart is the edge, as in Linux before()/after()', () => {
    expect(seqLt(0, 0x7fff_ffff)).toBe(true);
    expect(seqGt(0, 0x8000_0001)).toBe(true);
    // Exactly 2^31 apart: each is "before" the other (s32 distance is -2^31 both ways).
    expect(seqLt(0, 0x8000_0000)).toBe(true);
    expect(seqLt(0x8000_0000, 0)).toBe(true);
  });

  it('between is inclusive and wraps (Linux between(seq, lo, hi))', () => {
    expect(seqBetween(5, 5, 10)).toBe(true);
    expect(seqBetween(10, 5, 10)).toBe(true);
    expect(seqBetween(11, 5, 10)).toBe(false);
    expect(seqBetween(4, 5, 10)).toBe(false);
    expect(seqBetween(2, MAX - 2, 5)).toBe(true);
    expect(seqBetween(MAX, MAX - 2, 5)).toBe(true);
    expect(seqBetween(6, MAX - 2, 5)).toBe(false);
    expect(seqBetween(MAX - 3, MAX - 2, 5)).toBe(false);
  });

  it('max and min pick by sequence order', () => {
    expect(seqMax(MAX, 2)).toBe(2);
    expect(seqMin(MAX, 2)).toBe(MAX);
  });
});
