import { describe, expect, it } from 'vitest';
import { BROADCAST_MAC } from './address';
import { ArpOp, writeArp } from './arp';
import { dissect, summarize, type DissectNode } from './dissect';
import { EtherType, ethFrameLength, writeEthernet } from './ethernet';
import { IcmpType, writeIcmpEcho, writeIcmpv4 } from './icmpv4';
import { IpProto, Ipv4Flag, writeIpv4 } from './ipv4';
import { TcpFlag, tcpHeaderLength, writeTcp } from './tcp';
import { linuxOptionLayout, type TcpOption } from './tcp-options';
import { writeUdp } from './udp';

const unhex = (s: string): Uint8Array => new Uint8Array(s.match(/../g)!.map((x) => parseInt(x, 16)));
const A = { mac: 0x0200_0000_0101, ip: 0x0a00_0001 };
const B = { mac: 0x0200_0000_0201, ip: 0x0a00_0002 };
const LINUX_SYN =
  '661eca061365628b2a8128ac08004500003c16fa400040060fc00a0000010a000002a67c13882da80c7400000000a002faf014310000020405b40402080a4a8b647f000000000103030a';
const LINUX_UNREACH =
  '628b2a8128ac661eca061365080045c00048ab8800004001ba6a0a0000020a0000010303eac7000000004500002cf9f2400040112ccc0a0000010a000002c52a17700018142c70696e672d756e636f6e6e6563746564';

function arp(op: number, sha: number, spa: number, tha: number, tpa: number, dst = BROADCAST_MAC): Uint8Array {
  const f = new Uint8Array(ethFrameLength(42));
  writeEthernet(f, 0, { dst, src: sha, etherType: EtherType.ARP });
  writeArp(f, 14, { op, sha, spa, tha, tpa });
  return f;
}

function ip(proto: number, l4: (f: Uint8Array) => number, payload: Uint8Array, l4len: number, extra: { flags?: number; fragOffset?: number } = {}): Uint8Array {
  const f = new Uint8Array(ethFrameLength(34 + l4len + payload.length));
  f.set(payload, 34 + l4len);
  l4(f);
  writeIpv4(f, 14, { id: 1, protocol: proto, src: A.ip, dst: B.ip, payloadLength: l4len + payload.length, ...extra });
  writeEthernet(f, 0, { dst: B.mac, src: A.mac, etherType: EtherType.IPV4 });
  return f;
}

function tcp(flags: number, options: TcpOption[] | Uint8Array, payload = new Uint8Array(0), seq = 123, ack = 0): Uint8Array {
  const hl = tcpHeaderLength(options);
  return ip(IpProto.TCP, (f) => writeTcp(f, 34, { srcPort: 42620, dstPort: 5000, seq, ack, flags, window: 64240, options, payloadLength: payload.length, src: A.ip, dst: B.ip }), payload, hl);
}

function echo(type: 0 | 8, data: number): Uint8Array {
  return ip(IpProto.ICMP, (f) => writeIcmpEcho(f, 34, { type, id: 1, seq: 1, payloadLength: data }), new Uint8Array(data), 8);
}

function labels(nodes: DissectNode[]): string[] {
  return nodes.map((n) => n.label);
}

function find(nodes: DissectNode[], prefix: string): DissectNode | undefined {
  for (const n of nodes) {
    if (n.label.startsWith(prefix)) return n;
    const c = n.children && find(n.children, prefix);
    if (c) return c;
  }
  return undefined;
}

function allNodes(nodes: DissectNode[], out: DissectNode[] = []): DissectNode[] {
  for (const n of nodes) {
    out.push(n);
    if (n.children) allNodes(n.children, out);
  }
  return out;
}

const SYN_OPTS = linuxOptionLayout({ mss: 1460, sackPerm: true, ts: { val: 1, ecr: 0 }, wscale: 10 });

describe('summarize (the packet list row)', () => {
  it('ARP: who-has, is-at, probe, announcement, gratuitous', () => {
    expect(summarize(arp(ArpOp.REQUEST, A.mac, A.ip, 0, B.ip))).toMatchObject({
      protocol: 'ARP', info: 'Who has 10.0.0.2? Tell 10.0.0.1', src: '02:00:00:00:01:01', dst: 'ff:ff:ff:ff:ff:ff', arpOp: 1, etherType: 0x0806, ethDst: BROADCAST_MAC,
    });
    expect(summarize(arp(ArpOp.REPLY, B.mac, B.ip, A.mac, A.ip, A.mac)).info).toBe('10.0.0.2 is at 02:00:00:00:02:01');
    expect(summarize(arp(ArpOp.REQUEST, A.mac, 0, 0, B.ip)).info).toBe('Who has 10.0.0.2? (ARP Probe)');
    expect(summarize(arp(ArpOp.REQUEST, A.mac, A.ip, 0, A.ip)).info).toBe('ARP Announcement for 10.0.0.1');
    expect(summarize(arp(ArpOp.REPLY, A.mac, A.ip, BROADCAST_MAC, A.ip)).info).toBe('Gratuitous ARP for 10.0.0.1 (Reply)');
  });

  it('ICMP echo: Wireshark pads the type name to 20 columns', () => {
    expect(summarize(echo(8, 56))).toMatchObject({ protocol: 'ICMP', src: '10.0.0.1', dst: '10.0.0.2', icmpType: 8, icmpCode: 0, ttl: 64, info: 'Echo (ping) request  id=0x0001, seq=1/256, ttl=64' });
    expect(summarize(echo(0, 0)).info).toBe('Echo (ping) reply    id=0x0001, seq=1/256, ttl=64');
  });

  it('ICMP errors', () => {
    expect(summarize(unhex(LINUX_UNREACH))).toMatchObject({ protocol: 'ICMP', src: '10.0.0.2', dst: '10.0.0.1', info: 'Destination unreachable (Port unreachable)' });
    const te = ip(IpProto.ICMP, (f) => writeIcmpv4(f, 34, { type: IcmpType.TIME_EXCEEDED, code: 0, payloadLength: 28 }), unhex(LINUX_UNREACH).subarray(42, 70), 8);
    expect(summarize(te).info).toBe('Time-to-live exceeded (Time to live exceeded in transit)');
  });

  it('UDP (a port with no application protocol; DNS on 53 is in app.test.ts)', () => {
    const f = ip(IpProto.UDP, (g) => writeUdp(g, 34, { srcPort: 5000, dstPort: 7000, payloadLength: 12, src: A.ip, dst: B.ip }), new Uint8Array(12), 8);
    expect(summarize(f)).toMatchObject({ protocol: 'UDP', srcPort: 5000, dstPort: 7000, payloadLen: 12, info: '5000 → 7000 Len=12' });
  });

  it('TCP SYN with Linux options, raw sequence numbers', () => {
    expect(summarize(tcp(TcpFlag.SYN, SYN_OPTS))).toMatchObject({
      protocol: 'TCP', srcPort: 42620, dstPort: 5000, tcpFlags: 2, tcpSeq: 123, tcpAck: 0, tcpWindow: 64240, payloadLen: 0, ipProto: 6,
      info: '42620 → 5000 [SYN] Seq=123 Win=64240 Len=0 MSS=1460 SACK_PERM TSval=1 TSecr=0 WS=1024',
    });
    const data = tcp(TcpFlag.PSH | TcpFlag.ACK, linuxOptionLayout({ ts: { val: 5, ecr: 6 }, sackBlocks: [[1, 2]] }), new Uint8Array(3), 124, 1001);
    expect(summarize(data).info).toBe('42620 → 5000 [PSH, ACK] Seq=124 Ack=1001 Win=64240 Len=3 TSval=5 TSecr=6 SLE=1 SRE=2');
  });

  it('the real Linux SYN matches tshark\'s Info column', () => {
    expect(summarize(unhex(LINUX_SYN)).info).toBe('42620 → 5000 [SYN] Seq=765987956 Win=64240 Len=0 MSS=1460 SACK_PERM TSval=1250649215 TSecr=0 WS=1024');
  });

  it('fragments are not decoded past IPv4', () => {
    const f = ip(IpProto.UDP, () => 0, new Uint8Array(16), 0, { flags: Ipv4Flag.MF });
    expect(summarize(f)).toMatchObject({ protocol: 'IPv4', info: 'Fragmented IP protocol (proto=UDP 17, off=0, ID=0001)' });
  });

  it('malformed frames name what and where', () => {
    expect(summarize(new Uint8Array(5))).toMatchObject({ protocol: 'Ethernet', malformed: 'Ethernet header truncated: 5 of 14 bytes at byte 0' });
    const syn = unhex(LINUX_SYN);
    expect(summarize(syn.subarray(0, 60))).toMatchObject({ protocol: 'IPv4', malformed: 'IPv4 total length 60 exceeds the 46 bytes received at byte 16' });
    const bad = tcp(TcpFlag.SYN, new Uint8Array([2, 4, 5, 0xb4, 8, 1, 0, 0]));
    const s = summarize(bad);
    expect(s.protocol).toBe('TCP');
    expect(s.malformed).toBe('TCP option Timestamps length 1 is below 2 at byte 59');
    expect(s.info).toContain('MSS=1460');
  });

  it('non-IPv4 EtherTypes stay at Ethernet', () => {
    const f = new Uint8Array(60);
    writeEthernet(f, 0, { dst: B.mac, src: A.mac, etherType: EtherType.IPV6 });
    expect(summarize(f)).toMatchObject({ protocol: 'Ethernet', src: '02:00:00:00:01:01', info: 'Ethernet II, type IPv6 (0x86dd)' });
  });
});

describe('dissect (the details tree)', () => {
  it('Linux SYN: layers, fields, options and the offload hint', () => {
    const t = dissect(unhex(LINUX_SYN));
    expect(labels(t)).toEqual([
      'Ethernet II, Src: 62:8b:2a:81:28:ac, Dst: 66:1e:ca:06:13:65',
      'Internet Protocol Version 4, Src: 10.0.0.1, Dst: 10.0.0.2',
      'Transmission Control Protocol, Src Port: 42620, Dst Port: 5000, Seq: 765987956, Len: 0',
    ]);
    expect(labels(t[1]!.children!)).toContain('Header Checksum: 0x0fc0 [correct]');
    expect(labels(t[1]!.children!)).toContain('010. .... = Flags: 0x2, Don\'t fragment');
    const tcpKids = t[2]!.children!;
    expect(labels(tcpKids).slice(0, 9)).toEqual([
      'Source Port: 42620',
      'Destination Port: 5000',
      'Sequence Number: 765987956',
      'Acknowledgment Number: 0',
      '1010 .... = Header Length: 40 bytes (10)',
      'Flags: 0x002 (SYN)',
      'Window: 64240',
      'Checksum: 0x1431 [incorrect, should be 0x95de] (maybe caused by "TCP checksum offload"?)',
      'Urgent Pointer: 0',
    ]);
    const opts = find(t, 'Options: (20 bytes)')!;
    expect(opts.label).toBe('Options: (20 bytes), Maximum segment size, SACK permitted, Timestamps, No-Operation (NOP), Window scale');
    expect(opts.range).toEqual([54, 74]);
    expect(labels(opts.children!)).toEqual([
      'TCP Option - Maximum segment size: 1460 bytes',
      'TCP Option - SACK permitted',
      'TCP Option - Timestamps: TSval 1250649215, TSecr 0',
      'TCP Option - No-Operation (NOP)',
      'TCP Option - Window scale: 10 (multiply by 1024)',
    ]);
    expect(find(t, 'Source Port')!.range).toEqual([34, 36]);
    expect(find(t, '.... .... ..1. = Syn: Set')!.range).toEqual([47, 48]);
  });

  it('a correct TCP checksum, payload as Data', () => {
    const t = dissect(tcp(TcpFlag.PSH | TcpFlag.ACK, linuxOptionLayout({ ts: { val: 5, ecr: 6 } }), new TextEncoder().encode('hi!'), 124, 1001));
    expect(find(t, 'Checksum:')!.label).toMatch(/^Checksum: 0x[0-9a-f]{4} \[correct\]$/);
    expect(labels(t).at(-1)).toBe('Data (3 bytes)');
    expect(labels(t.at(-1)!.children!)).toEqual(['Data: 686921', '[Length: 3]']);
    expect(t[2]!.label).toBe('Transmission Control Protocol, Src Port: 42620, Dst Port: 5000, Seq: 124, Ack: 1001, Len: 3');
  });

  it('ARP with Ethernet padding', () => {
    const t = dissect(arp(ArpOp.REQUEST, A.mac, A.ip, 0, B.ip));
    expect(labels(t)).toEqual(['Ethernet II, Src: 02:00:00:00:01:01, Dst: ff:ff:ff:ff:ff:ff', 'Address Resolution Protocol (request)']);
    const pad = find(t, 'Padding:')!;
    expect(pad.range).toEqual([42, 60]);
    expect(find(t, 'Opcode:')!.label).toBe('Opcode: request (1)');
    expect(find(t, 'Target IP address:')!.range).toEqual([38, 42]);
  });

  it('ICMP port unreachable nests the quoted datagram', () => {
    const t = dissect(unhex(LINUX_UNREACH));
    const icmp = t[2]!;
    expect(icmp.label).toBe('Internet Control Message Protocol');
    expect(labels(icmp.children!)).toEqual([
      'Type: 3 (Destination unreachable)',
      'Code: 3 (Port unreachable)',
      'Checksum: 0xeac7 [correct]',
      'Unused: 00000000',
      'Internet Protocol Version 4, Src: 10.0.0.1, Dst: 10.0.0.2',
      'User Datagram Protocol, Src Port: 50474, Dst Port: 6000',
      'Data (16 bytes)',
    ]);
    expect(find(icmp.children!, 'Checksum: 0x142c')!.label).toBe('Checksum: 0x142c [incorrect, should be 0xedca] (maybe caused by "UDP checksum offload"?)');
  });

  it('ICMP echo shows both byte orders of id and seq, and the data', () => {
    const t = dissect(echo(8, 4));
    expect(labels(t[2]!.children!)).toEqual([
      'Type: 8 (Echo (ping) request)',
      'Code: 0',
      expect.stringMatching(/^Checksum: 0x[0-9a-f]{4} \[correct\]$/),
      'Identifier (BE): 1 (0x0001)',
      'Identifier (LE): 256 (0x0100)',
      'Sequence Number (BE): 1 (0x0001)',
      'Sequence Number (LE): 256 (0x0100)',
      'Data (4 bytes)',
    ]);
  });

  it('a wrong IPv4 checksum says what it should be', () => {
    const f = unhex(LINUX_SYN);
    f[22] = 63; // TTL
    expect(find(dissect(f), 'Header Checksum')!.label).toBe('Header Checksum: 0x0fc0 [incorrect, should be 0x10c0]');
  });

  it('truncated and malformed layers end in a Malformed node', () => {
    const syn = unhex(LINUX_SYN);
    expect(labels(dissect(syn.subarray(0, 10)))).toEqual(['[Malformed: Ethernet header truncated: 10 of 14 bytes at byte 0]']);
    expect(labels(dissect(syn.subarray(0, 30))).at(-1)).toBe('[Malformed: IPv4 header truncated: 16 of 20 bytes at byte 14]');
    const g = syn.slice();
    g[46] = 0x30;
    const t = dissect(g);
    expect(labels(t).at(-1)).toBe('[Malformed: TCP header length 12 bytes (data offset 3) is below 20 at byte 46]');
    expect(t.at(-1)!.range).toEqual([46, 74]);
    const bad = dissect(tcp(TcpFlag.SYN, new Uint8Array([2, 4, 5, 0xb4, 8, 1, 0, 0])));
    const opts = find(bad, 'Options:')!;
    expect(labels(opts.children!)).toEqual(['TCP Option - Maximum segment size: 1460 bytes', '[Malformed: TCP option Timestamps length 1 is below 2 at byte 59]']);
  });

  it('every range lies inside the frame', () => {
    const frames = [unhex(LINUX_SYN), unhex(LINUX_UNREACH), echo(0, 100), arp(1, A.mac, A.ip, 0, B.ip), tcp(TcpFlag.ACK, SYN_OPTS, new Uint8Array(30))];
    for (const f of frames) {
      for (const n of allNodes(dissect(f))) {
        expect(n.range![0]).toBeGreaterThanOrEqual(0);
        expect(n.range![1]).toBeLessThanOrEqual(f.length);
        expect(n.range![0]).toBeLessThanOrEqual(n.range![1]);
      }
    }
  });
});
