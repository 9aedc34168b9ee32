// The parsers against captures from a real Linux kernel (../shared/linux-truth: two network
// namespaces over a veth pair, tcpdump on the client side). Every frame must parse, every checksum
// must verify, and the fields must match the tcpdump text and the per-packet summaries beside them.
//
// Checksum offload: Linux hands TCP and UDP segments to the veth with CHECKSUM_PARTIAL, so frames
// captured on their way out carry only the folded pseudo-header sum (e.g. 0x1431 in the first SYN);
// Wireshark flags them "maybe caused by checksum offload". We accept a failing TCP/UDP checksum only
// when it is exactly that seed (isOffloadPartialChecksum), and count the cases below. IPv4 header
// and ICMP checksums are always complete and must verify; so must the TCP checksums the kernel
// computes itself (RSTs from tcp_v4_send_reset) and those of packets from raw sockets.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatIpv4 } from './address';
import { isOffloadPartialChecksum } from './checksum';
import { dissect, summarize, type DissectNode } from './dissect';
import { EtherType, parseEthernet } from './ethernet';
import { parseIcmpQuote, parseIcmpv4 } from './icmpv4';
import { IpProto, Ipv4Flag, parseIpv4Header, type Ipv4Header } from './ipv4';
import { parseTcp, TcpFlag, type TcpHeader } from './tcp';
import { parseTcpOptions } from './tcp-options';
import { parseUdp } from './udp';

const TRUTH = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/linux-truth');

interface Record {
  /** Timestamp as tcpdump prints it: seconds.micro (or nano). */
  ts: string;
  bytes: Uint8Array;
}

/** Classic pcap (not pcapng): 24-byte global header, then 16-byte record headers + data. */
function readPcap(file: string): { linkType: number; records: Record[] } {
  const b = readFileSync(file);
  const magic = b.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!le && b.readUInt32BE(0) !== 0xa1b2c3d4 && b.readUInt32BE(0) !== 0xa1b23c4d) throw new Error(`${file}: not a classic pcap`);
  const nano = (le ? magic : b.readUInt32BE(0)) === 0xa1b23c4d;
  const u32 = (o: number): number => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const linkType = u32(20) & 0x0fff_ffff;
  const records: Record[] = [];
  for (let off = 24; off + 16 <= b.length; ) {
    const sec = u32(off);
    const frac = u32(off + 4);
    const incl = u32(off + 8);
    const orig = u32(off + 12);
    if (incl !== orig) throw new Error(`${file}: frame cut at snaplen`);
    records.push({ ts: `${sec}.${String(frac).padStart(nano ? 9 : 6, '0')}`, bytes: new Uint8Array(b.subarray(off + 16, off + 16 + incl)) });
    off += 16 + incl;
  }
  return { linkType, records };
}

function pcaps(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...pcaps(join(dir, e.name)));
    else if (e.name.endsWith('.pcap')) out.push(join(dir, e.name));
  }
  return out.sort();
}

/** tcpdump's flag letters: F S R P U E W, then '.' for ACK. */
function tcpdumpFlags(f: number): string {
  let s = '';
  if (f & TcpFlag.FIN) s += 'F';
  if (f & TcpFlag.SYN) s += 'S';
  if (f & TcpFlag.RST) s += 'R';
  if (f & TcpFlag.PSH) s += 'P';
  if (f & TcpFlag.URG) s += 'U';
  if (f & TcpFlag.ECE) s += 'E';
  if (f & TcpFlag.CWR) s += 'W';
  if (f & TcpFlag.ACK) s += '.';
  return s || 'none';
}

/** tcpdump's option list: "mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 10". */
function tcpdumpOptions(bytes: Uint8Array, t: TcpHeader): string {
  const p = parseTcpOptions(bytes, t.optionsOffset, t.payloadOffset);
  if (!p.ok) throw new Error(p.error);
  return p.value
    .map((o) => {
      switch (o.kind) {
        case 'mss': return `mss ${o.mss}`;
        case 'sackPerm': return 'sackOK';
        case 'timestamp': return `TS val ${o.tsVal} ecr ${o.tsEcr}`;
        case 'nop': return 'nop';
        case 'eol': return 'eol';
        case 'wscale': return `wscale ${o.shift}`;
        case 'sack': return `sack ${o.blocks.length} ${o.blocks.map(([l, r]) => `{${l}:${r}}`).join('')}`;
        case 'unknown': return `unknown-${o.type}`;
      }
    })
    .join(',');
}

function tcpdumpIpFlags(ip: Ipv4Header): string {
  const f: string[] = [];
  if (ip.flags & Ipv4Flag.MF) f.push('+');
  if (ip.flags & Ipv4Flag.DF) f.push('DF');
  return f.length ? f.join('') : 'none';
}

interface Decoded {
  ip: Ipv4Header;
  tcp?: TcpHeader;
  udp?: { srcPort: number; dstPort: number; length: number; payloadLength: number };
  icmp?: { type: number; code: number; payloadLength: number };
  quote?: Ipv4Header;
}

interface Tally {
  full: number;
  offload: number;
  /** Frame numbers (1-based) whose TCP/UDP checksum is complete. */
  fullFrames: number[];
}

/** Parse one frame all the way down, asserting every check; returns what the text comparisons need. */
function decode(bytes: Uint8Array, where: string, tally: Tally): Decoded {
  const eth = parseEthernet(bytes, 0);
  if (!eth.ok) throw new Error(`${where}: ${eth.error}`);
  expect(eth.value.etherType, where).toBe(EtherType.IPV4);
  const ipr = parseIpv4Header(bytes, eth.value.payloadOffset);
  if (!ipr.ok) throw new Error(`${where}: ${ipr.error}`);
  const ip = ipr.value;
  expect(ip.checksumOk, `${where}: IPv4 header checksum`).toBe(true);
  const off = ip.payloadOffset;
  const end = off + ip.payloadLength;
  const transportChecksum = (ok: boolean | null, stored: number, proto: number, length: number, what: string): void => {
    if (ok) {
      tally.full++;
      tally.fullFrames.push(Number(where.split(' frame ')[1]));
    }
    else {
      // Not complete: it must be Linux's CHECKSUM_PARTIAL seed, nothing else.
      expect(isOffloadPartialChecksum(stored, ip.src, ip.dst, proto, length), `${where}: ${what} checksum 0x${stored.toString(16)} is neither valid nor an offload seed`).toBe(true);
      tally.offload++;
    }
  };
  if (ip.protocol === IpProto.TCP) {
    const t = parseTcp(bytes, off, end, ip);
    if (!t.ok) throw new Error(`${where}: ${t.error}`);
    transportChecksum(t.value.checksumOk, t.value.checksum, IpProto.TCP, ip.payloadLength, 'TCP');
    return { ip, tcp: t.value };
  }
  if (ip.protocol === IpProto.UDP) {
    const u = parseUdp(bytes, off, end, ip);
    if (!u.ok) throw new Error(`${where}: ${u.error}`);
    transportChecksum(u.value.checksumOk, u.value.checksum, IpProto.UDP, u.value.length, 'UDP');
    return { ip, udp: u.value };
  }
  expect(ip.protocol, where).toBe(IpProto.ICMP);
  const m = parseIcmpv4(bytes, off, end);
  if (!m.ok) throw new Error(`${where}: ${m.error}`);
  expect(m.value.checksumOk, `${where}: ICMP checksum`).toBe(true);
  const q = parseIcmpQuote(bytes, off, end);
  if (!q.ok) throw new Error(`${where}: ${q.error}`);
  expect(q.value.ip.checksumOk, `${where}: quoted IPv4 header checksum`).toBe(true);
  return { ip, icmp: m.value, quote: q.value.ip };
}

function malformedNodes(nodes: DissectNode[]): string[] {
  const out: string[] = [];
  for (const n of nodes) {
    if (n.label.startsWith('[Malformed')) out.push(n.label);
    if (n.children) out.push(...malformedNodes(n.children));
  }
  return out;
}

/** tcpdump text split into records: a line starting with a timestamp, plus its continuation lines. */
function tcpdumpRecords(file: string): string[][] {
  const recs: string[][] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (/^\d+\.\d+ /.test(line)) recs.push([line]);
    else if (line.trim() && recs.length) recs.at(-1)!.push(line);
  }
  return recs;
}

const files = existsSync(TRUTH) ? pcaps(TRUTH) : [];
if (files.length === 0) console.log(`linux-truth captures not found at ${TRUTH}: golden tests against the real kernel are skipped`);

describe.skipIf(files.length === 0)('real Linux captures (linux-truth)', () => {

  it.each(files.map((f) => [f.slice(TRUTH.length + 1), f]))('%s: every frame parses, checksums verify, fields match the text', (_name, file) => {
    const { linkType, records } = readPcap(file);
    // All captures here are Ethernet (DLT_EN10MB = 1); a cooked capture (SLL 113 / SLL2 276) would
    // need its pseudo-header turned into an Ethernet header first, which no file here needs.
    expect(linkType).toBe(1);
    expect(records.length).toBeGreaterThan(0);
    const tally: Tally = { full: 0, offload: 0, fullFrames: [] };
    const decoded = records.map((r, i) => {
      const where = `${file} frame ${i + 1}`;
      const d = decode(r.bytes, where, tally);
      expect(malformedNodes(dissect(r.bytes)), where).toEqual([]);
      const s = summarize(r.bytes);
      expect(s.malformed, where).toBeUndefined();
      expect(s.src).toBe(formatIpv4(d.ip.src));
      return d;
    });

    // The per-packet summary beside each pcap: one line per frame, raw seq/ack, tcpdump flags and options.
    const summary = readFileSync(file.replace(/\.pcap$/, '.summary.txt'), 'utf8').split('\n').filter((l) => l.trim());
    expect(summary.length).toBe(records.length);
    summary.forEach((line, i) => {
      const d = decoded[i]!;
      const where = `${file} frame ${i + 1}: ${line}`;
      const tcpLine = /(\S+):(\d+) > (\S+):(\d+) \[([^\]]+)\] .*len (\d+) win (\d+) \(raw seq (\d+) ack (\d+)\) ?(?:\[(.*)\])?$/.exec(line);
      if (tcpLine) {
        const t = d.tcp!;
        expect(t, where).toBeDefined();
        expect([formatIpv4(d.ip.src), t.srcPort, formatIpv4(d.ip.dst), t.dstPort], where).toEqual([tcpLine[1], Number(tcpLine[2]), tcpLine[3], Number(tcpLine[4])]);
        expect(tcpdumpFlags(t.flags), where).toBe(tcpLine[5]);
        expect([t.payloadLength, t.window, t.seq, t.ack], where).toEqual([Number(tcpLine[6]), Number(tcpLine[7]), Number(tcpLine[8]), Number(tcpLine[9])]);
        expect(tcpdumpOptions(records[i]!.bytes, t), where).toBe(tcpLine[10] ?? '');
        return;
      }
      const udpLine = /(\S+):(\d+) > (\S+):(\d+) UDP len (\d+)$/.exec(line);
      if (udpLine) {
        const u = d.udp!;
        expect([formatIpv4(d.ip.src), u.srcPort, formatIpv4(d.ip.dst), u.dstPort, u.length], where).toEqual([udpLine[1], Number(udpLine[2]), udpLine[3], Number(udpLine[4]), Number(udpLine[5])]);
        return;
      }
      const icmpLine = /ICMP type (\d+) code (\d+) :: (\S+) > (\S+):/.exec(line);
      expect(icmpLine, where).not.toBeNull();
      expect([d.icmp!.type, d.icmp!.code, formatIpv4(d.ip.src), formatIpv4(d.ip.dst)], where).toEqual([Number(icmpLine![1]), Number(icmpLine![2]), icmpLine![3], icmpLine![4]]);
    });

    // tcpdump's own text, where there is one: timestamps, flags, windows, options, lengths, and in
    // verbose mode (c_udp_icmp) the IP header fields of the packet and of the quoted datagram.
    const txt = file.replace(/\.pcap$/, '.tcpdump.txt');
    if (!existsSync(txt)) return;
    const recs = tcpdumpRecords(txt);
    expect(recs.length).toBe(records.length);
    recs.forEach((rec, i) => {
      const d = decoded[i]!;
      const where = `${txt} record ${i + 1}`;
      const [first, ...rest] = rec;
      expect(first!.split(' ')[0], where).toBe(records[i]!.ts);
      const verbose = /^\S+ IP \(tos (0x[0-9a-f]+), ttl (\d+), id (\d+), offset (\d+), flags \[([^\]]+)\], proto \w+ \((\d+)\), length (\d+)\)$/.exec(first!);
      if (verbose) {
        const ip = d.ip;
        expect(['0x' + ip.tos.toString(16), ip.ttl, ip.id, ip.fragOffset * 8, tcpdumpIpFlags(ip), ip.protocol, ip.totalLength], where).toEqual([
          verbose[1], Number(verbose[2]), Number(verbose[3]), Number(verbose[4]), verbose[5], Number(verbose[6]), Number(verbose[7]),
        ]);
      }
      const body = verbose ? rest[0]!.trim() : first!.replace(/^\S+ IP /, '');
      if (d.tcp) {
        const t = d.tcp;
        const m = /^(\S+)\.(\d+) > (\S+)\.(\d+): Flags \[([^\]]+)\],.* win (\d+), (?:options \[(.*)\], )?length (\d+)/.exec(body);
        expect(m, `${where}: ${body}`).not.toBeNull();
        expect([t.srcPort, t.dstPort, tcpdumpFlags(t.flags), t.window, tcpdumpOptions(records[i]!.bytes, t), t.payloadLength], where).toEqual([
          Number(m![2]), Number(m![4]), m![5], Number(m![6]), m![7] ?? '', Number(m![8]),
        ]);
        // tcpdump prints absolute numbers on a SYN and on segments it cannot relate (raw sockets).
        const seq = /, seq (\d+)/.exec(body);
        if (t.flags & TcpFlag.SYN) expect(t.seq, where).toBe(Number(seq![1]));
      } else if (d.udp) {
        const m = /^(\S+)\.(\d+) > (\S+)\.(\d+): UDP, length (\d+)$/.exec(body);
        expect(m, `${where}: ${body}`).not.toBeNull();
        expect([d.udp.srcPort, d.udp.dstPort, d.udp.payloadLength], where).toEqual([Number(m![2]), Number(m![4]), Number(m![5])]);
      } else {
        const m = /^(\S+) > (\S+): ICMP \S+ udp port (\d+) unreachable, length (\d+)$/.exec(body);
        expect(m, `${where}: ${body}`).not.toBeNull();
        expect(d.icmp!.payloadLength + 8, where).toBe(Number(m![4]));
        // The quoted datagram: tcpdump prints its IP header on the next line.
        const q = /IP \(tos (0x[0-9a-f]+), ttl (\d+), id (\d+), offset (\d+), flags \[([^\]]+)\], proto \w+ \((\d+)\), length (\d+)\)/.exec(rest[1]!);
        const ip = d.quote!;
        expect(['0x' + ip.tos.toString(16), ip.ttl, ip.id, ip.fragOffset * 8, tcpdumpIpFlags(ip), ip.protocol, ip.totalLength], where).toEqual([
          q![1], Number(q![2]), Number(q![3]), Number(q![4]), q![5], Number(q![6]), Number(q![7]),
        ]);
      }
    });
  });

  it('offload accounting: which frames carry complete TCP/UDP checksums', () => {
    // Complete: segments the kernel builds outside the socket's transmit path (ip_send_unicast_reply:
    // RSTs from tcp_v4_send_reset, TIME_WAIT ACKs from tcp_v4_send_ack) and raw-socket packets
    // (b_rst/raw_ack frames 1, 3, 5, 7, 9). Everything else carries the CHECKSUM_PARTIAL seed.
    const full: { [file: string]: number[] } = {};
    let offload = 0;
    for (const file of files) {
      const tally: Tally = { full: 0, offload: 0, fullFrames: [] };
      readPcap(file).records.forEach((r, i) => decode(r.bytes, `${file} frame ${i + 1}`, tally));
      if (tally.fullFrames.length) full[file.slice(TRUTH.length + 1)] = tally.fullFrames;
      offload += tally.offload;
    }
    expect(full).toEqual({
      'a_handshake_close/a.pcap': [18], // final ACK from TIME_WAIT
      'b_rst/closed_port.pcap': [2], // RST,ACK for a closed port
      'b_rst/data_after_close.pcap': [7], // RST for data after close
      'b_rst/raw_ack.pcap': [1, 2, 3, 4, 5, 6, 7, 8, 9], // raw-socket probes and the RSTs they draw
      'd_backlog/d1_stagger/d.pcap': [24, 26],
      'd_backlog/d2_burst/d.pcap': [17, 19],
      'd_backlog/d4_first_then_burst/d.pcap': [23, 25],
      'e_fork/e_close.pcap': [9], // final ACK from TIME_WAIT
    });
    expect(offload).toBe(237);
  });

  it('tshark agrees on the Info column (values from tshark 4.0, raw sequence numbers)', () => {
    const a = readPcap(join(TRUTH, 'a_handshake_close/a.pcap')).records;
    expect(summarize(a[0]!.bytes).info).toBe('42620 → 5000 [SYN] Seq=765987956 Win=64240 Len=0 MSS=1460 SACK_PERM TSval=1250649215 TSecr=0 WS=1024');
    expect(summarize(a[1]!.bytes).info).toBe('5000 → 42620 [SYN, ACK] Seq=1134273625 Ack=765987957 Win=65160 Len=0 MSS=1460 SACK_PERM TSval=2896348312 TSecr=1250649215 WS=1024');
    const raw = readPcap(join(TRUTH, 'b_rst/raw_ack.pcap')).records;
    expect(raw.map((r) => summarize(r.bytes).info)).toEqual([
      '40001 → 5001 [ACK] Seq=1000 Ack=5555 Win=64240 Len=0',
      '5001 → 40001 [RST] Seq=5555 Win=0 Len=0',
      '40002 → 5001 [PSH, ACK] Seq=1000 Ack=5555 Win=64240 Len=5',
      '5001 → 40002 [RST] Seq=5555 Win=0 Len=0',
      '40003 → 5001 [FIN] Seq=2000 Win=64240 Len=0',
      '5001 → 40003 [RST, ACK] Seq=0 Ack=2001 Win=0 Len=0',
      '40004 → 5005 [ACK] Seq=3000 Ack=7777 Win=64240 Len=0',
      '5005 → 40004 [RST] Seq=7777 Win=0 Len=0',
      '40005 → 5005 [RST] Seq=3000 Win=64240 Len=0',
    ]);
    const c = readPcap(join(TRUTH, 'c_udp_icmp/c.pcap')).records;
    expect(summarize(c[0]!.bytes)).toMatchObject({ protocol: 'UDP', src: '10.0.0.1', dst: '10.0.0.2', info: '50474 → 6000 Len=16' });
    expect(summarize(c[1]!.bytes)).toMatchObject({ protocol: 'ICMP', src: '10.0.0.2', dst: '10.0.0.1', info: 'Destination unreachable (Port unreachable)' });
  });
});
