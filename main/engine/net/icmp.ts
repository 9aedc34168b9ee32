// ICMP (RFC 792, RFC 1122 section 3.2.2; Linux net/ipv4/icmp.c): echo replies, delivery of echo
// replies and errors to ping sockets, and sending errors with Linux's rules (never about an ICMP
// error, a broadcast, or a non-first fragment; quote up to 576 bytes; TOS precedence 0xc0).
import { IPV4_BROADCAST, ICMP_HEADER_LEN, IcmpType, icmpErrorQuoteLength, isIcmpError, parseIcmpQuote, parseIcmpv4, writeIcmpv4, IpProto, parseIpv4Header } from '../../../shared/wire';
import { IP_OFF, IP_PAYLOAD_OFF, type IpPacket, type NetStack } from './stack';

/** A receiver of ICMP messages for one echo identifier (a ping socket). */
export interface EchoReceiver {
  /** The ICMP message (header + data) from `addr`, with the IP TTL it arrived with. */
  receive(msg: Uint8Array, addr: number, ttl: number): void;
}

export class Icmp {
  /** Ping sockets by echo identifier (Linux ping_table keyed by ident = "port"). */
  readonly echoReceivers = new Map<number, EchoReceiver>();

  constructor(private readonly stack: NetStack, private readonly drop: (reason: 'ICMP_INVALID' | 'ICMP_CSUM' | 'NO_SOCKET', frameId: number, text: string) => void) {
    stack.protocols.set(IpProto.ICMP, (p) => this.receive(p));
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
    if (type === IcmpType.ECHO_REQUEST) {
      this.stack.bump('IcmpInEchos');
      if (ip.dst === IPV4_BROADCAST) return; // icmp_echo_ignore_broadcasts = 1
      this.echoReply(p);
    } else if (type === IcmpType.ECHO_REPLY) {
      this.stack.bump('IcmpInEchoReps');
      const rx = this.echoReceivers.get(id);
      if (!rx) return this.drop('NO_SOCKET', p.frameId, `echo reply id ${id}: no ping socket with that identifier`);
      rx.receive(frame.slice(ip.payloadOffset, end), ip.src, ip.ttl);
    } else if (isIcmpError(type)) {
      this.stack.bump(type === IcmpType.DEST_UNREACH ? 'IcmpInDestUnreachs' : 'IcmpInTimeExcds');
      const q = parseIcmpQuote(frame, ip.payloadOffset, end);
      if (!q.ok) return this.drop('ICMP_INVALID', p.frameId, q.error);
      const inner = q.value.ip;
      // An error about an echo request of ours goes to the ping socket that sent it (ping_err).
      if (inner.protocol === IpProto.ICMP && inner.payloadLength >= 8 && frame[inner.payloadOffset] === IcmpType.ECHO_REQUEST) {
        const qid = (frame[inner.payloadOffset + 4]! << 8) | frame[inner.payloadOffset + 5]!;
        this.echoReceivers.get(qid)?.receive(frame.slice(ip.payloadOffset, end), ip.src, ip.ttl);
      }
    }
  }

  private echoReply(p: IpPacket): void {
    const { frame, ip } = p;
    const len = ip.payloadLength;
    const out = this.stack.allocIp(len);
    out.set(frame.subarray(ip.payloadOffset + ICMP_HEADER_LEN, ip.payloadOffset + len), IP_PAYLOAD_OFF + ICMP_HEADER_LEN);
    const rest = ((frame[ip.payloadOffset + 4]! << 24) | (frame[ip.payloadOffset + 5]! << 16) | (frame[ip.payloadOffset + 6]! << 8) | frame[ip.payloadOffset + 7]!) >>> 0;
    writeIcmpv4(out, IP_PAYLOAD_OFF, { type: IcmpType.ECHO_REPLY, code: 0, rest, payloadLength: len - ICMP_HEADER_LEN });
    // icmp_reply: source = the address the request was sent to, TOS copied, DF clear.
    this.stack.bump('IcmpOutEchoReps');
    this.stack.ipOutput(out, len, { dst: ip.src, src: ip.dst, protocol: IpProto.ICMP, tos: ip.tos, df: false });
  }

  /** icmp_send: an error about the IPv4 packet starting at IP_OFF of `offending`. */
  sendError(offending: Uint8Array, type: number, code: number): void {
    const r = parseIpv4Header(offending, IP_OFF);
    if (!r.ok) return;
    const ip = r.value;
    if (ip.dst === IPV4_BROADCAST || ip.src === 0 || ip.fragOffset !== 0) return;
    if (ip.protocol === IpProto.ICMP) {
      const t = offending[ip.payloadOffset];
      if (t === undefined || isIcmpError(t)) return; // never an error about an error
    }
    const quote = icmpErrorQuoteLength(ip.totalLength);
    const out = this.stack.allocIp(ICMP_HEADER_LEN + quote);
    out.set(offending.subarray(IP_OFF, IP_OFF + quote), IP_PAYLOAD_OFF + ICMP_HEADER_LEN);
    writeIcmpv4(out, IP_PAYLOAD_OFF, { type, code, payloadLength: quote });
    const src = this.stack.isLocal(ip.dst) ? ip.dst : this.stack.sourceFor(ip.src);
    this.stack.bump(type === IcmpType.DEST_UNREACH ? 'IcmpOutDestUnreachs' : 'IcmpOutTimeExcds');
    this.stack.ipOutput(out, ICMP_HEADER_LEN + quote, { dst: ip.src, src, protocol: IpProto.ICMP, tos: (ip.tos & 0x1e) | 0xc0, df: false });
  }
}

