import { describe, expect, it } from 'vitest';
import { isOffloadPartialChecksum } from './checksum';
import { EtherType, ethFrameLength, writeEthernet } from './ethernet';
import { IpProto, parseIpv4Header, writeIpv4 } from './ipv4';
import { computeUdpChecksum, parseUdp, UdpFields, writeUdp } from './udp';

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const unhex = (s: string): Uint8Array => new Uint8Array(s.match(/../g)!.map((x) => parseInt(x, 16)));
const A = { mac: 0x0200_0000_0101, ip: 0x0a00_0001 };
const B = { mac: 0x0200_0000_0201, ip: 0x0a00_0002 };

function frame(payload: Uint8Array, checksum = true): Uint8Array {
  const f = new Uint8Array(ethFrameLength(42 + payload.length));
  f.set(payload, 42);
  writeUdp(f, 34, { srcPort: 5000, dstPort: 53, payloadLength: payload.length, src: A.ip, dst: B.ip, checksum });
  writeIpv4(f, 14, { id: 1, protocol: IpProto.UDP, src: A.ip, dst: B.ip, payloadLength: 8 + payload.length });
  writeEthernet(f, 0, { dst: B.mac, src: A.mac, etherType: EtherType.IPV4 });
  return f;
}

describe('UDP (RFC 768)', () => {
  it('golden: 5000 -> 53 "hello, world", padded to 60 (checked with tshark)', () => {
    const f = frame(new TextEncoder().encode('hello, world'));
    expect(hex(f)).toBe(
      '0200000002010200000001010800' + '45000028000140004011' + '26c2' + '0a0000010a000002' + '138800350014' + '97ba' + '68656c6c6f2c20776f726c64' + '000000000000',
    );
    const ip = parseIpv4Header(f, 14);
    if (!ip.ok) throw new Error(ip.error);
    const u = parseUdp(f, 34, 34 + ip.value.payloadLength, ip.value);
    expect(u).toEqual({
      ok: true,
      value: { srcPort: 5000, dstPort: 53, length: 20, checksum: 0x97ba, checksumOk: true, headerLength: 8, payloadOffset: 42, payloadLength: 12 },
    });
  });

  it('checksum 0 means none (RFC 768)', () => {
    const f = frame(new Uint8Array([1, 2, 3]), false);
    expect(hex(f.subarray(40, 42))).toBe('0000');
    const u = parseUdp(f, 34, 45, { src: A.ip, dst: B.ip });
    expect(u.ok && u.value.checksumOk).toBe(true);
  });

  it('a computed checksum of 0 is sent as 0xffff', () => {
    // Choose the payload word so that the one's complement sum is 0xffff.
    const f = frame(new Uint8Array([0, 0]));
    const c = (f[40]! << 8) | f[41]!;
    const g = frame(new Uint8Array([c >>> 8, c & 255]));
    expect(hex(g.subarray(40, 42))).toBe('ffff');
    const u = parseUdp(g, 34, 44, { src: A.ip, dst: B.ip });
    expect(u.ok && u.value.checksumOk).toBe(true);
    expect(computeUdpChecksum(g, 34, 10, A.ip, B.ip)).toBe(0xffff);
  });

  it('without a pseudo-header the checksum is not judged', () => {
    const f = frame(new Uint8Array([1]));
    const u = parseUdp(f, 34, 43);
    expect(u.ok && u.value.checksumOk).toBe(null);
  });

  it('Linux offload: the captured datagram carries the pseudo-header sum', () => {
    // linux-truth/c_udp_icmp/c.pcap frame 1 was captured before the checksum was completed.
    const f = unhex('661eca061365628b2a8128ac08004500002cf9f2400040112ccc0a0000010a000002c52a17700018142c70696e672d756e636f6e6e6563746564');
    const u = parseUdp(f, 34, 58, { src: A.ip, dst: B.ip });
    expect(u.ok && [u.value.checksum, u.value.checksumOk]).toEqual([0x142c, false]);
    expect(isOffloadPartialChecksum(0x142c, A.ip, B.ip, IpProto.UDP, 24)).toBe(true);
    expect(computeUdpChecksum(f, 34, 24, A.ip, B.ip)).toBe(0xedca); // tshark: "should be 0xedca"
  });

  it('length errors name byte 4 of the header', () => {
    const f = frame(new Uint8Array(4));
    expect(parseUdp(f, 34, 46)).toMatchObject({ ok: true });
    expect(parseUdp(f, 34, 45)).toEqual({ ok: false, error: 'UDP length 12 exceeds the 11 bytes of the IP payload', at: 38 });
    const g = f.slice();
    g[39] = 7;
    expect(parseUdp(g, 34, 46)).toEqual({ ok: false, error: 'UDP length 7 is below the header length 8', at: 38 });
    expect(parseUdp(f, 34, 41)).toEqual({ ok: false, error: 'UDP header truncated: 7 of 8 bytes', at: 34 });
  });

  it('an IP payload longer than the UDP length is trimmed to it', () => {
    const f = frame(new Uint8Array(4));
    const u = parseUdp(f, 34, 60);
    expect(u.ok && u.value.payloadLength).toBe(4);
    expect(UdpFields.checksum).toEqual([6, 8]);
  });
});
