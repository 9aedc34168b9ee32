import { describe, expect, it } from 'vitest';
import { isOffloadPartialChecksum } from './checksum';
import { EtherType, writeEthernet } from './ethernet';
import { IpProto, parseIpv4Header, writeIpv4 } from './ipv4';
import { computeTcpChecksum, parseTcp, TcpFields, TcpFlag, tcpFlagNames, tcpHeaderLength, writeTcp } from './tcp';
import { linuxOptionLayout } from './tcp-options';

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const unhex = (s: string): Uint8Array => new Uint8Array(s.match(/../g)!.map((x) => parseInt(x, 16)));
const C = { mac: 0x62_8b_2a_81_28_ac, ip: 0x0a00_0001 };
const S = { mac: 0x66_1e_ca_06_13_65, ip: 0x0a00_0002 };

// Real frames from linux-truth (a_handshake_close/a.pcap #1 and #4, b_rst/closed_port.pcap #2).
const LINUX_SYN =
  '661eca061365628b2a8128ac08004500003c16fa400040060fc00a0000010a000002a67c13882da80c7400000000a002faf014310000020405b40402080a4a8b647f000000000103030a';
const LINUX_DATA =
  '661eca061365628b2a8128ac08004500004716fc400040060fb30a0000010a000002a67c13882da80c75439ba45a8018003f143c00000101080a4a8b6480aca2c49868656c6c6f2066726f6d20636c69656e742031';
const LINUX_RST = '628b2a8128ac661eca06136508004500002800004000400626ce0a0000020a0000011389bade0000000012bb903a501400002a710000';

interface Seg {
  from: { mac: number; ip: number };
  to: { mac: number; ip: number };
  id: number;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  options?: ReturnType<typeof linuxOptionLayout>;
  payload?: Uint8Array;
}

/** Outbound the lab's way: one buffer, payload first, then each layer writes its header in front. */
function build(s: Seg): Uint8Array {
  const payload = s.payload ?? new Uint8Array(0);
  const th = tcpHeaderLength(s.options);
  const f = new Uint8Array(14 + 20 + th + payload.length);
  f.set(payload, 34 + th);
  const hl = writeTcp(f, 34, { ...s, payloadLength: payload.length, src: s.from.ip, dst: s.to.ip });
  expect(hl).toBe(th);
  writeIpv4(f, 14, { id: s.id, protocol: IpProto.TCP, src: s.from.ip, dst: s.to.ip, payloadLength: th + payload.length });
  writeEthernet(f, 0, { dst: s.to.mac, src: s.from.mac, etherType: EtherType.IPV4 });
  return f;
}

describe('TCP header (RFC 9293 §3.1)', () => {
  it('golden: Linux RST,ACK for a closed port, byte for byte (kernel-computed checksum)', () => {
    const f = build({ from: S, to: C, id: 0, srcPort: 5001, dstPort: 47838, seq: 0, ack: 0x12bb903a, flags: TcpFlag.RST | TcpFlag.ACK, window: 0 });
    expect(hex(f)).toBe(LINUX_RST);
  });

  it('golden: Linux SYN (mss,sackOK,TS,nop,wscale); only the offloaded checksum differs', () => {
    const options = linuxOptionLayout({ mss: 1460, sackPerm: true, ts: { val: 1250649215, ecr: 0 }, wscale: 10 });
    const f = build({ from: C, to: S, id: 0x16fa, srcPort: 42620, dstPort: 5000, seq: 765987956, ack: 0, flags: TcpFlag.SYN, window: 64240, options });
    const linux = unhex(LINUX_SYN);
    expect(hex(f.subarray(0, 50)) + hex(f.subarray(52))).toBe(hex(linux.subarray(0, 50)) + hex(linux.subarray(52)));
    // Ours is complete (tshark: "should be 0x95de"); the capture holds the CHECKSUM_PARTIAL seed.
    expect(hex(f.subarray(50, 52))).toBe('95de');
    expect(isOffloadPartialChecksum(0x1431, C.ip, S.ip, IpProto.TCP, 40)).toBe(true);
  });

  it('golden: Linux data segment with nop,nop,TS and 19 bytes', () => {
    const payload = new TextEncoder().encode('hello from client 1');
    const options = linuxOptionLayout({ ts: { val: 1250649216, ecr: 2896348312 } });
    const f = build({ from: C, to: S, id: 0x16fc, srcPort: 42620, dstPort: 5000, seq: 765987957, ack: 1134273626, flags: TcpFlag.PSH | TcpFlag.ACK, window: 63, options, payload });
    const linux = unhex(LINUX_DATA);
    expect(hex(f.subarray(0, 50)) + hex(f.subarray(52))).toBe(hex(linux.subarray(0, 50)) + hex(linux.subarray(52)));
    expect(computeTcpChecksum(linux, 34, linux.length, C.ip, S.ip)).toBe((f[50]! << 8) | f[51]!);
  });

  it('parses the Linux SYN', () => {
    const f = unhex(LINUX_SYN);
    const ip = parseIpv4Header(f, 14);
    if (!ip.ok) throw new Error(ip.error);
    const t = parseTcp(f, 34, 34 + ip.value.payloadLength, ip.value);
    expect(t).toEqual({
      ok: true,
      value: {
        srcPort: 42620, dstPort: 5000, seq: 765987956, ack: 0, dataOffset: 10, flags: TcpFlag.SYN, reserved: 0, window: 64240,
        checksum: 0x1431, checksumOk: false, urgentPointer: 0, headerLength: 40, optionsOffset: 54, optionsLength: 20, payloadOffset: 74, payloadLength: 0,
      },
    });
  });

  it('the segment ends at the IP payload end, not at the padded frame end', () => {
    const f = new Uint8Array(60);
    f.set(unhex(LINUX_RST));
    const ip = parseIpv4Header(f, 14);
    if (!ip.ok) throw new Error(ip.error);
    const t = parseTcp(f, 34, 34 + ip.value.payloadLength, ip.value);
    expect(t.ok && [t.value.payloadLength, t.value.checksumOk]).toEqual([0, true]);
    const wrong = parseTcp(f, 34, f.length, ip.value);
    expect(wrong.ok && [wrong.value.payloadLength, wrong.value.checksumOk]).toEqual([6, false]);
  });

  it('a bad checksum is reported, not rejected', () => {
    const f = unhex(LINUX_RST);
    f[48] = 1; // window
    const t = parseTcp(f, 34, 54, { src: S.ip, dst: C.ip });
    expect(t.ok && t.value.checksumOk).toBe(false);
  });

  it('rejects a data offset below 5 or beyond the segment', () => {
    const f = unhex(LINUX_SYN);
    const g = f.slice();
    g[46] = 0x40;
    expect(parseTcp(g, 34, 74)).toEqual({ ok: false, error: 'TCP header length 16 bytes (data offset 4) is below 20', at: 46 });
    expect(parseTcp(f, 34, 70)).toEqual({ ok: false, error: 'TCP header length 40 exceeds the 36 bytes of the segment', at: 46 });
    expect(parseTcp(f, 34, 53)).toEqual({ ok: false, error: 'TCP header truncated: 19 of 20 bytes', at: 34 });
  });

  it('flag names in Wireshark order', () => {
    expect(tcpFlagNames(TcpFlag.SYN | TcpFlag.ACK)).toBe('SYN, ACK');
    expect(tcpFlagNames(TcpFlag.FIN | TcpFlag.PSH | TcpFlag.ACK)).toBe('FIN, PSH, ACK');
    expect(tcpFlagNames(TcpFlag.SYN | TcpFlag.ECE | TcpFlag.CWR)).toBe('SYN, ECE, CWR');
    expect(tcpFlagNames(0)).toBe('<None>');
    expect(tcpFlagNames(0, 1)).toBe('AE');
    expect(TcpFields.flags).toEqual([13, 14]);
    expect(Object.values(TcpFlag)).toEqual([1, 2, 4, 8, 16, 32, 64, 128]);
  });

  it('raw option bytes are padded to a multiple of 4', () => {
    const f = new Uint8Array(24);
    const hl = writeTcp(f, 0, { srcPort: 1, dstPort: 2, seq: 3, ack: 4, flags: TcpFlag.ACK, window: 5, options: new Uint8Array([1, 1, 1]), payloadLength: 0, src: 1, dst: 2 });
    expect(hl).toBe(24);
    expect(hex(f.subarray(12, 13))).toBe('60');
    expect(hex(f.subarray(20, 24))).toBe('01010100');
    expect(parseTcp(f, 0, 24, { src: 1, dst: 2 })).toMatchObject({ ok: true, value: { checksumOk: true, optionsLength: 4 } });
  });
});
