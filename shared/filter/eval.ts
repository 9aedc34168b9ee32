// Evaluating a display filter on frames, with Wireshark's meaning:
// - a field may occur several times in a frame (ip.addr is the source and the destination; an ICMP
//   error quotes the IP and TCP/UDP headers of the datagram it reports, which tshark dissects as ip,
//   tcp and udp too); ==, <, >, <=, >= and contains hold when some occurrence satisfies them, and
//   != when every occurrence differs (Wireshark 4's all_ne): an absent field satisfies neither;
// - tcp.stream numbers conversations from 0 in order of appearance, a SYN with a new initial
//   sequence number on a known 4-tuple starting a new one (port reuse), and tcp.seq/tcp.ack are
//   relative to the first sequence number of each direction, as tshark shows them by default.
// Frames must be fed in capture order (TcpConversations keeps that state). Pure; see eval.test.ts.
import { sameSubnet } from '../wire/address';
import { readU16, readU32 } from '../wire/bytes';
import { IpProto, parseIpv4Quoted } from '../wire/ipv4';
import { TcpFlag } from '../wire/tcp';
import { APP_NAMES, frameKeys, Has, type FrameKeys } from './keys';
import type { CmpOp, FilterExpr, Value } from './parser';

/** What the trace knows about a frame beyond its bytes. */
export interface FrameContext {
  machine: string;
  nic: string;
  dir: 'tx' | 'rx';
  /** Names of the drops of this frame (DropReason), if any. */
  dropReasons?: readonly string[];
}

/** A frame's fields: each name with its occurrences, in dissection order. */
export type FrameFields = Map<string, (number | string)[]>;

interface HttpDirection {
  /** The header block read so far ('' between messages). */
  head: string;
  /** Body bytes still to come (-1: reading headers). */
  bodyLeft: number;
}

/** A TCP conversation between two endpoints (endpoint()), lo <= hi (equal for a self-connect). */
interface Conversation {
  stream: number;
  lo: number;
  hi: number;
  /** The base of the relative numbers of what each side sends (see observe); NaN until known. */
  loBase: number;
  hiBase: number;
}

/** What observe() returns: one object, rewritten at each call. */
interface Observed {
  stream: number;
  seq: number;
  ack: number;
}

/** An address and port as one number (48 bits: exact in a double). */
const endpoint = (addr: number, port: number): number => (addr >>> 0) * 65536 + port;
const rel = (x: number, base: number): number => (x - base + 2 ** 32) % 2 ** 32;

/**
 * What Wireshark learns from earlier frames, in capture order: tcp.stream and relative sequence
 * numbers, FTP data connections announced on the control connection, and where HTTP messages end.
 */
export class TcpConversations {
  private next = 0;
  /** Conversations by their lower endpoint, then their higher one. */
  private readonly byTuple = new Map<number, Map<number, Conversation>>();
  /** Endpoints (endpoint()) of FTP data connections (PASV/EPSV replies, PORT/EPRT commands). */
  private readonly ftpData = new Set<number>();
  private readonly http = new Map<string, HttpDirection>();
  /** Request methods per conversation not yet answered (a response to HEAD has no body). */
  private readonly httpMethods = new Map<string, string[]>();
  /** The conversation of the last segment observed: a run of one conversation's segments skips the maps. */
  private last: Conversation | undefined;
  private readonly out: Observed = { stream: 0, seq: 0, ack: 0 };

  /** Read an FTP control segment; data connections it announces are FTP-DATA from then on. */
  ftpControl(text: string, src: number): void {
    // Numbers out of range are not an endpoint (and would alias another one in endpoint()).
    const expect = (addr: number, port: number) => void (port >= 0 && port <= 65535 && this.ftpData.add(endpoint(addr, port)));
    const octets = (n: number[]) => n.slice(0, 4).every((o) => o <= 255);
    const quad = (n: number[]) => (n[0]! << 24) | (n[1]! << 16) | (n[2]! << 8) | n[3]!;
    const pasv = /^227 .*?\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)/.exec(text) ?? /^PORT (\d+),(\d+),(\d+),(\d+),(\d+),(\d+)/i.exec(text);
    if (pasv) {
      const n = pasv.slice(1).map(Number);
      if (octets(n) && n[4]! <= 255 && n[5]! <= 255) expect(quad(n), n[4]! * 256 + n[5]!);
    }
    const epsv = /^229 .*?\(\|\|\|(\d+)\|\)/.exec(text);
    if (epsv) expect(src, Number(epsv[1]));
    const eprt = /^EPRT \|1\|(\d+)\.(\d+)\.(\d+)\.(\d+)\|(\d+)\|/i.exec(text);
    if (eprt) {
      const n = eprt.slice(1).map(Number);
      if (octets(n)) expect(quad(n), n[4]!);
    }
  }

  isFtpData(src: number, sport: number, dst: number, dport: number): boolean {
    return this.ftpData.size > 0 && (this.ftpData.has(endpoint(src, sport)) || this.ftpData.has(endpoint(dst, dport)));
  }

  /**
   * Feed an HTTP segment's payload (one direction of one conversation); true when an HTTP message
   * ends in it, which is where Wireshark (reassembling headers and bodies) shows it as HTTP.
   */
  httpSegment(stream: number, fromServer: boolean, payload: Uint8Array): boolean {
    const key = `${stream}:${fromServer ? 's' : 'c'}`;
    let d = this.http.get(key);
    if (!d) this.http.set(key, (d = { head: '', bodyLeft: -1 }));
    const methods = this.httpMethods.get(String(stream)) ?? [];
    this.httpMethods.set(String(stream), methods);
    let ended = false;
    let i = 0;
    while (i < payload.length) {
      if (d.bodyLeft > 0) {
        const take = Math.min(d.bodyLeft, payload.length - i);
        d.bodyLeft -= take;
        i += take;
        if (d.bodyLeft === 0) {
          ended = true;
          d.bodyLeft = -1;
        }
        continue;
      }
      // Reading a header block up to its blank line.
      d.head += String.fromCharCode(payload[i++]!);
      if (!d.head.endsWith('\r\n\r\n')) continue;
      const head = d.head;
      d.head = '';
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      let body = length ? Number(length[1]) : 0;
      if (fromServer) {
        const method = methods.shift();
        const status = Number(/^HTTP\/\d\.\d (\d{3})/.exec(head)?.[1] ?? 0);
        if (method === 'HEAD' || status === 204 || status === 304 || (status >= 100 && status < 200)) body = 0;
      } else {
        methods.push(/^([A-Z]+) /.exec(head)?.[1] ?? '');
      }
      if (body === 0) ended = true;
      else d.bodyLeft = body;
    }
    return ended;
  }

  /**
   * The stream and relative seq/ack of one segment. The object returned is reused: read it before
   * the next call (this runs for every TCP frame the trace writes).
   */
  observe(src: number, sport: number, dst: number, dport: number, flags: number, seq: number, ack: number): Readonly<Observed> {
    const a = endpoint(src, sport);
    const b = endpoint(dst, dport);
    const aIsLo = a < b;
    const lo = aIsLo ? a : b;
    const hi = aIsLo ? b : a;
    let c = this.last?.lo === lo && this.last.hi === hi ? this.last : this.byTuple.get(lo)?.get(hi);
    // Port reuse: a new SYN with another initial sequence number starts a new conversation.
    const pureSyn = (flags & (TcpFlag.SYN | TcpFlag.ACK)) === TcpFlag.SYN;
    const sentBase = c && (aIsLo ? c.loBase : c.hiBase);
    if (!c || (pureSyn && !Number.isNaN(sentBase) && sentBase !== seq)) {
      c = { stream: this.next++, lo, hi, loBase: NaN, hiBase: NaN };
      // Keyed by the lower endpoint, then the higher: numbers, not strings.
      let peers = this.byTuple.get(lo);
      if (!peers) this.byTuple.set(lo, (peers = new Map()));
      peers.set(hi, c);
    }
    this.last = c;
    // Relative numbers (packet-tcp.c): a direction's base is its SYN's sequence number, or one
    // below the first number seen when the capture starts mid-connection (that segment shows 1);
    // an ACK before anything was seen from the peer sets the peer's base the same way.
    let baseA = aIsLo ? c.loBase : c.hiBase;
    if (Number.isNaN(baseA)) {
      baseA = (flags & TcpFlag.SYN) !== 0 ? seq : seq - 1;
      if (aIsLo) c.loBase = baseA;
      else c.hiBase = baseA;
    }
    const hasAck = (flags & TcpFlag.ACK) !== 0;
    // A segment from an endpoint to itself (a self-connect) takes its seq from one side's base and
    // its ack from the other's, as packet-tcp.c does (equal endpoints: fwd = flow2, rev = flow1).
    let baseB = aIsLo ? c.hiBase : c.loBase;
    if (hasAck && Number.isNaN(baseB)) {
      baseB = ack - 1;
      if (aIsLo) c.hiBase = baseB;
      else c.loBase = baseB;
    }
    const out = this.out;
    out.stream = c.stream;
    out.seq = rel(seq, baseA);
    // Without ACK the field is shown as on the wire.
    out.ack = hasAck ? rel(ack, baseB) : ack;
    return out;
  }
}

/** Every field the filter language knows, for one frame. */
export function frameFields(bytes: Uint8Array, ctx: FrameContext, tcp: TcpConversations): FrameFields {
  return keyFields(frameKeys(bytes, tcp), ctx, bytes);
}

/** The fields of a frame's keys (frameKeys); `bytes` are read only for an ICMP error's quoted headers. */
export function keyFields(k: FrameKeys, ctx: FrameContext, bytes: Uint8Array): FrameFields {
  const out: FrameFields = new Map();
  const add = (name: string, v: number | string) => {
    const list = out.get(name);
    if (list) list.push(v);
    else out.set(name, [v]);
  };
  add('frame.len', k.frameLen);
  add('lab.machine', ctx.machine);
  add('lab.nic', ctx.nic);
  add('lab.dir', ctx.dir);
  for (const r of ctx.dropReasons ?? []) add('lab.drop_reason', r);
  if (!(k.has & Has.ETH)) return out;
  add('eth', 1);
  // Wireshark lists eth.addr as the destination, then the source (the header's order).
  add('eth.src', k.ethSrc);
  add('eth.dst', k.ethDst);
  add('eth.addr', k.ethDst);
  add('eth.addr', k.ethSrc);
  add('eth.type', k.ethType);
  if (k.has & Has.ARP) {
    add('arp', 1);
    add('arp.opcode', k.arpOp);
  }
  if (!(k.has & Has.IP)) return out;
  ipFields(k.ipSrc, k.ipDst, k.ipProto, k.ttl, add);
  if (k.has & Has.TCP) {
    add('tcp', 1);
    portFields('tcp', k.srcPort, k.dstPort, add);
    add('tcp.stream', k.stream);
    add('tcp.seq', k.seq);
    add('tcp.ack', k.ack);
    add('tcp.seq_raw', k.seqRaw);
    add('tcp.ack_raw', k.ackRaw);
    add('tcp.len', k.tcpLen);
    add('tcp.window_size_value', k.window);
    for (const [name, bit] of [['syn', TcpFlag.SYN], ['ack', TcpFlag.ACK], ['reset', TcpFlag.RST], ['fin', TcpFlag.FIN], ['push', TcpFlag.PSH]] as const) add(`tcp.flags.${name}`, (k.tcpFlags & bit) !== 0 ? 1 : 0);
  } else if (k.has & Has.UDP) {
    add('udp', 1);
    portFields('udp', k.srcPort, k.dstPort, add);
    add('udp.length', k.udpLength);
  } else if (k.has & Has.ICMP) {
    add('icmp', 1);
    add('icmp.type', k.icmpType);
    add('icmp.code', k.icmpCode);
    if (k.has & Has.QUOTED) quotedFields(bytes, k.quotedAt, k.quotedEnd, add);
  }
  if (k.app !== 0) add(APP_NAMES[k.app]!, 1);
  return out;
}

/** A source/destination pair and the field that matches either (ip.src, ip.dst, ip.addr...), source first. */
function pairFields(add: (n: string, v: number) => void, src: [string, number], dst: [string, number], either: string): void {
  add(src[0], src[1]);
  add(dst[0], dst[1]);
  add(either, src[1]);
  add(either, dst[1]);
}

function ipFields(src: number, dst: number, proto: number, ttl: number, add: (n: string, v: number) => void): void {
  add('ip', 1);
  pairFields(add, ['ip.src', src], ['ip.dst', dst], 'ip.addr');
  add('ip.proto', proto);
  add('ip.ttl', ttl);
}

function portFields(proto: 'tcp' | 'udp', src: number, dst: number, add: (n: string, v: number) => void): void {
  pairFields(add, [`${proto}.srcport`, src], [`${proto}.dstport`, dst], `${proto}.port`);
}

/** The datagram an ICMP error quotes: its IP header and the first 8 bytes of its TCP/UDP header. */
function quotedFields(bytes: Uint8Array, at: number, end: number, add: (n: string, v: number) => void): void {
  const q = parseIpv4Quoted(bytes, at, end);
  if (!q.ok) return;
  const h = q.value;
  ipFields(h.src, h.dst, h.protocol, h.ttl, add);
  const t = h.payloadOffset;
  if (end - t < 8 || h.fragOffset !== 0) return;
  if (h.protocol === IpProto.UDP) {
    add('udp', 1);
    portFields('udp', readU16(bytes, t), readU16(bytes, t + 2), add);
    add('udp.length', readU16(bytes, t + 4));
  } else if (h.protocol === IpProto.TCP) {
    add('tcp', 1);
    portFields('tcp', readU16(bytes, t), readU16(bytes, t + 2), add);
    add('tcp.seq_raw', readU32(bytes, t + 4));
  }
}

/** Whether a frame with these fields passes the filter (null: no filter, everything passes). */
export function matches(expr: FilterExpr | null, fields: FrameFields): boolean {
  if (expr === null) return true;
  switch (expr.kind) {
    case 'and':
      return matches(expr.left, fields) && matches(expr.right, fields);
    case 'or':
      return matches(expr.left, fields) || matches(expr.right, fields);
    case 'not':
      return !matches(expr.expr, fields);
    case 'has':
      return fields.has(expr.field.name);
    case 'cmp': {
      const occ = fields.get(expr.field.name);
      return occ !== undefined && occurrencesMatch(occ, expr.op, expr.value);
    }
  }
}

/** Wireshark's rule for a field's occurrences: `!=` when every one differs (all_ne), any other test when one passes. */
export function occurrencesMatch(occ: readonly (number | string)[], op: CmpOp, value: Value): boolean {
  return op === '!=' ? occ.every((v) => occurrenceMatches(v, op, value)) : occ.some((v) => occurrenceMatches(v, op, value));
}

/** The same rule for a field with one occurrence. */
export function occurrenceMatches(v: number | string, op: CmpOp, value: Value): boolean {
  return op === '!=' ? !compare(v, '==', value) : compare(v, op, value);
}

/** Whether one occurrence `v` satisfies `op value` (== < > <= >= contains; != is all_ne over occurrences, in occurrencesMatch). */
export function compare(v: number | string, op: CmpOp, value: Value): boolean {
  if (value.kind === 'string') {
    const s = String(v);
    if (op === 'contains') return s.includes(value.value);
    return order(s === value.value ? 0 : s < value.value ? -1 : 1, op);
  }
  if (typeof v !== 'number') return false;
  if (isSubnet(op, value)) {
    // A subnet: equal when the address is inside it.
    return sameSubnet(v, value.addr, value.prefix);
  }
  const w = numericOperand(value);
  return order(v === w ? 0 : v < w ? -1 : 1, op);
}

/** Whether `op value` tests membership of a subnet: == or != on an address whose prefix is below 32. */
export function isSubnet(op: CmpOp, value: Value): value is Extract<Value, { kind: 'ipv4' }> {
  return value.kind === 'ipv4' && value.prefix < 32 && (op === '==' || op === '!=');
}

/** A non-string operand as the number an occurrence is compared with (a bool is 0 or 1, an address its 32 bits). */
export function numericOperand(value: Exclude<Value, { kind: 'string' }>): number {
  return value.kind === 'bool' ? (value.value ? 1 : 0) : value.kind === 'ipv4' ? value.addr : value.value;
}

function order(c: number, op: CmpOp): boolean {
  switch (op) {
    case '==':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '>':
      return c > 0;
    case '<=':
      return c <= 0;
    case '>=':
      return c >= 0;
    default:
      return false;
  }
}
