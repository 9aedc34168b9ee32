// Frames at one capture point -> per-connection TCP segment lists + UDP/ICMP datagrams.
//
// Connections are keyed by 4-tuple. A SYN (without ACK) from a side whose ISN is known but differs
// starts a NEW connection on the same 4-tuple (reuse after TIME_WAIT, README row 34); a SYN with the
// same seq is a retransmission. Relative seq/ack follow Wireshark (and so tcpsum.py's summary files):
// a side's base is its SYN's seq; without a SYN, the peer's first ACK minus 1 ('peer-ack'), else its
// own first seq minus 1 ('first'). See SeqBase in types.ts.
import type { FrameEvent } from '../../../shared/trace';
import { TcpFlag } from '../../../shared/wire';
import { decodeFrame, type Decoded, type DecodedTcp } from './decode';
import { tcpdumpFlags } from './flags';
import { framesFromCapture, framesFromEvents, type CapturePoint, type CaptureSelect } from './frames';
import type { Datagram, Dir, Endpoint, GoldenFrame, NormalizedTrace, SeqBase, TcpConnection, TcpSegment } from './types';

export interface NormalizeOptions {
  /**
   * The client's IP. TCP: the side with this IP is the client (default: the sender of the first
   * SYN, else of the first packet). Datagrams: C>S means "from this IP" (default: the sender of
   * the first UDP datagram).
   */
  clientIp?: string;
  /**
   * t = 0: 'first-packet' (the first IPv4 TCP/UDP/ICMP frame: linux-truth pcaps hold nothing else,
   * while our traces start with ARP), 'first-frame', or an absolute time in ns.
   */
  origin?: 'first-packet' | 'first-frame' | number;
}

interface Side {
  ep: Endpoint;
  base?: number;
  baseKind?: SeqBase;
}

interface ConnState {
  conn: TcpConnection;
  client: Side;
  server: Side;
  /** An RST was seen, or FINs both ways. */
  closed: boolean;
  finFromClient: boolean;
  finFromServer: boolean;
}

const epKey = (ip: string, port: number): string => `${ip}:${port}`;
const tupleKey = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`);

function chooseClient(p: DecodedTcp, clientIp?: string): boolean {
  // true: the sender of p is the client.
  if (clientIp !== undefined && (p.src === clientIp) !== (p.dst === clientIp)) return p.src === clientIp;
  const syn = (p.flags & TcpFlag.SYN) !== 0;
  const ack = (p.flags & TcpFlag.ACK) !== 0;
  if (syn && ack) return false;
  return true;
}

function newConn(p: DecodedTcp, index: number, clientIp?: string): ConnState {
  const senderIsClient = chooseClient(p, clientIp);
  const s: Endpoint = { ip: p.src, port: p.srcPort };
  const d: Endpoint = { ip: p.dst, port: p.dstPort };
  const client = senderIsClient ? s : d;
  const server = senderIsClient ? d : s;
  return {
    conn: { index, client, server, sawSyn: false, segments: [] },
    client: { ep: client },
    server: { ep: server },
    closed: false,
    finFromClient: false,
    finFromServer: false,
  };
}

/** Does this SYN open a new connection on a 4-tuple that already has one? */
function startsNewConnection(st: ConnState, p: DecodedTcp): boolean {
  if ((p.flags & (TcpFlag.SYN | TcpFlag.ACK)) !== TcpFlag.SYN) return false;
  const sender = p.src === st.client.ep.ip && p.srcPort === st.client.ep.port ? st.client : st.server;
  if (sender.baseKind === 'isn') return sender.base !== p.seq;
  return st.closed;
}

function segment(st: ConnState, p: DecodedTcp, i: number, t: number): TcpSegment {
  const fromClient = p.src === st.client.ep.ip && p.srcPort === st.client.ep.port;
  const me = fromClient ? st.client : st.server;
  const peer = fromClient ? st.server : st.client;
  const syn = (p.flags & TcpFlag.SYN) !== 0;
  const ack = (p.flags & TcpFlag.ACK) !== 0;
  if (syn && me.baseKind !== 'isn') {
    me.base = p.seq;
    me.baseKind = 'isn';
  } else if (me.base === undefined) {
    me.base = (p.seq - 1) >>> 0;
    me.baseKind = 'first';
  }
  if (ack && peer.base === undefined) {
    peer.base = (p.ack - 1) >>> 0;
    peer.baseKind = 'peer-ack';
  }
  const seg: TcpSegment = {
    i, t,
    dir: fromClient ? 'C>S' : 'S>C',
    flags: tcpdumpFlags(p.flags),
    relSeq: (p.seq - me.base!) >>> 0,
    relAck: ack ? (p.ack - peer.base!) >>> 0 : null,
    rawSeq: p.seq,
    rawAck: p.ack,
    seqBase: me.baseKind!,
    len: p.len,
    win: p.win,
    options: p.options,
  };
  if (p.mss !== undefined) seg.mss = p.mss;
  if (p.wscale !== undefined) seg.wscale = p.wscale;
  if (p.sackBlocks !== undefined) seg.sackBlocks = p.sackBlocks;
  if (p.tsVal !== undefined) seg.tsVal = p.tsVal;
  if (p.tsEcr !== undefined) seg.tsEcr = p.tsEcr;
  if (syn && !ack && fromClient && !st.conn.sawSyn) {
    st.conn.sawSyn = true;
    st.conn.synAt = t;
  }
  if (p.flags & TcpFlag.RST) st.closed = true;
  if (p.flags & TcpFlag.FIN) {
    if (fromClient) st.finFromClient = true;
    else st.finFromServer = true;
    if (st.finFromClient && st.finFromServer) st.closed = true;
  }
  return seg;
}

function originOf(frames: readonly GoldenFrame[], decoded: ReadonlyArray<Decoded | null>, origin: NormalizeOptions['origin']): number {
  if (typeof origin === 'number') return origin;
  if (origin === 'first-frame') return frames[0]?.tNs ?? 0;
  const at = decoded.findIndex((d) => d !== null);
  return at >= 0 ? frames[at]!.tNs : (frames[0]?.tNs ?? 0);
}

function datagramClient(decoded: ReadonlyArray<Decoded | null>, clientIp?: string): string | undefined {
  if (clientIp !== undefined) return clientIp;
  const udp = decoded.find((d) => d?.kind === 'udp');
  if (udp) return udp.src;
  return decoded.find((d) => d !== null && d.kind !== 'tcp')?.src;
}

function datagram(d: Exclude<Decoded, DecodedTcp>, i: number, t: number, dir: Dir): Datagram {
  const base = { i, t, dir, src: d.src, dst: d.dst, tos: d.tos, df: d.df };
  if (d.kind === 'udp') return { ...base, kind: 'udp', srcPort: d.srcPort, dstPort: d.dstPort, len: d.len };
  const m: Datagram = { ...base, kind: 'icmp', type: d.type, code: d.code, len: d.len };
  if (d.quote) m.quote = d.quote;
  return m;
}

/** Normalize frames (already filtered to one capture point, in time order). */
export function normalizeFrames(frames: readonly GoldenFrame[], opts: NormalizeOptions = {}): NormalizedTrace {
  const decoded = frames.map((f) => decodeFrame(f.bytes, f.linkType));
  const originNs = originOf(frames, decoded, opts.origin ?? 'first-packet');
  const dgClient = datagramClient(decoded, opts.clientIp);
  const trace: NormalizedTrace = { originNs, connections: [], datagrams: [], skipped: 0 };
  if (dgClient !== undefined) trace.clientIp = dgClient;
  const current = new Map<string, ConnState>();
  let i = 0;
  decoded.forEach((d, n) => {
    if (d === null) {
      trace.skipped++;
      return;
    }
    const t = (frames[n]!.tNs - originNs) / 1e9;
    const idx = i++;
    if (d.kind !== 'tcp') {
      trace.datagrams.push(datagram(d, idx, t, d.src === dgClient ? 'C>S' : 'S>C'));
      return;
    }
    const key = tupleKey(epKey(d.src, d.srcPort), epKey(d.dst, d.dstPort));
    let st = current.get(key);
    if (!st || startsNewConnection(st, d)) {
      st = newConn(d, trace.connections.length, opts.clientIp);
      current.set(key, st);
      trace.connections.push(st.conn);
    }
    st.conn.segments.push(segment(st, d, idx, t));
  });
  return trace;
}

/** A capture file (pcap or pcapng; one interface of it with `select`) -> normalized trace. */
export function normalizeCapture(bytes: Uint8Array, opts: NormalizeOptions & CaptureSelect = {}): NormalizedTrace {
  const { ifIndex, ifName, ...rest } = opts;
  const sel: CaptureSelect = {};
  if (ifIndex !== undefined) sel.ifIndex = ifIndex;
  if (ifName !== undefined) sel.ifName = ifName;
  const r = framesFromCapture(bytes, sel);
  if (r.damage !== undefined && r.frames.length === 0) throw new Error(`capture unreadable: ${r.damage}`);
  return normalizeFrames(r.frames, rest);
}

/** Our FrameEvents at one capture point -> normalized trace. */
export function normalizeEvents(events: Iterable<FrameEvent>, point: CapturePoint, opts: NormalizeOptions = {}): NormalizedTrace {
  return normalizeFrames(framesFromEvents(events, point), opts);
}
