// Reader for linux-truth's *.summary.txt (scripts/tcpsum.py: tshark fields + tcpdump options, one
// line per packet). It gives an independent decoding of each pcap (tshark's stream numbers and
// relative seq/ack) to check the normalizer against, and a readable way to write expectations.
//
//  0.000021 s 0 10.0.0.2:5000 > 10.0.0.1:42620 [S.] seq 0 ack 1 len 0 win 65160 (raw seq 1134273625 ack 765987957) [mss 1460,...]
//  0.000000     10.0.0.1:50474 > 10.0.0.2:6000 UDP len 24
//  0.000037     ICMP type 3 code 3 :: 10.0.0.2 > 10.0.0.1: ICMP 10.0.0.2 udp port 6000 unreachable, length 52
import type { Endpoint, OptionKind } from './types';

export interface SummaryTcp {
  kind: 'tcp';
  t: number;
  /** tshark tcp.stream. */
  stream: number;
  src: Endpoint;
  dst: Endpoint;
  /** tcpsum.py's flag string (S F P R U E W order, then '.'): compare with flags.ts sameFlags(). */
  flags: string;
  relSeq: number;
  relAck: number | null;
  len: number;
  win: number;
  rawSeq: number;
  rawAck: number;
  options: OptionKind[];
  mss?: number;
  wscale?: number;
}

export interface SummaryUdp {
  kind: 'udp';
  t: number;
  src: Endpoint;
  dst: Endpoint;
  /** The UDP length field (header included). */
  udpLength: number;
}

export interface SummaryIcmp {
  kind: 'icmp';
  t: number;
  type: number;
  code: number;
  src: string;
  dst: string;
}

export type SummaryLine = SummaryTcp | SummaryUdp | SummaryIcmp;

function endpoint(s: string): Endpoint {
  const at = s.lastIndexOf(':');
  return { ip: s.slice(0, at), port: Number(s.slice(at + 1)) };
}

/** tcpdump's option text "mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 10" -> kinds and values. */
export function parseOptionText(text: string): { options: OptionKind[]; mss?: number; wscale?: number } {
  const out: { options: OptionKind[]; mss?: number; wscale?: number } = { options: [] };
  if (text.trim() === '') return out;
  for (const part of text.split(',')) {
    const [name, value] = part.trim().split(/\s+/);
    const kind = (name === 'sack' ? 'sack' : name) as OptionKind;
    out.options.push(kind);
    if (name === 'mss' && value !== undefined) out.mss = Number(value);
    if (name === 'wscale' && value !== undefined) out.wscale = Number(value);
  }
  return out;
}

const TCP_RE =
  /^\s*([\d.]+) s\s*(\d+) (\S+) > (\S+) \[([^\]]+)\] seq (\d+)(?: ack (\d+))? len (\d+) win (\d+) \(raw seq (\d+) ack (\d+)\)\s*(?:\[([^\]]*)\])?\s*$/;
const UDP_RE = /^\s*([\d.]+)\s+(\S+) > (\S+) UDP len (\d+)\s*$/;
const ICMP_RE = /^\s*([\d.]+)\s+ICMP type (\d+) code (\d+) :: (\S+) > ([\d.]+):/;

export function parseSummaryLine(line: string): SummaryLine | null {
  let m = TCP_RE.exec(line);
  if (m) {
    const opts = parseOptionText(m[12] ?? '');
    const out: SummaryTcp = {
      kind: 'tcp', t: Number(m[1]), stream: Number(m[2]), src: endpoint(m[3]!), dst: endpoint(m[4]!),
      flags: m[5]!, relSeq: Number(m[6]), relAck: m[7] === undefined ? null : Number(m[7]), len: Number(m[8]),
      win: Number(m[9]), rawSeq: Number(m[10]), rawAck: Number(m[11]), options: opts.options,
    };
    if (opts.mss !== undefined) out.mss = opts.mss;
    if (opts.wscale !== undefined) out.wscale = opts.wscale;
    return out;
  }
  m = UDP_RE.exec(line);
  if (m) return { kind: 'udp', t: Number(m[1]), src: endpoint(m[2]!), dst: endpoint(m[3]!), udpLength: Number(m[4]) };
  m = ICMP_RE.exec(line);
  if (m) return { kind: 'icmp', t: Number(m[1]), type: Number(m[2]), code: Number(m[3]), src: m[4]!, dst: m[5]! };
  return null;
}

export interface ParsedSummary {
  lines: SummaryLine[];
  /** Lines that were neither blank nor understood. */
  unparsed: string[];
}

export function parseSummary(text: string): ParsedSummary {
  const out: ParsedSummary = { lines: [], unparsed: [] };
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const p = parseSummaryLine(line);
    if (p) out.lines.push(p);
    else out.unparsed.push(line);
  }
  return out;
}

/** Packets per tshark stream, in stream order. */
export function summaryStreamCounts(s: ParsedSummary): number[] {
  const counts: number[] = [];
  for (const l of s.lines) if (l.kind === 'tcp') counts[l.stream] = (counts[l.stream] ?? 0) + 1;
  return Array.from(counts, (c) => c ?? 0);
}
