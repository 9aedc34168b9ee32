import { describe, expect, it } from 'vitest';
import { internetChecksum } from './checksum';
import { computeIpv4Checksum, decrementTtl, IpProto, Ipv4Fields, Ipv4Flag, parseIpv4Header, parseIpv4Quoted, writeIpv4 } from './ipv4';

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const unhex = (s: string): Uint8Array => new Uint8Array(s.match(/../g)!.map((x) => parseInt(x, 16)));
const C = 0x0a00_0001;
const S = 0x0a00_0002;

// IPv4 header of the first SYN in linux-truth/a_handshake_close/a.pcap (real kernel, checksum 0x0fc0).
const LINUX_SYN_IP = '4500003c16fa400040060fc00a0000010a000002';

describe('IPv4 (RFC 791)', () => {
  it('golden: rebuilds the header Linux sent, checksum included', () => {
    const b = new Uint8Array(60);
    const hl = writeIpv4(b, 0, { id: 0x16fa, protocol: IpProto.TCP, src: C, dst: S, payloadLength: 40 });
    expect(hl).toBe(20);
    expect(hex(b.subarray(0, 20))).toBe(LINUX_SYN_IP);
  });

  it('parses the fields back', () => {
    const b = new Uint8Array(60);
    b.set(unhex(LINUX_SYN_IP));
    const p = parseIpv4Header(b, 0);
    expect(p).toEqual({
      ok: true,
      value: {
        version: 4, ihl: 5, tos: 0, totalLength: 60, id: 0x16fa, flags: Ipv4Flag.DF, fragOffset: 0, ttl: 64, protocol: 6,
        checksum: 0x0fc0, checksumOk: true, src: C, dst: S, headerLength: 20, optionsLength: 0, payloadOffset: 20, payloadLength: 40,
      },
    });
  });

  it('total length, not the buffer, bounds the payload (Ethernet padding)', () => {
    // A 20-byte header + 8 bytes in a 60-byte frame: the last 18 bytes are padding.
    const f = new Uint8Array(60);
    writeIpv4(f, 14, { id: 1, protocol: IpProto.UDP, src: C, dst: S, payloadLength: 8 });
    const p = parseIpv4Header(f, 14);
    expect(p.ok && [p.value.totalLength, p.value.payloadOffset, p.value.payloadLength]).toEqual([28, 34, 8]);
  });

  it('flags, fragment offset, TOS and TTL', () => {
    const b = new Uint8Array(40);
    writeIpv4(b, 0, { tos: 0xc0, id: 0xabcd, flags: Ipv4Flag.MF, fragOffset: 185, ttl: 1, protocol: IpProto.ICMP, src: S, dst: C, payloadLength: 20 });
    expect(hex(b.subarray(0, 10))).toBe('45c00028abcd20b90101');
    const p = parseIpv4Header(b, 0);
    expect(p.ok && p.value).toMatchObject({ tos: 0xc0, flags: Ipv4Flag.MF, fragOffset: 185, ttl: 1, protocol: 1, checksumOk: true });
  });

  it('options: padded to a multiple of 4, IHL counts them, checksum covers them', () => {
    const b = new Uint8Array(64);
    const routerAlert = new Uint8Array([0x94, 0x04, 0x00]); // 3 of 4 bytes: padded with one zero
    const hl = writeIpv4(b, 0, { id: 0, protocol: 2, src: C, dst: S, options: routerAlert, payloadLength: 8 });
    expect(hl).toBe(24);
    expect(b[0]).toBe(0x46);
    expect(hex(b.subarray(20, 24))).toBe('94040000');
    expect(internetChecksum(b, 0, 24)).toBe(0);
    const p = parseIpv4Header(b, 0, 32);
    expect(p.ok && p.value).toMatchObject({ ihl: 6, headerLength: 24, optionsLength: 4, payloadOffset: 24, payloadLength: 8, checksumOk: true });
  });

  it('a bad checksum is reported, not rejected', () => {
    const b = unhex(LINUX_SYN_IP + '00'.repeat(40));
    b[8] = 63;
    const p = parseIpv4Header(b, 0);
    expect(p.ok && p.value.checksumOk).toBe(false);
    expect(computeIpv4Checksum(b, 0, 20)).toBe(0x10c0);
  });

  it('rejects bad version, IHL and lengths with the offending byte', () => {
    const good = unhex(LINUX_SYN_IP + '00'.repeat(40));
    const mod = (i: number, v: number): Uint8Array => {
      const c = good.slice();
      c[i] = v;
      return c;
    };
    expect(parseIpv4Header(mod(0, 0x65), 0)).toEqual({ ok: false, error: 'IP version 6 is not 4', at: 0 });
    expect(parseIpv4Header(mod(0, 0x44), 0)).toEqual({ ok: false, error: 'IPv4 header length 16 bytes (IHL 4) is below 20', at: 0 });
    expect(parseIpv4Header(mod(3, 0x10), 0)).toEqual({ ok: false, error: 'IPv4 total length 16 is below the header length 20', at: 2 });
    expect(parseIpv4Header(mod(3, 0x3d), 0)).toEqual({ ok: false, error: 'IPv4 total length 61 exceeds the 60 bytes received', at: 2 });
    expect(parseIpv4Header(good.subarray(0, 19), 0)).toEqual({ ok: false, error: 'IPv4 header truncated: 19 of 20 bytes', at: 0 });
    const ihl15 = mod(0, 0x4f);
    ihl15[3] = 40;
    expect(parseIpv4Header(ihl15, 0)).toEqual({ ok: false, error: 'IPv4 total length 40 is below the header length 60', at: 2 });
    expect(parseIpv4Header(ihl15.subarray(0, 40), 0)).toEqual({ ok: false, error: 'IPv4 header truncated: 40 of 60 bytes', at: 0 });
    expect(parseIpv4Header(good.subarray(0, 30), 0, 30)).toMatchObject({ ok: false, at: 2 });
  });

  it('quoted headers (inside ICMP errors) may be cut short', () => {
    const b = unhex(LINUX_SYN_IP + '0102030405060708');
    expect(parseIpv4Header(b, 0).ok).toBe(false);
    const q = parseIpv4Quoted(b, 0);
    expect(q.ok && [q.value.totalLength, q.value.payloadLength]).toEqual([60, 8]);
  });

  it('decrementTtl patches the checksum incrementally (RFC 1624) for every TTL', () => {
    const b = unhex(LINUX_SYN_IP);
    for (let ttl = 255; ttl >= 1; ttl--) {
      b[8] = ttl;
      b[10] = 0;
      b[11] = 0;
      const c = internetChecksum(b, 0, 20);
      b[10] = c >>> 8;
      b[11] = c & 255;
      expect(decrementTtl(b, 0)).toBe(ttl - 1);
      expect(internetChecksum(b, 0, 20)).toBe(0);
    }
  });

  it('field table', () => {
    expect(Ipv4Fields.totalLength).toEqual([2, 4]);
    expect(Ipv4Fields.dst).toEqual([16, 20]);
  });
});
