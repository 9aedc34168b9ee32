import { describe, expect, it } from 'vitest';
import { PcapngWriter, epbSize, idbSize, shbSize } from './pcapng';
import { readPcapng } from './pcapng-read';
import { readCapture } from './read';
import { hex, rng, toHex } from './test-util';

/** The tiny capture: one interface, a 5-byte frame with a comment at t = 5.000000123 s, a 4-byte frame at 0. */
function tiny(): Uint8Array {
  const w = new PcapngWriter();
  const i = w.addInterface('h1:eth0');
  w.addPacket(i, 5_000_000_123, new Uint8Array([1, 2, 3, 4, 5]), 'hi');
  w.addPacket(i, 0, new Uint8Array([0xaa, 0xbb, 0xcc, 0xdd]));
  return w.toBytes();
}

// Hand-checked against draft-ietf-opsawg-pcapng sections 4.1-4.3 (little-endian).
const TINY = hex(`
  0a0d0d0a 30000000 4d3c2b1a 0100 0000 ffffffff ffffffff
  0400 0a00 5061636b6574204c6162 0000
  00000000 30000000

  01000000 2c000000 0100 0000 00000400
  0200 0700 68313a65746830 00
  0900 0100 09 000000
  00000000 2c000000

  06000000 34000000 00000000 01000000 7bf2052a 05000000 05000000
  0102030405 000000
  0100 0200 6869 0000
  00000000 34000000

  06000000 24000000 00000000 00000000 00000000 04000000 04000000
  aabbccdd
  24000000
`);

describe('PcapngWriter', () => {
  it('writes the golden bytes for a tiny capture', () => {
    expect(toHex(tiny())).toBe(toHex(TINY));
  });

  it('is deterministic and its size helpers match what it writes', () => {
    expect(toHex(tiny())).toBe(toHex(tiny()));
    expect(shbSize() + idbSize('h1:eth0') + epbSize(5, [2]) + epbSize(4)).toBe(TINY.length);
  });

  it('pre-sized to the exact length, it returns its buffer without growing', () => {
    const w = new PcapngWriter({ capacity: TINY.length });
    const i = w.addInterface('h1:eth0');
    w.addPacket(i, 5_000_000_123, new Uint8Array([1, 2, 3, 4, 5]), 'hi');
    w.addPacket(i, 0, new Uint8Array([0xaa, 0xbb, 0xcc, 0xdd]));
    const out = w.toBytes();
    expect(out.buffer.byteLength).toBe(TINY.length);
    expect(toHex(out)).toBe(toHex(TINY));
    // Writing after toBytes() leaves the returned bytes alone.
    w.addPacket(i, 1, new Uint8Array([9]));
    expect(toHex(out)).toBe(toHex(TINY));
  });

  it('streams in chunks that concatenate to the same file', () => {
    const w = new PcapngWriter({ capacity: 64 });
    const i = w.addInterface('h1:eth0');
    const a = w.takeChunk();
    w.addPacket(i, 5_000_000_123, new Uint8Array([1, 2, 3, 4, 5]), 'hi');
    const b = w.takeChunk();
    w.addPacket(i, 0, new Uint8Array([0xaa, 0xbb, 0xcc, 0xdd]));
    const c = w.takeChunk();
    expect(toHex(a) + toHex(b) + toHex(c)).toBe(toHex(TINY));
  });

  it('encodes UTF-8 comments and zeroes padding even when the buffer is reused', () => {
    const w = new PcapngWriter({ capacity: 64 });
    const i = w.addInterface('r1:eth1');
    w.takeChunk();
    w.addPacket(i, 7, new Uint8Array(7).fill(0xff), 'drop: NO_SOCKET — no listener');
    w.takeChunk();
    w.addPacket(i, 8, new Uint8Array(1).fill(0xee), 'é');
    const chunk = w.takeChunk();
    // 1 data byte + 3 zero pad; comment 2 bytes + 2 zero pad.
    expect(toHex(chunk.subarray(28, 32))).toBe('ee000000');
    expect(toHex(chunk.subarray(32, 40))).toBe('01000200c3a90000');
  });

  it('writes several comments as several opt_comment options, and sizes them exactly', () => {
    const w = new PcapngWriter({ capacity: shbSize() + idbSize('a:b') + epbSize(3, [1, 5]) });
    const i = w.addInterface('a:b');
    w.addPacket(i, 0, new Uint8Array([1, 2, 3]), ['x', '', 'hello']);
    const out = w.toBytes();
    expect(out.buffer.byteLength).toBe(out.length); // exact fit, no growth
    expect(toHex(out.subarray(out.length - epbSize(3, [1, 5])))).toBe(
      toHex(hex(`06000000 3c000000 00000000 00000000 00000000 03000000 03000000 01020300
        0100 0100 78000000  0100 0500 68656c6c6f000000  00000000 3c000000`)),
    );
    expect(readPcapng(out).packets[0]!.comments).toEqual(['x', 'hello']);
  });

  it('cuts a comment over 65535 bytes on a character boundary', () => {
    const w = new PcapngWriter();
    const i = w.addInterface('a:b');
    w.addPacket(i, 0, new Uint8Array(4), 'é'.repeat(40000));
    const r = readPcapng(w.toBytes());
    expect(r.damage).toBeUndefined();
    expect(r.packets[0]!.comments).toEqual(['é'.repeat(32767)]);
  });

  it('rejects unknown interfaces and non-integer timestamps', () => {
    const w = new PcapngWriter();
    expect(() => w.addPacket(0, 0, new Uint8Array(1))).toThrow(RangeError);
    const i = w.addInterface('a:b');
    expect(() => w.addPacket(i, 1.5, new Uint8Array(1))).toThrow(RangeError);
    expect(() => w.addPacket(i, -1, new Uint8Array(1))).toThrow(RangeError);
  });
});

describe('readPcapng', () => {
  it('reads back what the writer wrote', () => {
    const r = readCapture(tiny());
    expect(r.format).toBe('pcapng');
    expect(r.damage).toBeUndefined();
    expect(r.userAppl).toBe('Packet Lab');
    expect(r.interfaces).toEqual([{ name: 'h1:eth0', linkType: 1, snaplen: 262144, unitsPerSecond: 1e9 }]);
    expect(r.packets.map((p) => ({ ...p, bytes: toHex(p.bytes) }))).toEqual([
      { ifIndex: 0, timeNs: 5_000_000_123, exactNs: 5_000_000_123n, origLen: 5, bytes: '0102030405', comments: ['hi'] },
      { ifIndex: 0, timeNs: 0, exactNs: 0n, origLen: 4, bytes: 'aabbccdd' },
    ]);
  });

  it('round-trips many interfaces, sizes and timestamps', () => {
    const w = new PcapngWriter();
    const ifs = ['h1:eth0', 'sw1:p1', 'sw1:p2', 'h2:eth0'].map((n) => w.addInterface(n));
    const want: { ifIndex: number; timeNs: number; len: number; comments?: string[] }[] = [];
    const rand = rng(7);
    for (let k = 0; k < 300; k++) {
      const p = { ifIndex: ifs[k % 4]!, timeNs: k * 1_234_567_891 + 3, len: Math.floor(rand() * 1600) };
      const comments = k % 3 === 0 ? [`note ${k}`] : k % 3 === 1 ? [`a ${k}`, `b ${k}`] : undefined;
      w.addPacket(p.ifIndex, p.timeNs, new Uint8Array(p.len).fill(k & 255), comments);
      want.push(comments ? { ...p, comments } : p);
    }
    const r = readPcapng(w.toBytes());
    expect(r.damage).toBeUndefined();
    expect(r.interfaces.map((i) => i.name)).toEqual(['h1:eth0', 'sw1:p1', 'sw1:p2', 'h2:eth0']);
    const got = r.packets.map((p) => ({ ifIndex: p.ifIndex, timeNs: p.timeNs, len: p.bytes.length, ...(p.comments ? { comments: p.comments } : {}) }));
    expect(got).toEqual(want);
  });

  it('reads big-endian files and microsecond interfaces (no if_tsresol)', () => {
    const be = hex(`
      0a0d0d0a 0000001c 1a2b3c4d 0001 0000 ffffffff ffffffff 0000001c
      00000001 00000014 0001 0000 0000ffff 00000014
      00000006 00000024 00000000 00000000 00000007 00000004 00000004 01020304 00000024
    `);
    const r = readPcapng(be);
    expect(r.damage).toBeUndefined();
    expect(r.interfaces).toEqual([{ linkType: 1, snaplen: 65535, unitsPerSecond: 1e6 }]);
    expect(r.packets[0]!.timeNs).toBe(7000);
    expect(toHex(r.packets[0]!.bytes)).toBe('01020304');
  });

  it('skips unknown blocks', () => {
    const file = tiny();
    const nrb = hex('04000000 10000000 00000000 10000000'); // a Name Resolution Block, empty
    const joined = new Uint8Array(file.length + nrb.length);
    joined.set(file.subarray(0, 92));
    joined.set(nrb, 92);
    joined.set(file.subarray(92), 92 + nrb.length);
    const r = readPcapng(joined);
    expect(r.damage).toBeUndefined();
    expect(r.skippedBlocks).toBe(1);
    expect(r.packets).toHaveLength(2);
  });

  it('never throws on truncation and reports where the damage starts', () => {
    const file = tiny();
    for (let n = 0; n < file.length; n++) {
      const r = readPcapng(file.subarray(0, n));
      if (n === 48 || n === 92 || n === 144) {
        expect(r.damage).toBeUndefined(); // a whole number of blocks
        continue;
      }
      const packets = n >= 144 ? 1 : 0;
      expect(r.packets).toHaveLength(packets);
      expect(r.damage!.offset).toBe(n < 48 ? 0 : n < 92 ? 48 : n < 144 ? 92 : 144);
    }
  });

  it('reports a bad block length, a bad trailer and an unknown interface at the block offset', () => {
    const lenBad = tiny();
    lenBad[92 + 4] = 0x35; // 0x35 is not a multiple of 4
    expect(readPcapng(lenBad).damage).toEqual({ offset: 92, reason: 'bad block length 53' });
    const trailerBad = tiny();
    trailerBad[92 + 0x34 - 4] = 0x38;
    expect(readPcapng(trailerBad).damage?.offset).toBe(92);
    const ifBad = tiny();
    ifBad[144 + 8] = 3;
    const r = readPcapng(ifBad);
    expect(r.packets).toHaveLength(1);
    expect(r.damage?.offset).toBe(144);
  });

  it('never throws on random corruption', () => {
    const file = tiny();
    const rand = rng(42);
    for (let k = 0; k < 5000; k++) {
      const bad = file.slice();
      const flips = 1 + Math.floor(rand() * 4);
      for (let f = 0; f < flips; f++) bad[Math.floor(rand() * bad.length)] = Math.floor(rand() * 256);
      const r = readCapture(bad.subarray(0, Math.floor(rand() * (bad.length + 1))));
      if (r.damage) expect(r.damage.offset).toBeLessThanOrEqual(bad.length);
    }
    for (let k = 0; k < 2000; k++) {
      const junk = new Uint8Array(Math.floor(rand() * 200)).map(() => Math.floor(rand() * 256));
      if (k % 2 === 0) junk.set([0x0a, 0x0d, 0x0d, 0x0a].slice(0, junk.length));
      expect(() => readCapture(junk)).not.toThrow();
    }
  });
});
