import { describe, expect, it } from 'vitest';
import { PcapWriter } from './pcap';
import { readPcap } from './pcap-read';
import { readCapture } from './read';
import { hex, rng, toHex } from './test-util';

function tiny(): Uint8Array {
  const w = new PcapWriter();
  w.addPacket(5_000_000_123, new Uint8Array([1, 2, 3, 4, 5]));
  w.addPacket(0, new Uint8Array([0xaa, 0xbb, 0xcc, 0xdd]));
  return w.toBytes();
}

// Hand-checked against pcap-savefile(5): nanosecond magic, v2.4, snaplen 262144, LINKTYPE_ETHERNET.
const TINY = hex(`
  4d3cb2a1 0200 0400 00000000 00000000 00000400 01000000
  05000000 7b000000 05000000 05000000 0102030405
  00000000 00000000 04000000 04000000 aabbccdd
`);

describe('PcapWriter', () => {
  it('writes the golden bytes for a tiny capture', () => {
    expect(toHex(tiny())).toBe(toHex(TINY));
  });

  it('streams in chunks that concatenate to the same file', () => {
    const w = new PcapWriter({ capacity: 30 });
    const a = w.takeChunk();
    w.addPacket(5_000_000_123, new Uint8Array([1, 2, 3, 4, 5]));
    w.addPacket(0, new Uint8Array([0xaa, 0xbb, 0xcc, 0xdd]));
    expect(toHex(a) + toHex(w.takeChunk())).toBe(toHex(TINY));
  });

  it('rejects fractional, negative and too-late timestamps', () => {
    const w = new PcapWriter();
    expect(() => w.addPacket(0.5, new Uint8Array(1))).toThrow(RangeError);
    expect(() => w.addPacket(-1, new Uint8Array(1))).toThrow(RangeError);
    expect(() => w.addPacket(2 ** 32 * 1e9, new Uint8Array(1))).toThrow(RangeError);
  });
});

describe('readPcap', () => {
  it('reads back what the writer wrote', () => {
    const r = readCapture(tiny());
    expect(r.format).toBe('pcap');
    expect(r.damage).toBeUndefined();
    expect(r.interfaces).toEqual([{ linkType: 1, snaplen: 262144, unitsPerSecond: 1e9 }]);
    expect(r.packets.map((p) => ({ ...p, bytes: toHex(p.bytes) }))).toEqual([
      { ifIndex: 0, timeNs: 5_000_000_123, exactNs: 5_000_000_123n, origLen: 5, bytes: '0102030405' },
      { ifIndex: 0, timeNs: 0, exactNs: 0n, origLen: 4, bytes: 'aabbccdd' },
    ]);
  });

  it('reads big-endian microsecond files', () => {
    const be = hex('a1b2c3d4 0002 0004 00000000 00000000 0000ffff 00000001  00000002 00000003 00000001 00000001 ff');
    const r = readPcap(be);
    expect(r.damage).toBeUndefined();
    expect(r.packets[0]!.timeNs).toBe(2_000_003_000);
  });

  it('never throws on truncation and reports where the damage starts', () => {
    const file = tiny();
    for (let n = 0; n < file.length; n++) {
      const r = readPcap(file.subarray(0, n));
      if (n === 24 || n === 45) {
        expect(r.damage).toBeUndefined();
        continue;
      }
      expect(r.damage!.offset).toBe(n < 4 ? 0 : n < 24 ? 0 : n < 45 ? 24 : 45);
      expect(r.packets).toHaveLength(n > 45 ? 1 : 0);
    }
  });

  it('never throws on random corruption', () => {
    const file = tiny();
    const rand = rng(3);
    for (let k = 0; k < 5000; k++) {
      const bad = file.slice();
      bad[Math.floor(rand() * bad.length)] = Math.floor(rand() * 256);
      const r = readCapture(bad.subarray(0, Math.floor(rand() * (bad.length + 1))));
      if (r.damage) expect(r.damage.offset).toBeLessThanOrEqual(bad.length);
    }
  });
});

describe('exact timestamps', () => {
  it('keeps every nanosecond of a real capture`s epoch time, which a double cannot (above 2^53)', () => {
    // 2023-11-14 22:13:20.123456 UTC, microsecond pcap.
    const w = hex('d4c3b2a1 0200 0400 00000000 00000000 ffff0000 01000000  00f15365 40e20100 01000000 01000000 ff');
    const p = readCapture(w).packets[0]!;
    expect(p.exactNs).toBe(1_700_000_000_123_456_000n);
    expect(Number.isSafeInteger(p.timeNs)).toBe(false);
  });
});
