// ICMP (RFC 792, RFC 1122 section 3.2.2; Linux net/ipv4/icmp.c): echo replies, delivery of echo
// replies and errors to ping sockets, and sending errors with Linux's rules (never about an ICMP
// error, a broadcast, or a non-first fragment; quote up to 576 bytes; TOS precedence 0xc0).
import { IPV4_BROADCAST, ICMP_HEADER_LEN, IcmpType, icmpErrorQuoteLength, isIcmpError, parseIcmpQuote, parseIcmpv4, writeIcmpv4, IpProto, parseIpv4Header, readU16 } from '../../../shared/wire';
import type { Delivery, SocketOwner } from '../../../shared/api/kernel-view';
import { IP_OFF, IP_PAYLOAD_OFF, type IpPacket, type NetStack } from './stack';

/** An ICMP error about a datagram we sent, for the transport that sent it (udp_err, tcp_v4_err). */
export interface IcmpErrorReport {
  type: number;
  code: number;
  /** The reporter (the ICMP message's source). */
  from: number;
  /** From the quoted datagram: our address/port and the peer's. */
  localAddr: number;
  localPort: number;
  peerAddr: number;
  peerPort: number;
  /** Quoted TCP sequence number, when present. */
  tcpSeq?: number;
  frameId: number;
}

/** Linux icmp_global_allow: 1000 per second, burst 50 (net.ipv4.icmp_msgs_per_sec/_burst). */
const GLOBAL_RATE_PER_SEC = 1000;
const GLOBAL_BURST = 50;
/** XRLIM_BURST_FACTOR: a peer may have 6 rate-limited messages in hand. */
const XRLIM_BURST_FACTOR = 6;

/** A receiver of ICMP messages for one echo identifier (a ping socket). */
export interface EchoReceiver {
  readonly inode: number;
  /** The ICMP message (header + data) from `addr`, with the IP TTL it arrived with. */
  receive(msg: Uint8Array, addr: number, ttl: number): void;
}

export class Icmp {
  /** Ping sockets by echo identifier (Linux ping_table keyed by ident = "port"). */
  readonly echoReceivers = new Map<number, EchoReceiver>();
  /** Transport error handlers by IP protocol (inet_protos[]->err_handler). */
  readonly errorHandlers = new Map<number, (r: IcmpErrorReport) => void>();
  /** Per-peer token buckets (inet_peer rate_tokens/rate_last), in ns. */
  private readonly peerTokens = new Map<number, { tokens: number; last: number }>();
  private global = { credit: GLOBAL_BURST, stamp: 0 };

  constructor(
    private readonly stack: NetStack,
    private readonly drop: (reason: 'ICMP_INVALID' | 'ICMP_CSUM' | 'NO_SOCKET', frameId: number, text: string) => void,
    private readonly settings: {
      now(): number;
      ratelimitMs(): number;
      ratemask(): number;
      echoIgnoreAll(): boolean;
      /** How a received ICMP message was handled (a 'deliver' trace event). */
      delivered(d: Omit<Delivery, 'machine' | 'atNs'>): void;
      owners(inode: number): SocketOwner[];
    },
  ) {
    stack.protocols.set(IpProto.ICMP, (p) => this.receive(p));
  }

  /**
   * icmpv4_xrlim_allow + icmp_global_allow: may an error of `type` go to `dst` now? Types in
   * icmp_ratemask (3, 4, 11, 12 by default) are limited per peer: a token per icmp_ratelimit ms,
   * at most 6 in hand; all of them also by the global 1000/s budget.
   */
  private allowed(type: number, dst: number): boolean {
    const now = this.settings.now();
    const g = this.global;
    const incr = Math.floor(((now - g.stamp) * GLOBAL_RATE_PER_SEC) / 1e9);
    if (incr > 0) {
      g.credit = Math.min(GLOBAL_BURST, g.credit + incr);
      g.stamp = now;
    }
    if (g.credit <= 0) return false;
    if (((this.settings.ratemask() >>> type) & 1) === 1) {
      const timeout = this.settings.ratelimitMs() * 1e6;
      const p = this.peerTokens.get(dst) ?? { tokens: XRLIM_BURST_FACTOR * timeout, last: now };
      let token = Math.min(p.tokens + (now - p.last), XRLIM_BURST_FACTOR * timeout);
      p.last = now;
      const ok = token >= timeout;
      if (ok) token -= timeout;
      p.tokens = token;
      this.peerTokens.set(dst, p);
      if (!ok) return false;
    }
    g.credit--;
    return true;
  }

  private receive(p: IpPacket): void {
    const { frame, ip } = p;
    const end = ip.payloadOffset + ip.payloadLength;
    const r = parseIcmpv4(frame, ip.payloadOffset, end);
    this.stack.bump('IcmpInMsgs');
    if (!r.ok) return this.drop('ICMP_INVALID', p.frameId, r.error);
    if (!r.value.checksumOk) {
      this.stack.bump('IcmpInCsumErrors');
      return this.drop('ICMP_CSUM', p.frameId, `ICMP checksum 0x${r.value.checksum.toString(16)} is wrong`);
    }
    const { type, id } = r.value;
    const report = (d: Omit<Delivery, 'machine' | 'atNs' | 'frameId' | 'protocol'>) => this.settings.delivered({ frameId: p.frameId, protocol: 'icmp', ...d });
    if (type === IcmpType.ECHO_REQUEST) {
      this.stack.bump('IcmpInEchos');
      if (ip.dst === IPV4_BROADCAST || this.settings.echoIgnoreAll()) {
        report({ steps: [], summary: 'echo request ignored (broadcast, or icmp_echo_ignore_all)' });
        return; // icmp_echo_ignore_broadcasts = 1
      }
      this.echoReply(p, r.value.rest);
      report({ steps: [], reply: 'ICMP echo reply', summary: 'echo request: the kernel itself answers with an echo reply (no process involved)' });
    } else if (type === IcmpType.ECHO_REPLY) {
      this.stack.bump('IcmpInEchoReps');
      const rx = this.echoReceivers.get(id);
      const steps = [{ table: 'ping' as const, key: `echo identifier ${id}`, hit: !!rx }];
      if (!rx) {
        this.drop('NO_SOCKET', p.frameId, `echo reply id ${id}: no ping socket with that identifier`);
        report({ steps, drop: { reason: 'NO_SOCKET', text: `no ping socket with identifier ${id}` }, summary: `echo reply for identifier ${id}: no ping socket, dropped` });
        return;
      }
      rx.receive(frame.slice(ip.payloadOffset, end), ip.src, ip.ttl);
      const socket = { inode: rx.inode, kind: 'socket' as const, local: `0.0.0.0:${id}`, peer: '*:*', state: 'UNCONN' as const, owners: this.settings.owners(rx.inode) };
      report({ steps, socket, queue: 'receive queue', summary: `echo reply queued on the ping socket with identifier ${id}` });
    } else if (isIcmpError(type)) {
      this.stack.bump(type === IcmpType.DEST_UNREACH ? 'IcmpInDestUnreachs' : 'IcmpInTimeExcds');
      const q = parseIcmpQuote(frame, ip.payloadOffset, end);
      if (!q.ok) return this.drop('ICMP_INVALID', p.frameId, q.error);
      const inner = q.value.ip;
      // An error about an echo request of ours goes to the ping socket that sent it (ping_err).
      if (inner.protocol === IpProto.ICMP && inner.payloadLength >= 8 && frame[inner.payloadOffset] === IcmpType.ECHO_REQUEST) {
        const qid = readU16(frame, inner.payloadOffset + 4);
        this.echoReceivers.get(qid)?.receive(frame.slice(ip.payloadOffset, end), ip.src, ip.ttl);
        return;
      }
      const handler = this.errorHandlers.get(inner.protocol);
      report({ steps: [], summary: `ICMP type ${type} code ${r.value.code} about our ${inner.protocol === IpProto.TCP ? 'TCP' : inner.protocol === IpProto.UDP ? 'UDP' : `protocol ${inner.protocol}`} datagram to port ${q.value.dstPort ?? '?'}: passed to that protocol` });
      if (handler && q.value.srcPort !== undefined) {
        handler({
          type,
          code: r.value.code,
          from: ip.src,
          localAddr: inner.src,
          localPort: q.value.srcPort,
          peerAddr: inner.dst,
          peerPort: q.value.dstPort!,
          tcpSeq: q.value.tcpSeq,
          frameId: p.frameId,
        });
      }
    }
  }

  /** `rest` = the request's identifier and sequence number (bytes 4..8), echoed back unchanged. */
  private echoReply(p: IpPacket, rest: number): void {
    const { frame, ip } = p;
    const len = ip.payloadLength;
    const out = this.stack.allocIp(len);
    out.set(frame.subarray(ip.payloadOffset + ICMP_HEADER_LEN, ip.payloadOffset + len), IP_PAYLOAD_OFF + ICMP_HEADER_LEN);
    writeIcmpv4(out, IP_PAYLOAD_OFF, { type: IcmpType.ECHO_REPLY, code: 0, rest, payloadLength: len - ICMP_HEADER_LEN });
    // icmp_reply: source = the address the request was sent to, TOS copied, DF clear.
    this.stack.bump('IcmpOutEchoReps');
    this.stack.bump('IcmpOutMsgs');
    this.stack.ipOutput(out, len, { dst: ip.src, src: ip.dst, protocol: IpProto.ICMP, tos: ip.tos, df: false });
  }

  /** icmp_send: an error about the IPv4 packet starting at IP_OFF of `offending`. */
  /** `mtu`: the next-hop MTU a "fragmentation needed" carries (RFC 1191 §4). */
  sendError(offending: Uint8Array, type: number, code: number, mtu?: number): void {
    const r = parseIpv4Header(offending, IP_OFF);
    if (!r.ok) return;
    const ip = r.value;
    if (ip.dst === IPV4_BROADCAST || ip.src === 0 || ip.fragOffset !== 0) return;
    if (ip.protocol === IpProto.ICMP) {
      const t = offending[ip.payloadOffset];
      if (t === undefined || isIcmpError(t)) return; // never an error about an error
    }
    if (!this.allowed(type, ip.src)) {
      this.stack.bump('IcmpOutRateLimitHost');
      return;
    }
    const quote = icmpErrorQuoteLength(ip.totalLength);
    const out = this.stack.allocIp(ICMP_HEADER_LEN + quote);
    out.set(offending.subarray(IP_OFF, IP_OFF + quote), IP_PAYLOAD_OFF + ICMP_HEADER_LEN);
    writeIcmpv4(out, IP_PAYLOAD_OFF, { type, code, payloadLength: quote, rest: mtu === undefined ? 0 : mtu & 0xffff });
    const src = this.stack.isLocal(ip.dst) ? ip.dst : this.stack.sourceFor(ip.src);
    this.stack.bump(type === IcmpType.DEST_UNREACH ? 'IcmpOutDestUnreachs' : 'IcmpOutTimeExcds');
    this.stack.bump('IcmpOutMsgs');
    this.stack.ipOutput(out, ICMP_HEADER_LEN + quote, { dst: ip.src, src, protocol: IpProto.ICMP, tos: (ip.tos & 0x1e) | 0xc0, df: false });
  }
}

