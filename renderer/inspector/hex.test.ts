import { describe, expect, it } from 'vitest';
import { asciiChar, clampRange, hexDumpText, hexLines, inRange, lineOf, lineSelection } from './hex';

const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => i);

describe('hexLines', () => {
  it('splits into 16-byte lines with offsets, hex and ASCII', () => {
    const data = new TextEncoder().encode('GET / HTTP/1.1\r\nHost');
    const lines = hexLines(data);
    expect(lines).toHaveLength(2);
    expect(lines[0].offsetText).toBe('0000');
    expect(lines[0].hex.slice(0, 4)).toEqual(['47', '45', '54', '20']);
    expect(lines[0].ascii.join('')).toBe('GET / HTTP/1.1..');
    expect(lines[1].offset).toBe(16);
    expect(lines[1].offsetText).toBe('0010');
    expect(lines[1].hex).toEqual(['48', '6f', '73', '74']);
  });
  it('is empty for no bytes and widens offsets past 64 KiB', () => {
    expect(hexLines(new Uint8Array(0))).toEqual([]);
    const big = hexLines(new Uint8Array(0x10010));
    expect(big[big.length - 1].offsetText).toBe('10000');
    expect(big[0].offsetText).toBe('00000');
  });
  it('maps non-printables to dots', () => {
    expect(asciiChar(0x1f)).toBe('.');
    expect(asciiChar(0x7f)).toBe('.');
    expect(asciiChar(0x20)).toBe(' ');
    expect(asciiChar(0x7e)).toBe('~');
  });
});

describe('hexDumpText', () => {
  it('lays out a line like Wireshark', () => {
    expect(hexDumpText(bytes(18))).toBe(
      '0000  00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f ................\n' +
        '0010  10 11                                            ..',
    );
  });
});

describe('range highlighting', () => {
  it('clamps to the frame and rejects empty ranges', () => {
    expect(clampRange([14, 34], 60)).toEqual([14, 34]);
    expect(clampRange([50, 80], 60)).toEqual([50, 60]);
    expect(clampRange([-4, 2], 60)).toEqual([0, 2]);
    expect(clampRange([70, 80], 60)).toBeNull();
    expect(clampRange([5, 5], 60)).toBeNull();
    expect(clampRange(undefined, 60)).toBeNull();
  });
  it('tests offsets with a half-open range', () => {
    expect(inRange(14, [14, 34])).toBe(true);
    expect(inRange(33, [14, 34])).toBe(true);
    expect(inRange(34, [14, 34])).toBe(false);
    expect(inRange(13, [14, 34])).toBe(false);
    expect(inRange(0, null)).toBe(false);
  });
  it('gives the columns of each line a range covers', () => {
    // IPv4 header of an Ethernet frame: bytes 14..34.
    expect(lineSelection(0, 16, [14, 34])).toEqual([14, 16]);
    expect(lineSelection(16, 16, [14, 34])).toEqual([0, 16]);
    expect(lineSelection(32, 16, [14, 34])).toEqual([0, 2]);
    expect(lineSelection(48, 16, [14, 34])).toBeNull();
    expect(lineSelection(32, 2, [34, 40])).toBeNull();
    expect(lineSelection(32, 4, [34, 40])).toEqual([2, 4]);
    expect(lineSelection(0, 16, null)).toBeNull();
  });
  it('finds the line of an offset', () => {
    expect(lineOf(0)).toBe(0);
    expect(lineOf(15)).toBe(0);
    expect(lineOf(16)).toBe(1);
    expect(lineOf(34)).toBe(2);
  });
});
