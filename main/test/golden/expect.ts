// What a comparison expects: a normalized trace (from a linux-truth pcap) or a hand-written list in
// which only the fields given are compared. A NormalizedTrace is an ExpectedTrace.
import { parseOptionText } from './summary';
import type { Datagram, Dir, Endpoint, IcmpQuoteInfo, NormalizedTrace, OptionKind, SeqBase } from './types';

export interface ExpectedSegment {
  dir: Dir;
  flags: string;
  /** Seconds in the expected trace's time base (see CompareOptions.timing). */
  t?: number;
  relSeq?: number;
  relAck?: number | null;
  rawSeq?: number;
  seqBase?: SeqBase;
  len?: number;
  win?: number;
  options?: OptionKind[];
  mss?: number;
  wscale?: number;
  sackBlocks?: number;
}

export interface ExpectedConnection {
  label?: string;
  client?: Endpoint;
  server?: Endpoint;
  /** Time of the client's first SYN (for matching by SYN order). */
  synAt?: number;
  segments: ExpectedSegment[];
}

/** A datagram's comparable fields; the client's (ephemeral) port is not among them. */
export interface ExpectedDatagram {
  kind: 'udp' | 'icmp';
  dir: Dir;
  t?: number;
  /** UDP: the port on the server side (destination of C>S, source of S>C). */
  serverPort?: number;
  len?: number;
  tos?: number;
  df?: boolean;
  type?: number;
  code?: number;
  quote?: { proto?: number; serverPort?: number; ipTotalLength?: number; quotedBytes?: number };
}

export interface ExpectedTrace {
  connections: ExpectedConnection[];
  datagrams?: ExpectedDatagram[];
}

/** The comparable view of a captured datagram. */
export function datagramView(d: Datagram): ExpectedDatagram {
  const out: ExpectedDatagram = { kind: d.kind, dir: d.dir, t: d.t, len: d.len, tos: d.tos, df: d.df };
  if (d.kind === 'udp') out.serverPort = d.dir === 'C>S' ? d.dstPort : d.srcPort;
  else {
    out.type = d.type;
    out.code = d.code;
    if (d.quote) out.quote = quoteView(d.quote);
  }
  return out;
}

function quoteView(q: IcmpQuoteInfo): NonNullable<ExpectedDatagram['quote']> {
  // The quoted datagram was sent by the ICMP's destination: its server-side port is its dstPort.
  const out: NonNullable<ExpectedDatagram['quote']> = { proto: q.proto, ipTotalLength: q.ipTotalLength, quotedBytes: q.quotedBytes };
  if (q.dstPort !== undefined) out.serverPort = q.dstPort;
  return out;
}

/** A normalized trace as an expectation (datagrams in their comparable view). */
export function expectTrace(t: NormalizedTrace): ExpectedTrace {
  return { connections: t.connections, datagrams: t.datagrams.map(datagramView) };
}

/**
 * One hand-written segment in a tcpdump-like line (fields may be left out):
 *   "C>S S 0 win 64240 <mss 1460,sackOK,TS,nop,wscale 10> @0"
 *   "S>C S. 0 ack 1 win 65160"   "C>S P. 1:20 ack 1"   "S>C R. raw 0 ack 1 win 0 <none>"   "S>C R. 1 ack 28 @0.3"
 * Order: dir flags [seq | seq:end | raw N] [ack N] [len N] [win N] [<options>] [@t].
 * "seq:end" also gives len; "raw N" gives rawSeq with a 'first' base (no ISN on that side).
 */
export function seg(spec: string): ExpectedSegment {
  const m = /^\s*(C>S|S>C)\s+(\S+)(.*)$/.exec(spec);
  if (!m) throw new Error(`segment spec "${spec}": expected "C>S|S>C FLAGS ..."`);
  const out: ExpectedSegment = { dir: m[1] as Dir, flags: m[2]! };
  let rest = m[3]!;
  const opt = /<([^>]*)>/.exec(rest);
  if (opt) {
    const o = parseOptionText(opt[1] === 'none' ? '' : opt[1]!);
    out.options = o.options;
    if (o.mss !== undefined) out.mss = o.mss;
    if (o.wscale !== undefined) out.wscale = o.wscale;
    rest = rest.replace(opt[0], ' ');
  }
  const tok = rest.trim() === '' ? [] : rest.trim().split(/\s+/);
  for (let i = 0; i < tok.length; i++) {
    const w = tok[i]!;
    const next = (): number => {
      const v = Number(tok[++i]);
      if (!Number.isFinite(v)) throw new Error(`segment spec "${spec}": "${w}" needs a number`);
      return v;
    };
    if (w === 'ack') out.relAck = next();
    else if (w === 'len') out.len = next();
    else if (w === 'win') out.win = next();
    else if (w === 'raw') {
      out.rawSeq = next();
      out.seqBase = 'first';
    } else if (w.startsWith('@')) out.t = Number(w.slice(1));
    else if (/^\d+:\d+$/.test(w)) {
      const [a, b] = w.split(':').map(Number) as [number, number];
      out.relSeq = a;
      out.len = b - a;
    } else if (/^\d+$/.test(w)) out.relSeq = Number(w);
    else throw new Error(`segment spec "${spec}": unexpected "${w}"`);
  }
  return out;
}

/** A hand-written connection: seg() lines. */
export function conn(lines: readonly string[], label?: string): ExpectedConnection {
  const c: ExpectedConnection = { segments: lines.map(seg) };
  if (label !== undefined) c.label = label;
  return c;
}

