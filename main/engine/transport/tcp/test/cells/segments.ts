// The packet-script vocabulary: the two endpoints, segments in tcpdump notation, the frame the
// scripted peer puts into the machine's NIC (shared/wire writers) and the parse of what the machine
// sent (shared/wire parsers). No simulation here: see core.ts.
import {
  EtherType,
  IpProto,
  linuxOptionLayout,
  parseIpv4,
  parseIpv4Header,
  parseTcp,
  parseTcpOptions,
  parseTcpOptionValues,
  TcpFlag,
  tcpHeaderLength,
  writeEthernet,
  writeIpv4,
  writeTcp,
  type LinuxOptionRequest,
  type TcpOptionValues,
} from '../../../../../../shared/wire';
import { MS } from '../../../../sim';

/** The machine under test and the scripted peer. */
export const ME = parseIpv4('10.0.0.2')!;
export const PEER = parseIpv4('10.0.0.1')!;
/** The port the machine listens on (passive open) or connects to (active open). */
export const SERVICE_PORT = 5000;
/** The scripted peer's port for passive opens. */
export const PEER_PORT = 40000;
/** The peer's ISN and TS clock (arbitrary; relative numbers hide them). */
export const PEER_ISN = 1_000_000;
export const PEER_TS_BASE = 7_000_000;
/** Window scale the peer offers (a Linux peer with a 6 MiB tcp_rmem[2]). */
export const PEER_WSCALE = 7;
/** What the builders wait before the peer answers (the handshake's RTT sample). */
export const RTT = MS;

/** tcpdump's notation: S, S., ., P., F., FP., R, R., SF. */
export function tcpdumpFlags(f: number): string {
  let s = '';
  if (f & TcpFlag.SYN) s += 'S';
  if (f & TcpFlag.FIN) s += 'F';
  if (f & TcpFlag.PSH) s += 'P';
  if (f & TcpFlag.RST) s += 'R';
  if (f & TcpFlag.URG) s += 'U';
  if (f & TcpFlag.ACK) s += '.';
  return s || 'none';
}

export function parseFlags(s: string): number {
  const bits: Record<string, number> = { S: TcpFlag.SYN, F: TcpFlag.FIN, P: TcpFlag.PSH, R: TcpFlag.RST, U: TcpFlag.URG, '.': TcpFlag.ACK };
  let f = 0;
  for (const c of s) {
    const b = bits[c];
    if (b === undefined) throw new Error(`flag '${c}' in '${s}' is not tcpdump notation (S F P R U .)`);
    f |= b;
  }
  return f;
}

/** What the peer sends. Omitted seq/ack continue the conversation (the peer's next seq, an ACK of all the machine sent). */
export interface PeerSegment {
  flags: string;
  /** Relative to the peer's ISN. */
  seq?: number;
  /** Relative to the machine's ISN. */
  ack?: number;
  rawSeq?: number;
  rawAck?: number;
  /** The window field as sent (default: 64240 in a SYN, else 64240 >> the peer's window scale). */
  win?: number;
  /** Payload: bytes, text, or a length of 'x'. */
  data?: number | string | Uint8Array;
  /** Options, in Linux's layout. Default: a Linux SYN's (mss, sackOK, TS, nop, wscale) in a SYN, TS afterwards if agreed. */
  opts?: LinuxOptionRequest | 'none';
  /** The peer's TS value when the default options carry a timestamp. */
  tsVal?: number;
  /** The peer's port (default: the current connection's). */
  port?: number;
}

/** A segment the machine sent, with numbers relative to the connection it belongs to. */
export interface SentSegment {
  t: number;
  sport: number;
  dport: number;
  flags: string;
  seq: number;
  ack: number;
  rawSeq: number;
  rawAck: number;
  win: number;
  len: number;
  opts: string[];
  tsVal?: number;
  tsEcr?: number;
  data: Uint8Array;
}

/** What expectSent() checks. Unset fields are not checked, except len (default 0). */
export interface Expected {
  flags: string;
  seq?: number;
  ack?: number;
  rawSeq?: number;
  rawAck?: number;
  win?: number;
  len?: number;
  opts?: string[];
  /** The peer port it goes to. */
  port?: number;
}

/** The effect of one delivered segment: named drops, changed counters, the delivery sentence. */
export interface Delivery {
  drops: string[];
  counters: Record<string, number>;
  summary: string;
}

export function render(s: SentSegment): string {
  const opts = s.opts.length ? ` <${s.opts.join(',')}>` : '';
  return `t=${(s.t / MS).toFixed(3)}ms ${s.sport} > ${s.dport} [${s.flags}] seq ${s.seq} ack ${s.ack} win ${s.win} len ${s.len}${opts}`;
}

export function renderExpected(e: Expected): string {
  const parts = [`[${e.flags}]`];
  if (e.seq !== undefined) parts.push(`seq ${e.seq}`);
  if (e.rawSeq !== undefined) parts.push(`seq ${e.rawSeq} (raw)`);
  if (e.ack !== undefined) parts.push(`ack ${e.ack}`);
  if (e.rawAck !== undefined) parts.push(`ack ${e.rawAck} (raw)`);
  if (e.win !== undefined) parts.push(`win ${e.win}`);
  parts.push(`len ${e.len ?? 0}`);
  if (e.opts) parts.push(`<${e.opts.join(',')}>`);
  return parts.join(' ');
}

export function payload(d: PeerSegment['data']): Uint8Array {
  if (typeof d === 'number') return new Uint8Array(d).fill(0x78);
  if (typeof d === 'string') return Uint8Array.from(d, (ch) => ch.charCodeAt(0));
  return d ?? new Uint8Array(0);
}

/** An Ethernet/IPv4/TCP frame from the peer to the machine (padded to 60 bytes). */
export function peerFrame(
  mac: { src: number; dst: number },
  t: { sport: number; dport: number; seq: number; ack: number; flags: number; win: number; opts?: LinuxOptionRequest; data: Uint8Array },
): Uint8Array {
  const options = t.opts ? linuxOptionLayout(t.opts) : undefined;
  const tcpLen = tcpHeaderLength(options) + t.data.length;
  const frame = new Uint8Array(Math.max(60, 34 + tcpLen));
  frame.set(t.data, 34 + tcpHeaderLength(options));
  writeTcp(frame, 34, { srcPort: t.sport, dstPort: t.dport, seq: t.seq, ack: t.ack, flags: t.flags, window: t.win, options, payloadLength: t.data.length, src: PEER, dst: ME });
  writeIpv4(frame, 14, { id: 1, protocol: IpProto.TCP, src: PEER, dst: ME, payloadLength: tcpLen });
  writeEthernet(frame, 0, { dst: mac.dst, src: mac.src, etherType: EtherType.IPV4 });
  return frame;
}

/** The TCP segment in an Ethernet frame the machine sent, or null for anything else (ARP, ICMP...). */
export function parseSent(bytes: Uint8Array): { sport: number; dport: number; seq: number; ack: number; flags: number; win: number; opts: string[]; vals: TcpOptionValues; data: Uint8Array } | null {
  if (bytes.length < 34 || ((bytes[12]! << 8) | bytes[13]!) !== EtherType.IPV4) return null;
  const ip = parseIpv4Header(bytes, 14);
  if (!ip.ok || ip.value.protocol !== IpProto.TCP) return null;
  const t = parseTcp(bytes, ip.value.payloadOffset, ip.value.payloadOffset + ip.value.payloadLength);
  if (!t.ok) throw new Error(`the machine sent a malformed TCP header: ${t.error}`);
  const h = t.value;
  const kinds = parseTcpOptions(bytes, h.optionsOffset, h.payloadOffset);
  return {
    sport: h.srcPort,
    dport: h.dstPort,
    seq: h.seq,
    ack: h.ack,
    flags: h.flags,
    win: h.window,
    opts: kinds.ok ? kinds.value.map((o) => o.kind) : ['malformed'],
    vals: parseTcpOptionValues(bytes, h.optionsOffset, h.payloadOffset),
    data: bytes.slice(h.payloadOffset, h.payloadOffset + h.payloadLength),
  };
}
