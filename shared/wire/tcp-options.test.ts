import { describe, expect, it } from 'vitest';
import { linuxOptionLayout, parseTcpOptions, parseTcpOptionValues, tcpOptionsLength, writeTcpOptions, type TcpOption } from './tcp-options';

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const unhex = (s: string): Uint8Array => new Uint8Array(s.match(/../g)!.map((x) => parseInt(x, 16)));

function encode(options: readonly TcpOption[]): Uint8Array {
  const b = new Uint8Array(40).fill(0xee);
  const n = writeTcpOptions(b, 0, options);
  expect(n).toBe(tcpOptionsLength(options));
  return b.subarray(0, n);
}

describe('TCP options', () => {
  it('golden: Linux SYN layout mss,sackOK,TS,nop,wscale = 20 bytes (as in a.pcap)', () => {
    const o = linuxOptionLayout({ mss: 1460, sackPerm: true, ts: { val: 1250649215, ecr: 0 }, wscale: 10 });
    expect(o.map((x) => x.kind)).toEqual(['mss', 'sackPerm', 'timestamp', 'nop', 'wscale']);
    // MSS(4) + SACK_PERM(2)+TS(10) + NOP+WS(4)
    expect(hex(encode(o))).toBe('020405b4' + '0402080a4a8b647f00000000' + '0103030a');
  });

  it('golden: established nop,nop,TS = 12 bytes; with SACK blocks nop,nop,SACK after it', () => {
    expect(hex(encode(linuxOptionLayout({ ts: { val: 1, ecr: 2 } })))).toBe('0101080a0000000100000002');
    const withSack = encode(linuxOptionLayout({ ts: { val: 1, ecr: 2 }, sackBlocks: [[100, 200]] }));
    expect(hex(withSack)).toBe('0101080a0000000100000002' + '0101050a' + '00000064000000c8');
  });

  it('golden: SYN-ACK without timestamps mss,nop,nop,sackOK,nop,wscale (README row 22)', () => {
    const o = linuxOptionLayout({ mss: 1460, sackPerm: true, wscale: 7 });
    expect(hex(encode(o))).toBe('020405b4' + '01010402' + '01030307');
  });

  it('pads with zeros (EOL) to a multiple of 4', () => {
    expect(hex(encode([{ kind: 'mss', mss: 536 }, { kind: 'nop' }]))).toBe('020402180100' + '0000');
    expect(hex(encode([{ kind: 'wscale', shift: 14 }]))).toBe('0303' + '0e00');
    expect(hex(encode([]))).toBe('');
  });

  it('parses back with offsets and lengths', () => {
    const b = new Uint8Array(60);
    b.set(unhex('020405b40402080a4a8b647f000000000103030a'), 40);
    const p = parseTcpOptions(b, 40, 60);
    expect(p).toEqual({
      ok: true,
      value: [
        { kind: 'mss', mss: 1460, offset: 40, length: 4 },
        { kind: 'sackPerm', offset: 44, length: 2 },
        { kind: 'timestamp', tsVal: 1250649215, tsEcr: 0, offset: 46, length: 10 },
        { kind: 'nop', offset: 56, length: 1 },
        { kind: 'wscale', shift: 10, offset: 57, length: 3 },
      ],
    });
    expect(parseTcpOptionValues(b, 40, 60)).toEqual({ mss: 1460, sackPermitted: true, tsVal: 1250649215, tsEcr: 0, wscale: 10 });
  });

  it('round-trips SACK blocks and unknown options (skipped by length)', () => {
    const opts: TcpOption[] = [
      { kind: 'nop' },
      { kind: 'nop' },
      { kind: 'sack', blocks: [[1, 2], [0xfffffff0, 5]] },
      { kind: 'unknown', type: 30, data: new Uint8Array([9, 8, 7]) },
    ];
    const b = encode(opts);
    const p = parseTcpOptions(b, 0, b.length);
    if (!p.ok) throw new Error(p.error);
    expect(p.value.map((o) => o.kind)).toEqual(['nop', 'nop', 'sack', 'unknown', 'eol']);
    expect(p.value[2]).toMatchObject({ blocks: [[1, 2], [0xfffffff0, 5]] });
    expect(p.value[3]).toMatchObject({ type: 30, length: 5 });
    expect(Array.from((p.value[3] as { data: Uint8Array }).data)).toEqual([9, 8, 7]);
    expect(parseTcpOptionValues(b, 0, b.length).sackBlocks).toEqual([[1, 2], [0xfffffff0, 5]]);
  });

  it('stops at End of Option List: the rest is padding', () => {
    const b = unhex('0204058c00ffffff');
    const p = parseTcpOptions(b, 0, 8);
    expect(p.ok && p.value.map((o) => o.kind)).toEqual(['mss', 'eol']);
  });

  it('malformed lengths are error results naming the length byte', () => {
    expect(parseTcpOptions(unhex('0200'), 0, 2)).toEqual({ ok: false, error: 'TCP option Maximum Segment Size length 0 is below 2', at: 1 });
    expect(parseTcpOptions(unhex('0101fe01'), 0, 4)).toEqual({ ok: false, error: 'TCP option kind 254 length 1 is below 2', at: 3 });
    expect(parseTcpOptions(unhex('01080a00'), 0, 4)).toEqual({
      ok: false,
      error: 'TCP option Timestamps length 10 runs past the end of the options (3 bytes left)',
      at: 2,
    });
    expect(parseTcpOptions(unhex('010102'), 0, 3)).toEqual({ ok: false, error: 'TCP option Maximum Segment Size has no length byte', at: 2 });
    expect(parseTcpOptions(unhex('020505b400000000'), 0, 8)).toEqual({ ok: false, error: 'TCP option Maximum Segment Size length 5 should be 4', at: 1 });
    expect(parseTcpOptions(unhex('0509000000000000000000'), 0, 11)).toEqual({ ok: false, error: 'TCP option SACK length 9 is not 2 + 8n', at: 1 });
  });

  it('parseTcpOptionValues follows Linux tcp_parse_options: skip wrong lengths, stop at silly ones', () => {
    // MSS with length 5 is skipped, the window scale after it is kept.
    const skip = parseTcpOptionValues(unhex('0205000000' + '030307'), 0, 8);
    expect(skip).toMatchObject({ wscale: 7, malformed: { at: 1 } });
    expect(skip.mss).toBeUndefined();
    // A length of 1 ends the walk; the MSS before it is kept.
    const stop = parseTcpOptionValues(unhex('020405b4' + '0801' + '030307'), 0, 9);
    expect(stop).toMatchObject({ mss: 1460, malformed: { error: 'TCP option Timestamps length 1 is below 2', at: 5 } });
    expect(stop.wscale).toBeUndefined();
  });
});
