import { describe, expect, it } from 'vitest';
import { BROADCAST_MAC, formatIpv4, formatMac, isMulticastMac, parseCidr, parseIpv4, parseMac, readMac, sameSubnet, writeMac } from './address';

describe('addresses as numbers', () => {
  it('readMac keeps all 48 bits (the top 16 were once lost to `x + y >>> 0`)', () => {
    const b = new Uint8Array(8);
    writeMac(b, 1, 0x62_8b_2a_81_28_ac);
    expect(Array.from(b.subarray(1, 7))).toEqual([0x62, 0x8b, 0x2a, 0x81, 0x28, 0xac]);
    expect(readMac(b, 1)).toBe(0x62_8b_2a_81_28_ac);
    writeMac(b, 0, BROADCAST_MAC);
    expect(readMac(b, 0)).toBe(BROADCAST_MAC);
  });

  it('formats and parses MACs', () => {
    expect(formatMac(0x0200_0000_0101)).toBe('02:00:00:00:01:01');
    expect(formatMac(BROADCAST_MAC)).toBe('ff:ff:ff:ff:ff:ff');
    expect(formatMac(0)).toBe('00:00:00:00:00:00');
    expect(parseMac('62:8b:2a:81:28:ac')).toBe(0x62_8b_2a_81_28_ac);
    expect(parseMac('62-8B-2A-81-28-AC')).toBe(0x62_8b_2a_81_28_ac);
    expect(parseMac('62:8b:2a:81:28')).toBe(null);
    expect(isMulticastMac(BROADCAST_MAC)).toBe(true);
    expect(isMulticastMac(0x0100_5e00_0001)).toBe(true);
    expect(isMulticastMac(0x0200_0000_0101)).toBe(false);
  });

  it('formats and parses IPv4', () => {
    expect(formatIpv4(0xc0a8_0001)).toBe('192.168.0.1');
    expect(formatIpv4(0xc0a8_0001 | 0)).toBe('192.168.0.1'); // a signed 32-bit value names the same address
    // Past the bound of remembered texts (4,096), twice over: every text is still its own address's.
    const quad = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
    for (let round = 0; round < 2; round++) for (let i = 0; i < 5000; i++) expect(formatIpv4(0x0a00_0000 + i * 257)).toBe(quad(0x0a00_0000 + i * 257));
    expect(parseIpv4('255.255.255.255')).toBe(0xffff_ffff);
    expect(parseIpv4('10.0.0.256')).toBe(null);
    expect(parseCidr('10.0.0.1/24')).toEqual({ addr: 0x0a00_0001, prefix: 24 });
    expect(sameSubnet(0x0a00_0001, 0x0a00_00fe, 24)).toBe(true);
    expect(sameSubnet(0x0a00_0001, 0x0a00_0101, 24)).toBe(false);
  });
});
