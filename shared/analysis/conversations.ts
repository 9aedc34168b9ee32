// Conversations and endpoints (Wireshark's Statistics -> Conversations / Endpoints, the same tables
// `tshark -z conv,TYPE` and `-z endpoints,TYPE` print): per pair of addresses (Ethernet, IPv4) or of
// address:port (TCP, UDP) the frames and bytes each way, when it started and how long it lasted.
// Side A is the source of the conversation's first frame, as in Wireshark; TCP conversations are
// told apart by tcp.stream (a reused 4-tuple is a new conversation); bytes are frame lengths.
import { formatIpv4, formatMac } from '../wire/address';
import type { Decoded } from './decode';

export type ConvKind = 'eth' | 'ip' | 'tcp' | 'udp';
export const CONV_KINDS: readonly ConvKind[] = ['eth', 'ip', 'tcp', 'udp'];

export interface Conversation {
  a: string;
  b: string;
  portA?: number;
  portB?: number;
  /** TCP: the stream (tcp.stream). */
  stream?: number;
  framesAtoB: number;
  bytesAtoB: number;
  framesBtoA: number;
  bytesBtoA: number;
  /** Earliest and latest frame times (ns, the trace's clock; a merged capture may go back in time). */
  startNs: number;
  endNs: number;
}

export interface Endpoint {
  address: string;
  port?: number;
  txFrames: number;
  txBytes: number;
  rxFrames: number;
  rxBytes: number;
}

interface Side {
  addr: string;
  port?: number;
}

export class TrafficTables {
  private readonly conv = new Map<ConvKind, Map<string, Conversation>>(CONV_KINDS.map((k) => [k, new Map()]));
  private readonly ends = new Map<ConvKind, Map<string, Endpoint>>(CONV_KINDS.map((k) => [k, new Map()]));
  /** Time of the first frame fed (Wireshark's "Rel Start" counts from it, even when later frames are earlier). */
  firstNs: number | undefined;

  add(timeNs: number, length: number, d: Decoded | null): void {
    if (!d) return;
    this.firstNs ??= timeNs;
    this.count('eth', { addr: formatMac(d.ethSrc) }, { addr: formatMac(d.ethDst) }, timeNs, length);
    if (!d.ip) return;
    const src = formatIpv4(d.ip.src);
    const dst = formatIpv4(d.ip.dst);
    this.count('ip', { addr: src }, { addr: dst }, timeNs, length);
    if (d.tcp) this.count('tcp', { addr: src, port: d.tcp.srcPort }, { addr: dst, port: d.tcp.dstPort }, timeNs, length, d.tcp.stream);
    if (d.udp) this.count('udp', { addr: src, port: d.udp.srcPort }, { addr: dst, port: d.udp.dstPort }, timeNs, length);
  }

  /** Conversations of a kind, in order of their first frame. */
  conversations(kind: ConvKind): Conversation[] {
    return [...this.conv.get(kind)!.values()].map((c) => ({ ...c }));
  }

  /** Endpoints of a kind, in order of their first frame. */
  endpoints(kind: ConvKind): Endpoint[] {
    return [...this.ends.get(kind)!.values()].map((e) => ({ ...e }));
  }

  private count(kind: ConvKind, src: Side, dst: Side, timeNs: number, length: number, stream?: number): void {
    const s = key(src);
    const d = key(dst);
    const k = stream !== undefined ? `#${stream}` : s < d ? `${s}|${d}` : `${d}|${s}`;
    const table = this.conv.get(kind)!;
    let c = table.get(k);
    if (!c) {
      c = { a: src.addr, b: dst.addr, framesAtoB: 0, bytesAtoB: 0, framesBtoA: 0, bytesBtoA: 0, startNs: timeNs, endNs: timeNs };
      if (src.port !== undefined) c.portA = src.port;
      if (dst.port !== undefined) c.portB = dst.port;
      if (stream !== undefined) c.stream = stream;
      table.set(k, c);
    }
    if (c.a === src.addr && c.portA === src.port) {
      c.framesAtoB++;
      c.bytesAtoB += length;
    } else {
      c.framesBtoA++;
      c.bytesBtoA += length;
    }
    if (timeNs < c.startNs) c.startNs = timeNs;
    if (timeNs > c.endNs) c.endNs = timeNs;
    const ends = this.ends.get(kind)!;
    const tx = endpoint(ends, src);
    tx.txFrames++;
    tx.txBytes += length;
    const rx = endpoint(ends, dst);
    rx.rxFrames++;
    rx.rxBytes += length;
  }
}

const key = (s: Side) => (s.port === undefined ? s.addr : `${s.addr}:${s.port}`);

function endpoint(ends: Map<string, Endpoint>, s: Side): Endpoint {
  const k = key(s);
  let e = ends.get(k);
  if (!e) {
    e = { address: s.addr, txFrames: 0, txBytes: 0, rxFrames: 0, rxBytes: 0 };
    if (s.port !== undefined) e.port = s.port;
    ends.set(k, e);
  }
  return e;
}
