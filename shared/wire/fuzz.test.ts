// Property: no input makes a parser, dissect() or summarize() throw (DESIGN.md section 8.1), and
// every node range of the details tree lies inside the frame. Seeded, so failures reproduce.
import { describe, expect, it } from 'vitest';
import { BROADCAST_MAC } from './address';
import { parseArp, writeArp } from './arp';
import { dnsQuery, dnsResponse, DnsType, parseDns, walkDns, writeDns } from './dns';
import { dissect, summarize, type DissectNode } from './dissect';
import { EtherType, ethFrameLength, parseEthernet, writeEthernet } from './ethernet';
import { parseIcmpQuote, parseIcmpv4, writeIcmpEcho, writeIcmpv4 } from './icmpv4';
import { IpProto, Ipv4Flag, parseIpv4Header, parseIpv4Quoted, writeIpv4 } from './ipv4';
import { parseTcp, TcpFlag, tcpHeaderLength, writeTcp } from './tcp';
import { linuxOptionLayout, parseTcpOptions, parseTcpOptionValues, type TcpOption } from './tcp-options';
import { parseUdp, writeUdp } from './udp';
import { seededRandom as rng } from '../testing/random';


const unhex = (s: string): Uint8Array => new Uint8Array(s.match(/../g)!.map((x) => parseInt(x, 16)));
const A = { mac: 0x0200_0000_0101, ip: 0x0a00_0001 };
const B = { mac: 0x0200_0000_0201, ip: 0x0a00_0002 };

function ipFrame(proto: number, l4len: number, payloadLen: number, l4: (f: Uint8Array) => void, extra: { flags?: number; options?: Uint8Array } = {}): Uint8Array {
  const ihl = extra.options ? 20 + ((extra.options.length + 3) & ~3) : 20;
  const f = new Uint8Array(ethFrameLength(14 + ihl + l4len + payloadLen));
  for (let i = 14 + ihl + l4len; i < 14 + ihl + l4len + payloadLen; i++) f[i] = i & 255;
  l4(f.subarray(14 + ihl));
  writeIpv4(f, 14, { id: 9, protocol: proto, src: A.ip, dst: B.ip, payloadLength: l4len + payloadLen, ...extra });
  writeEthernet(f, 0, { dst: B.mac, src: A.mac, etherType: EtherType.IPV4 });
  return f;
}

function tcpFrame(options: TcpOption[] | Uint8Array, payloadLen: number): Uint8Array {
  const hl = tcpHeaderLength(options);
  return ipFrame(IpProto.TCP, hl, payloadLen, (s) => writeTcp(s, 0, { srcPort: 1, dstPort: 2, seq: 3, ack: 4, flags: TcpFlag.ACK | TcpFlag.PSH, window: 5, options, payloadLength: payloadLen, src: A.ip, dst: B.ip }));
}

const text = (s: string): Uint8Array => new Uint8Array(Array.from(s, (c) => c.charCodeAt(0)));

/** A frame whose transport payload is `payload` (to reach the application-layer dissectors). */
function payloadFrame(proto: number, srcPort: number, dstPort: number, payload: Uint8Array): Uint8Array {
  const l4len = proto === IpProto.TCP ? 20 : 8;
  return ipFrame(proto, l4len, payload.length, (s) => {
    s.set(payload, l4len);
    const common = { srcPort, dstPort, payloadLength: payload.length, src: A.ip, dst: B.ip };
    if (proto === IpProto.TCP) writeTcp(s, 0, { ...common, seq: 1, ack: 1, flags: TcpFlag.ACK | TcpFlag.PSH, window: 502, options: [] });
    else writeUdp(s, 0, common);
  });
}

function validFrames(): Uint8Array[] {
  const arp = new Uint8Array(60);
  writeEthernet(arp, 0, { dst: BROADCAST_MAC, src: A.mac, etherType: EtherType.ARP });
  writeArp(arp, 14, { op: 1, sha: A.mac, spa: A.ip, tha: 0, tpa: B.ip });
  const udp = ipFrame(IpProto.UDP, 8, 12, (s) => writeUdp(s, 0, { srcPort: 5000, dstPort: 7000, payloadLength: 12, src: A.ip, dst: B.ip }));
  const unreachQuote = udp.subarray(14, 14 + 40);
  const query = dnsQuery(0x1a2b, 'server.lab', DnsType.A);
  const response = dnsResponse(query, {
    answers: [{ name: 'server.lab', type: DnsType.CNAME, class: 1, ttl: 60, data: 'www.lab' }, { name: 'www.lab', type: DnsType.A, class: 1, ttl: 60, data: B.ip }],
    authority: [{ name: 'lab', type: DnsType.NS, class: 1, ttl: 60, data: 'ns.lab' }],
  });
  return [
    arp,
    udp,
    payloadFrame(IpProto.UDP, 40000, 53, writeDns(query)),
    payloadFrame(IpProto.UDP, 53, 40000, writeDns(response)),
    payloadFrame(IpProto.TCP, 40001, 21, text('USER student\r\nPASS secret\r\n')),
    payloadFrame(IpProto.TCP, 25, 40002, text('250-server\r\n250 HELP\r\n')),
    payloadFrame(IpProto.TCP, 80, 40003, text('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>hi</p>\n')),
    payloadFrame(IpProto.TCP, 40004, 22, new Uint8Array([...text('SSH-2.0-x\r\n'), 0, 0, 0, 12, 10, 20, ...new Array<number>(11).fill(0)])),
    payloadFrame(IpProto.TCP, 23, 40005, new Uint8Array([255, 251, 1, 255, 250, 24, 0, 1, 255, 240, ...text('login: ')])),
    payloadFrame(IpProto.TCP, 20, 40006, text('-rw-r--r-- 1 root root 5 a.txt\r\n')),
    ipFrame(IpProto.ICMP, 8, 56, (s) => writeIcmpEcho(s, 0, { type: 8, id: 1, seq: 1, payloadLength: 56 })),
    ipFrame(IpProto.ICMP, 8, 40, (s) => {
      s.set(unreachQuote, 8);
      writeIcmpv4(s, 0, { type: 3, code: 3, payloadLength: 40 });
    }),
    ipFrame(IpProto.ICMP, 8, 28, (s) => {
      s.set(unreachQuote.subarray(0, 28), 8);
      writeIcmpv4(s, 0, { type: 11, code: 0, payloadLength: 28 });
    }),
    tcpFrame(linuxOptionLayout({ mss: 1460, sackPerm: true, ts: { val: 1, ecr: 0 }, wscale: 10 }), 0),
    tcpFrame(linuxOptionLayout({ ts: { val: 1, ecr: 2 }, sackBlocks: [[1, 2], [3, 4], [5, 6]] }), 100),
    tcpFrame([{ kind: 'unknown', type: 30, data: new Uint8Array(6) }, { kind: 'eol' }], 3),
    ipFrame(IpProto.UDP, 8, 4, (s) => writeUdp(s, 0, { srcPort: 1, dstPort: 2, payloadLength: 4, src: A.ip, dst: B.ip }), { options: new Uint8Array([0x94, 4, 0, 0, 1, 7, 7, 4]) }),
    ipFrame(IpProto.UDP, 8, 100, () => undefined, { flags: Ipv4Flag.MF }),
    ipFrame(47, 0, 30, () => undefined),
    // Real kernel frames: the SYN and the ICMP port unreachable (linux-truth a.pcap #1, c.pcap #2).
    unhex('661eca061365628b2a8128ac08004500003c16fa400040060fc00a0000010a000002a67c13882da80c7400000000a002faf014310000020405b40402080a4a8b647f000000000103030a'),
    unhex('628b2a8128ac661eca061365080045c00048ab8800004001ba6a0a0000020a0000010303eac7000000004500002cf9f2400040112ccc0a0000010a000002c52a17700018142c70696e672d756e636f6e6e6563746564'),
  ];
}

function checkRanges(nodes: DissectNode[], len: number): void {
  for (const n of nodes) {
    if (!n.range || n.range[0] < 0 || n.range[1] > len || n.range[0] > n.range[1] || typeof n.label !== 'string') {
      throw new Error(`bad node ${JSON.stringify(n.label)} ${JSON.stringify(n.range)} in a ${len}-byte frame`);
    }
    if (n.children) checkRanges(n.children, len);
  }
}

/** Everything that takes untrusted bytes, at the usual offsets and at a few odd ones. */
function exercise(b: Uint8Array, r: () => number): void {
  const s = summarize(b);
  if (typeof s.protocol !== 'string' || typeof s.info !== 'string' || typeof s.src !== 'string') throw new Error('bad summary');
  checkRanges(dissect(b), b.length);
  const len = b.length;
  const offsets = [0, 14, 34, 42, 54, Math.floor(r() * (len + 6)) - 3];
  const pseudo = { src: A.ip, dst: B.ip };
  for (const off of offsets) {
    const end = r() < 0.5 ? len : Math.floor(r() * (len + 6)) - 3;
    parseEthernet(b, off, end);
    parseArp(b, off, end);
    parseIpv4Header(b, off, end);
    parseIpv4Quoted(b, off, end);
    parseIcmpv4(b, off, end);
    parseIcmpQuote(b, off, end);
    parseUdp(b, off, end, pseudo);
    parseUdp(b, off, end);
    parseTcp(b, off, end, pseudo);
    parseTcpOptions(b, off, end);
    parseTcpOptionValues(b, off, end);
    parseDns(b, off, end);
    walkDns(b, off, end);
  }
}

describe('never throws on untrusted bytes', () => {
  it('20,000 random byte arrays, lengths 0..200', () => {
    const r = rng(0x5eed);
    for (let n = 0; n < 20_000; n++) {
      const b = new Uint8Array(Math.floor(r() * 201));
      for (let i = 0; i < b.length; i++) b[i] = Math.floor(r() * 256);
      // Half of them get a plausible Ethernet/IPv4 start so that the deeper layers are reached.
      if (n % 2 === 0 && b.length >= 34) {
        b[12] = 0x08;
        b[13] = n % 4 === 0 ? 0x00 : 0x06;
        b[14] = 0x45;
        b[23] = [1, 6, 17][n % 3]!;
        // Every 8th: consistent IPv4/UDP lengths, no fragment and a well-known port, so that random
        // payloads reach the application-layer dissectors (DNS, FTP, SSH, ...).
        if (b.length >= 42 && n % 8 === 0) {
          b[16] = (b.length - 14) >>> 8;
          b[17] = (b.length - 14) & 255;
          b[20] = 0x40;
          b[21] = 0;
          b[36] = 0;
          b[37] = [53, 20, 21, 22, 23, 25, 80][Math.floor(r() * 7)]!;
          b[38] = (b.length - 34) >>> 8;
          b[39] = (b.length - 34) & 255;
          b[46] = 0x50; // TCP: a 20-byte header, so that payload remains
        }
      }
      exercise(b, r);
    }
    expect(true).toBe(true);
  });

  it('every truncation of valid frames, with and without a matching IP total length', () => {
    const r = rng(7);
    let count = 0;
    for (const f of validFrames()) {
      expect(summarize(f).malformed).toBeUndefined();
      for (let cut = 0; cut <= f.length; cut++) {
        const t = f.slice(0, cut);
        exercise(t, r);
        if (cut >= 34 && f[12] === 0x08 && f[13] === 0x00) {
          // Shrink the IP total length to the cut so the transport parsers see the damage.
          t[16] = (cut - 14) >>> 8;
          t[17] = (cut - 14) & 255;
          exercise(t, r);
        }
        count++;
      }
    }
    expect(count).toBeGreaterThan(800);
  });

  it('5,000 mutations of valid frames (1-4 random bytes changed)', () => {
    const r = rng(42);
    const frames = validFrames();
    for (let n = 0; n < 5_000; n++) {
      const f = frames[n % frames.length]!.slice();
      const k = 1 + Math.floor(r() * 4);
      for (let j = 0; j < k; j++) f[Math.floor(r() * f.length)] = Math.floor(r() * 256);
      exercise(f, r);
    }
    expect(true).toBe(true);
  });
});
