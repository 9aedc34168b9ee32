import { describe, expect, it } from 'vitest';
import { checksumExcludingField, foldSum, internetChecksum, isOffloadPartialChecksum, onesSum, pseudoHeaderSum } from './checksum';

const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);

describe('checksum (RFC 1071)', () => {
  it('RFC 1071 §3 numerical example: 00 01 f2 03 f4 f5 f6 f7 sums to 0xddf2', () => {
    const b = bytes(0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7);
    expect(onesSum(b, 0, 8)).toBe(0x2ddf0);
    expect(foldSum(onesSum(b, 0, 8))).toBe(0xddf2);
    expect(internetChecksum(b, 0, 8)).toBe(0x220d);
  });

  it('pads an odd final byte with a zero on the right', () => {
    expect(onesSum(bytes(0xab), 0, 1)).toBe(0xab00);
    expect(onesSum(bytes(0x12, 0x34, 0x56), 0, 3)).toBe(0x1234 + 0x5600);
    expect(onesSum(bytes(1, 2, 3, 4, 5), 1, 4)).toBe(0x0203 + 0x0400);
  });

  it('long runs (summed as 32-bit words) fold to the 16-bit word sum, at any start, length and view offset', () => {
    const reference = (b: Uint8Array, start: number, end: number): number => {
      let sum = 0;
      for (let i = start; i < end; i += 2) sum += (b[i]! << 8) | (i + 1 < end ? b[i + 1]! : 0);
      return foldSum(sum);
    };
    const backing = new Uint8Array(3000).map((_, i) => (i * 151 + 7) & 255);
    for (const viewOffset of [0, 1, 3]) {
      const b = backing.subarray(viewOffset);
      for (const [start, end] of [[0, 16], [1, 17], [0, 63], [0, 64], [1, 65], [34, 1514], [35, 1515], [2, 2999 - viewOffset], [14, 23]] as const) {
        expect(foldSum(onesSum(b, start, end)), `${viewOffset}: ${start}..${end}`).toBe(reference(b, start, end));
      }
    }
    expect(onesSum(new Uint8Array(64), 0, 64)).toBe(0);
    expect(foldSum(onesSum(new Uint8Array(64).fill(0xff), 0, 64, 0xffff))).toBe(0xffff);
  });

  it('chains partial sums at even boundaries', () => {
    const b = new Uint8Array(101).map((_, i) => (i * 37 + 11) & 255);
    expect(foldSum(onesSum(b, 40, 101, onesSum(b, 0, 40)))).toBe(foldSum(onesSum(b, 0, 101)));
    expect(internetChecksum(b, 0, 101, 0x1234)).toBe(internetChecksum(b, 0, 101, foldSum(0x1234)));
  });

  it('a region holding its own checksum verifies to 0', () => {
    const b = new Uint8Array(20).map((_, i) => i * 13);
    b[10] = 0;
    b[11] = 0;
    const c = internetChecksum(b, 0, 20);
    b[10] = c >>> 8;
    b[11] = c & 255;
    expect(internetChecksum(b, 0, 20)).toBe(0);
    expect(checksumExcludingField(b, 0, 20, 10)).toBe(c);
  });

  it('does not overflow on 64 KiB of 0xff', () => {
    const b = new Uint8Array(65536).fill(0xff);
    expect(foldSum(onesSum(b, 0, b.length))).toBe(0xffff);
    expect(internetChecksum(b, 0, b.length)).toBe(0);
  });

  it('empty and inverted ranges sum to the initial value', () => {
    expect(onesSum(bytes(1, 2), 1, 1, 7)).toBe(7);
    expect(onesSum(bytes(1, 2), 2, 0, 7)).toBe(7);
  });

  it('pseudo-header: 10.0.0.1 -> 10.0.0.2, TCP, 40 bytes folds to 0x1431 (what Linux leaves for offload)', () => {
    // The real SYN in linux-truth/a_handshake_close/a.pcap carries 0x1431 in its checksum field.
    expect(foldSum(pseudoHeaderSum(0x0a000001, 0x0a000002, 6, 40))).toBe(0x1431);
    expect(isOffloadPartialChecksum(0x1431, 0x0a000001, 0x0a000002, 6, 40)).toBe(true);
    expect(isOffloadPartialChecksum(0x95de, 0x0a000001, 0x0a000002, 6, 40)).toBe(false);
  });
});
