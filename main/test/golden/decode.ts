// One frame -> the fields the normalizer needs (IPv4 TCP/UDP/ICMP), through shared/wire's parsers.
// Checksums are not verified: Linux captures taken on the sending side carry offload-partial TCP/UDP
// checksums (see shared/wire/linux-truth.test.ts), and correctness of bytes is tested elsewhere.
import {
  EtherType, IpProto, Ipv4Flag, formatIpv4, isIcmpError, parseEthernet, parseIcmpQuote, parseIcmpv4,
  parseIpv4Header, parseTcp, parseTcpOptions, parseUdp, type Ipv4Header, type TcpOptionAt,
} from '../../../shared/wire';
import type { IcmpQuoteInfo, OptionKind } from './types';

const LINKTYPE_ETHERNET = 1;
const LINKTYPE_RAW = 101;
const LINKTYPE_IPV4 = 228;
const LINKTYPE_LINUX_SLL = 113;

interface IpCommon {
  src: string;
  dst: string;
  tos: number;
  df: boolean;
}

export interface DecodedTcp extends IpCommon {
  kind: 'tcp';
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  win: number;
  len: number;
  options: OptionKind[];
  mss?: number;
  wscale?: number;
  sackBlocks?: number;
  tsVal?: number;
  tsEcr?: number;
}

export interface DecodedUdp extends IpCommon {
  kind: 'udp';
  srcPort: number;
  dstPort: number;
  len: number;
}

export interface DecodedIcmp extends IpCommon {
  kind: 'icmp';
  type: number;
  code: number;
  len: number;
  quote?: IcmpQuoteInfo;
}

export type Decoded = DecodedTcp | DecodedUdp | DecodedIcmp;

/** Offset of the IPv4 header in a frame of this link type, or null when it carries no IPv4. */
function ipOffset(bytes: Uint8Array, linkType: number): number | null {
  if (linkType === LINKTYPE_RAW || linkType === LINKTYPE_IPV4) return 0;
  if (linkType === LINKTYPE_LINUX_SLL) return bytes.length >= 16 && bytes[14] === 0x08 && bytes[15] === 0x00 ? 16 : null;
  if (linkType !== LINKTYPE_ETHERNET) return null;
  const eth = parseEthernet(bytes, 0);
  return eth.ok && eth.value.etherType === EtherType.IPV4 ? eth.value.payloadOffset : null;
}

function optionKind(o: TcpOptionAt): OptionKind {
  switch (o.kind) {
    case 'mss': return 'mss';
    case 'sackPerm': return 'sackOK';
    case 'timestamp': return 'TS';
    case 'nop': return 'nop';
    case 'wscale': return 'wscale';
    case 'sack': return 'sack';
    case 'eol': return 'eol';
    case 'unknown': return `kind${o.type}`;
  }
}

function decodeTcp(bytes: Uint8Array, ip: Ipv4Header, common: IpCommon): DecodedTcp | null {
  const end = ip.payloadOffset + ip.payloadLength;
  const r = parseTcp(bytes, ip.payloadOffset, end);
  if (!r.ok) return null;
  const h = r.value;
  const out: DecodedTcp = {
    kind: 'tcp', ...common, srcPort: h.srcPort, dstPort: h.dstPort, seq: h.seq, ack: h.ack,
    flags: h.flags, win: h.window, len: h.payloadLength, options: [],
  };
  const opts = parseTcpOptions(bytes, h.optionsOffset, h.payloadOffset);
  const list = opts.ok ? opts.value : [];
  for (const o of list) {
    out.options.push(optionKind(o));
    if (o.kind === 'mss') out.mss = o.mss;
    else if (o.kind === 'wscale') out.wscale = o.shift;
    else if (o.kind === 'sack') out.sackBlocks = o.blocks.length;
    else if (o.kind === 'timestamp') {
      out.tsVal = o.tsVal;
      out.tsEcr = o.tsEcr;
    }
  }
  // A damaged option list is marked (the strict parser gives no partial list).
  if (!opts.ok) out.options.push('malformed');
  return out;
}

function decodeIcmp(bytes: Uint8Array, ip: Ipv4Header, common: IpCommon): DecodedIcmp | null {
  const end = ip.payloadOffset + ip.payloadLength;
  const r = parseIcmpv4(bytes, ip.payloadOffset, end);
  if (!r.ok) return null;
  const out: DecodedIcmp = { kind: 'icmp', ...common, type: r.value.type, code: r.value.code, len: r.value.payloadLength };
  if (isIcmpError(r.value.type)) {
    const q = parseIcmpQuote(bytes, ip.payloadOffset, end);
    if (q.ok) {
      const qi: IcmpQuoteInfo = {
        proto: q.value.ip.protocol,
        srcIp: formatIpv4(q.value.ip.src),
        dstIp: formatIpv4(q.value.ip.dst),
        ipTotalLength: q.value.ip.totalLength,
        quotedBytes: q.value.ip.headerLength + q.value.ip.payloadLength,
      };
      if (q.value.srcPort !== undefined) qi.srcPort = q.value.srcPort;
      if (q.value.dstPort !== undefined) qi.dstPort = q.value.dstPort;
      out.quote = qi;
    }
  }
  return out;
}

/** Decode one frame; null for anything but an IPv4 TCP/UDP/ICMP packet that parses. */
export function decodeFrame(bytes: Uint8Array, linkType = LINKTYPE_ETHERNET): Decoded | null {
  const off = ipOffset(bytes, linkType);
  if (off === null) return null;
  const ipr = parseIpv4Header(bytes, off);
  if (!ipr.ok) return null;
  const ip = ipr.value;
  if (ip.fragOffset !== 0 || (ip.flags & Ipv4Flag.MF) !== 0) return null;
  const common: IpCommon = { src: formatIpv4(ip.src), dst: formatIpv4(ip.dst), tos: ip.tos, df: (ip.flags & Ipv4Flag.DF) !== 0 };
  const end = ip.payloadOffset + ip.payloadLength;
  switch (ip.protocol) {
    case IpProto.TCP:
      return decodeTcp(bytes, ip, common);
    case IpProto.UDP: {
      const u = parseUdp(bytes, ip.payloadOffset, end);
      return u.ok ? { kind: 'udp', ...common, srcPort: u.value.srcPort, dstPort: u.value.dstPort, len: u.value.payloadLength } : null;
    }
    case IpProto.ICMP:
      return decodeIcmp(bytes, ip, common);
    default:
      return null;
  }
}
