// What the trace analyses (follow stream, flow graph, conversations) read of a frame: its outer
// Ethernet, IPv4 and TCP/UDP/ICMP headers, with tcp.stream and relative seq/ack numbered exactly as
// the display filters number them (shared/filter/eval.ts's TcpConversations). Frames must be fed in
// capture order, one Decoder per pass.
import { TcpConversations } from '../filter/eval';
import { parseArp } from '../wire/arp';
import { ETH_HEADER_LEN, EtherType, parseEthernet } from '../wire/ethernet';
import { parseIcmpv4 } from '../wire/icmpv4';
import { IpProto, parseIpv4Header } from '../wire/ipv4';
import { parseTcp } from '../wire/tcp';
import { parseUdp } from '../wire/udp';

export interface DecodedTcp {
  srcPort: number;
  dstPort: number;
  flags: number;
  seq: number;
  ack: number;
  stream: number;
  relSeq: number;
  relAck: number;
  payloadOffset: number;
  payloadLength: number;
}

export interface Decoded {
  ethSrc: number;
  ethDst: number;
  etherType: number;
  arp?: { op: number; spa: number; tpa: number };
  ip?: { src: number; dst: number; protocol: number };
  tcp?: DecodedTcp;
  udp?: { srcPort: number; dstPort: number; payloadLength: number };
  icmp?: { type: number; code: number };
}

export class Decoder {
  private readonly conv = new TcpConversations();

  /** Null for a frame too short for an Ethernet header. */
  decode(bytes: Uint8Array): Decoded | null {
    const eth = parseEthernet(bytes, 0);
    if (!eth.ok) return null;
    const d: Decoded = { ethSrc: eth.value.src, ethDst: eth.value.dst, etherType: eth.value.etherType };
    if (d.etherType === EtherType.ARP) {
      const a = parseArp(bytes, ETH_HEADER_LEN);
      if (a.ok) d.arp = { op: a.value.op, spa: a.value.spa, tpa: a.value.tpa };
      return d;
    }
    if (d.etherType !== EtherType.IPV4) return d;
    const r = parseIpv4Header(bytes, ETH_HEADER_LEN);
    if (!r.ok) return d;
    const h = r.value;
    d.ip = { src: h.src, dst: h.dst, protocol: h.protocol };
    if (h.fragOffset !== 0) return d;
    const end = h.payloadOffset + h.payloadLength;
    if (h.protocol === IpProto.TCP) {
      const t = parseTcp(bytes, h.payloadOffset, end);
      if (!t.ok) return d;
      const s = t.value;
      const c = this.conv.observe(h.src, s.srcPort, h.dst, s.dstPort, s.flags, s.seq, s.ack);
      d.tcp = {
        srcPort: s.srcPort, dstPort: s.dstPort, flags: s.flags, seq: s.seq, ack: s.ack,
        stream: c.stream, relSeq: c.seq, relAck: c.ack, payloadOffset: s.payloadOffset, payloadLength: s.payloadLength,
      };
    } else if (h.protocol === IpProto.UDP) {
      const u = parseUdp(bytes, h.payloadOffset, end);
      if (u.ok) d.udp = { srcPort: u.value.srcPort, dstPort: u.value.dstPort, payloadLength: u.value.payloadLength };
    } else if (h.protocol === IpProto.ICMP) {
      const c = parseIcmpv4(bytes, h.payloadOffset, end);
      if (c.ok) d.icmp = { type: c.value.type, code: c.value.code };
    }
    return d;
  }
}
