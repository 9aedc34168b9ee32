import { describe, expect, it } from 'vitest';
import { EtherType, parseEthernet, writeEthernet } from './ethernet';
import {
  computeIcmpChecksum,
  ICMP_HEADER_LEN,
  icmpErrorQuoteLength,
  IcmpType,
  IcmpUnreachCode,
  Icmpv4Fields,
  parseIcmpQuote,
  parseIcmpv4,
  writeIcmpEcho,
  writeIcmpv4,
} from './icmpv4';
import { IpProto, Ipv4Flag, parseIpv4Header, writeIpv4 } from './ipv4';

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const unhex = (s: string): Uint8Array => new Uint8Array(s.match(/../g)!.map((x) => parseInt(x, 16)));
const A = { mac: 0x0200_0000_0101, ip: 0x0a00_0001 };
const B = { mac: 0x0200_0000_0201, ip: 0x0a00_0002 };

// From linux-truth/c_udp_icmp/c.pcap (real kernel): a UDP datagram to a closed port (frame 1) and
// the ICMP port unreachable it caused (frame 2): TOS 0xc0, DF clear, the whole datagram quoted.
const LINUX_UDP = '661eca061365628b2a8128ac08004500002cf9f2400040112ccc0a0000010a000002c52a17700018142c70696e672d756e636f6e6e6563746564';
const LINUX_UNREACH =
  '628b2a8128ac661eca061365080045c00048ab8800004001ba6a0a0000020a0000010303eac7000000004500002cf9f2400040112ccc0a0000010a000002c52a17700018142c70696e672d756e636f6e6e6563746564';

describe('ICMPv4 (RFC 792)', () => {
  it('golden: echo request id 1 seq 1 with 56 data bytes (checked with tshark)', () => {
    const data = 56;
    const f = new Uint8Array(14 + 20 + 8 + data);
    for (let i = 0; i < data; i++) f[42 + i] = 0x10 + i;
    expect(writeIcmpEcho(f, 34, { type: IcmpType.ECHO_REQUEST, id: 1, seq: 1, payloadLength: data })).toBe(8);
    writeIpv4(f, 14, { id: 0x1234, protocol: IpProto.ICMP, src: A.ip, dst: B.ip, payloadLength: 8 + data });
    writeEthernet(f, 0, { dst: B.mac, src: A.mac, etherType: EtherType.IPV4 });
    expect(hex(f.subarray(14, 42))).toBe('4500005412344000400114730a0000010a00000208003f2900010001');
    const p = parseIcmpv4(f, 34);
    expect(p).toEqual({
      ok: true,
      value: { type: 8, code: 0, checksum: 0x3f29, checksumOk: true, rest: 0x00010001, id: 1, seq: 1, headerLength: 8, payloadOffset: 42, payloadLength: 56 },
    });
  });

  it('golden: rebuilds Linux\'s port unreachable byte for byte', () => {
    const orig = unhex(LINUX_UDP);
    const quote = icmpErrorQuoteLength(orig.length - 14);
    expect(quote).toBe(44);
    const f = new Uint8Array(14 + 20 + 8 + quote);
    f.set(orig.subarray(14, 14 + quote), 42);
    writeIcmpv4(f, 34, { type: IcmpType.DEST_UNREACH, code: IcmpUnreachCode.PORT, payloadLength: quote });
    writeIpv4(f, 14, { tos: 0xc0, id: 0xab88, flags: 0, protocol: IpProto.ICMP, src: B.ip, dst: A.ip, payloadLength: 8 + quote });
    writeEthernet(f, 0, { dst: 0x62_8b_2a_81_28_ac, src: 0x66_1e_ca_06_13_65, etherType: EtherType.IPV4 });
    expect(hex(f)).toBe(LINUX_UNREACH);
  });

  it('parses the Linux port unreachable and its quote', () => {
    const f = unhex(LINUX_UNREACH);
    const eth = parseEthernet(f, 0);
    const ip = eth.ok ? parseIpv4Header(f, eth.value.payloadOffset) : eth;
    if (!ip.ok) throw new Error(ip.error);
    expect(ip.value).toMatchObject({ tos: 0xc0, flags: 0, protocol: 1, checksumOk: true });
    const end = ip.value.payloadOffset + ip.value.payloadLength;
    const m = parseIcmpv4(f, ip.value.payloadOffset, end);
    expect(m.ok && m.value).toMatchObject({ type: 3, code: 3, checksum: 0xeac7, checksumOk: true, rest: 0, payloadLength: 44 });
    const q = parseIcmpQuote(f, ip.value.payloadOffset, end);
    expect(q.ok && q.value).toMatchObject({ srcPort: 50474, dstPort: 6000, ip: { src: A.ip, dst: B.ip, protocol: 17, id: 0xf9f2, flags: Ipv4Flag.DF } });
  });

  it('time exceeded quoting the IP header + 8 bytes (RFC 792 minimum)', () => {
    const orig = unhex(LINUX_UDP);
    const f = new Uint8Array(14 + 20 + 8 + 28);
    f.set(orig.subarray(14, 14 + 28), 42);
    writeIcmpv4(f, 34, { type: IcmpType.TIME_EXCEEDED, code: 0, payloadLength: 28 });
    writeIpv4(f, 14, { tos: 0xc0, flags: 0, id: 7, protocol: IpProto.ICMP, src: 0x0a000101, dst: A.ip, payloadLength: 36 });
    const m = parseIcmpv4(f, 34);
    expect(m.ok && m.value).toMatchObject({ type: 11, code: 0, checksumOk: true });
    const q = parseIcmpQuote(f, 34);
    expect(q.ok && q.value).toMatchObject({ srcPort: 50474, dstPort: 6000, ip: { totalLength: 44, payloadLength: 8 } });
  });

  it('fragmentation needed carries the next-hop MTU (RFC 1191)', () => {
    const b = new Uint8Array(8);
    writeIcmpv4(b, 0, { type: 3, code: 4, rest: 1400, payloadLength: 0 });
    expect(hex(b)).toBe('0304' + 'f783' + '00000578'); // ~(0x0304 + 0x0578) = 0xf783
    const p = parseIcmpv4(b, 0);
    expect(p.ok && [p.value.seq, p.value.checksumOk]).toEqual([1400, true]);
  });

  it('checksum covers the data; a damaged byte is reported, not rejected', () => {
    const f = unhex(LINUX_UNREACH);
    f[80] ^= 1;
    const m = parseIcmpv4(f, 34);
    expect(m.ok && m.value.checksumOk).toBe(false);
    f[80] ^= 1;
    expect(computeIcmpChecksum(f, 34, f.length)).toBe(0xeac7);
  });

  it('errors: truncated header, quote without an IP header', () => {
    expect(parseIcmpv4(new Uint8Array(7), 0)).toEqual({ ok: false, error: 'ICMP header truncated: 7 of 8 bytes', at: 0 });
    expect(parseIcmpQuote(new Uint8Array(20), 0)).toMatchObject({ ok: false, at: 8 });
  });

  it('quote length follows Linux: up to 576 - 28 bytes', () => {
    expect(icmpErrorQuoteLength(1500)).toBe(548);
    expect(icmpErrorQuoteLength(28)).toBe(28);
    expect(ICMP_HEADER_LEN).toBe(8);
    expect(Icmpv4Fields.seq).toEqual([6, 8]);
  });
});
