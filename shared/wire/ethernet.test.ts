import { describe, expect, it } from 'vitest';
import { BROADCAST_MAC } from './address';
import { ETH_MIN_FRAME, EtherType, EthernetFields, ethFrameLength, padEthernetFrame, parseEthernet, writeEthernet } from './ethernet';

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const A = 0x0200_0000_0101;

describe('Ethernet II', () => {
  it('golden: broadcast ARP header', () => {
    const b = new Uint8Array(14);
    expect(writeEthernet(b, 0, { dst: BROADCAST_MAC, src: A, etherType: EtherType.ARP })).toBe(14);
    expect(hex(b)).toBe('ffffffffffff' + '020000000101' + '0806');
    const p = parseEthernet(b, 0);
    expect(p).toEqual({ ok: true, value: { dst: BROADCAST_MAC, src: A, etherType: 0x0806, headerLength: 14, payloadOffset: 14, payloadLength: 0 } });
  });

  it('writes and parses at an offset (headroom)', () => {
    const b = new Uint8Array(40);
    writeEthernet(b, 10, { dst: 0x66_1e_ca_06_13_65, src: 0x62_8b_2a_81_28_ac, etherType: EtherType.IPV4 });
    expect(hex(b.subarray(10, 24))).toBe('661eca061365628b2a8128ac0800');
    const p = parseEthernet(b, 10);
    expect(p.ok && p.value).toMatchObject({ dst: 0x66_1e_ca_06_13_65, src: 0x62_8b_2a_81_28_ac, payloadOffset: 24, payloadLength: 16 });
  });

  it('truncated header is an error at the header start', () => {
    expect(parseEthernet(new Uint8Array(13), 0)).toEqual({ ok: false, error: 'Ethernet header truncated: 13 of 14 bytes', at: 0 });
    expect(parseEthernet(new Uint8Array(20), 10)).toMatchObject({ ok: false, at: 10 });
    expect(parseEthernet(new Uint8Array(0), 0).ok).toBe(false);
  });

  it('pads short frames to 60 bytes with zeros', () => {
    expect(ETH_MIN_FRAME).toBe(60);
    expect(ethFrameLength(42)).toBe(60);
    expect(ethFrameLength(61)).toBe(61);
    const short = new Uint8Array(42).fill(7);
    const padded = padEthernetFrame(short);
    expect(padded.length).toBe(60);
    expect(Array.from(padded.subarray(0, 42)).every((x) => x === 7)).toBe(true);
    expect(Array.from(padded.subarray(42)).every((x) => x === 0)).toBe(true);
    const long = new Uint8Array(64);
    expect(padEthernetFrame(long)).toBe(long);
  });

  it('field table covers the header', () => {
    expect(EthernetFields).toEqual({ dst: [0, 6], src: [6, 12], etherType: [12, 14] });
  });
});
