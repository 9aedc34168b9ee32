// ICMP for IPv4 (RFC 792). Every message starts with type, code, checksum and a 4-byte "rest of
// header" whose meaning depends on the type: identifier + sequence for echo (types 0/8), unused (0)
// for destination unreachable (3) and time exceeded (11), the next-hop MTU for "fragmentation
// needed" (3/4, RFC 1191 §4), a pointer for parameter problem (12). Error messages then quote the
// original datagram: its IP header + at least 64 bits of its data (RFC 792); RFC 1812 §4.3.2.3 and
// Linux (icmp_send) quote as much as fits in a 576-byte reply, see icmpErrorQuoteLength.
// The checksum covers the whole ICMP message (header + data).
//
// Writing convention: the message data (echo payload or quoted datagram) is already in place at
// offset + 8 when writeIcmpv4/writeIcmpEcho is called; the writer fills the 8-byte header and the
// checksum over header + payloadLength bytes, and returns 8.

import { readU16, readU32, writeU16, writeU32 } from './bytes';
import { checksumExcludingField, internetChecksum } from './checksum';
import { IpProto, parseIpv4Quoted, type Ipv4Header } from './ipv4';
import { fail, ok, type Parsed } from './result';

export const ICMP_HEADER_LEN = 8;

export const IcmpType = {
  ECHO_REPLY: 0,
  DEST_UNREACH: 3,
  SOURCE_QUENCH: 4,
  REDIRECT: 5,
  ECHO_REQUEST: 8,
  TIME_EXCEEDED: 11,
  PARAMETER_PROBLEM: 12,
} as const;

/** Destination unreachable codes (RFC 792, RFC 1122 §3.2.2.1, RFC 1812 §5.2.7.1). */
export const IcmpUnreachCode = {
  NET: 0,
  HOST: 1,
  PROTOCOL: 2,
  PORT: 3,
  FRAG_NEEDED: 4,
  SOURCE_ROUTE_FAILED: 5,
  NET_UNKNOWN: 6,
  HOST_UNKNOWN: 7,
  HOST_ISOLATED: 8,
  NET_PROHIBITED: 9,
  HOST_PROHIBITED: 10,
  NET_TOS: 11,
  HOST_TOS: 12,
  ADMIN_PROHIBITED: 13,
  HOST_PRECEDENCE: 14,
  PRECEDENCE_CUTOFF: 15,
} as const;

export const IcmpTimeExceededCode = {
  TTL: 0,
  REASSEMBLY: 1,
} as const;

export const Icmpv4Fields = {
  type: [0, 1],
  code: [1, 2],
  checksum: [2, 4],
  /** The 4-byte rest of header, whatever the type. */
  rest: [4, 8],
  /** Echo request/reply. */
  id: [4, 6],
  seq: [6, 8],
  /** Destination unreachable, fragmentation needed (RFC 1191). */
  nextHopMtu: [6, 8],
} as const;

export interface Icmpv4Header {
  type: number;
  code: number;
  checksum: number;
  checksumOk: boolean;
  /** Bytes 4..8 as a u32. */
  rest: number;
  /** rest >>> 16 and rest & 0xffff: the identifier and sequence number of an echo message. */
  id: number;
  seq: number;
  headerLength: number;
  /** Echo data, or the quoted datagram of an error message. */
  payloadOffset: number;
  payloadLength: number;
}

export interface Icmpv4WriteFields {
  type: number;
  code: number;
  /** Rest of header as a u32 (default 0). */
  rest?: number;
  /** Data bytes already in place after the 8-byte header. */
  payloadLength: number;
}

export interface IcmpEchoWriteFields {
  type: typeof IcmpType.ECHO_REQUEST | typeof IcmpType.ECHO_REPLY;
  id: number;
  seq: number;
  payloadLength: number;
}

/** The original datagram quoted by an ICMP error (what the receiver needs to find the socket). */
export interface IcmpQuote {
  ip: Ipv4Header;
  /** Present when at least 4 bytes of a TCP or UDP header were quoted. */
  srcPort?: number;
  dstPort?: number;
  /** Quoted TCP sequence number, when 8 bytes of a TCP header were quoted. */
  tcpSeq?: number;
}

/** True for the types whose data is a quoted datagram. */
export function isIcmpError(type: number): boolean {
  return type === 3 || type === 4 || type === 5 || type === 11 || type === 12;
}

/** Parse an ICMP message occupying bytes[offset, end) (end = IP payload end, not the frame end). */
export function parseIcmpv4(bytes: Uint8Array, offset: number, end = bytes.length): Parsed<Icmpv4Header> {
  if (end > bytes.length) end = bytes.length;
  if (offset < 0 || end - offset < ICMP_HEADER_LEN) {
    return fail(`ICMP header truncated: ${Math.max(0, end - offset)} of ${ICMP_HEADER_LEN} bytes`, Math.max(0, offset));
  }
  const rest = readU32(bytes, offset + 4);
  return ok({
    type: bytes[offset]!,
    code: bytes[offset + 1]!,
    checksum: readU16(bytes, offset + 2),
    checksumOk: internetChecksum(bytes, offset, end) === 0,
    rest,
    id: rest >>> 16,
    seq: rest & 0xffff,
    headerLength: ICMP_HEADER_LEN,
    payloadOffset: offset + ICMP_HEADER_LEN,
    payloadLength: end - offset - ICMP_HEADER_LEN,
  });
}

/** Parse the datagram quoted in an error message's data (ICMP header at `icmpOffset`). */
export function parseIcmpQuote(bytes: Uint8Array, icmpOffset: number, end = bytes.length): Parsed<IcmpQuote> {
  const ip = parseIpv4Quoted(bytes, icmpOffset + ICMP_HEADER_LEN, end);
  if (!ip.ok) return ip;
  const q: IcmpQuote = { ip: ip.value };
  const t = ip.value.payloadOffset;
  const isTransport = ip.value.protocol === IpProto.TCP || ip.value.protocol === IpProto.UDP;
  if (isTransport && ip.value.fragOffset === 0 && ip.value.payloadLength >= 4) {
    q.srcPort = readU16(bytes, t);
    q.dstPort = readU16(bytes, t + 2);
    if (ip.value.protocol === IpProto.TCP && ip.value.payloadLength >= 8) q.tcpSeq = readU32(bytes, t + 4);
  }
  return ok(q);
}

/**
 * How many bytes of the offending datagram an error quotes: as much as fits in a `limit`-byte reply
 * (IP header 20 + ICMP header 8 + quote), like Linux icmp_send (576, RFC 1812 §4.3.2.3). At least the
 * RFC 792 minimum (header + 8) when the datagram has it.
 */
export function icmpErrorQuoteLength(originalLength: number, limit = 576): number {
  return Math.min(originalLength, limit - 20 - ICMP_HEADER_LEN);
}

/** Writes the 8-byte header and the checksum over header + payload (already in place). Returns 8. */
export function writeIcmpv4(buf: Uint8Array, offset: number, f: Icmpv4WriteFields): number {
  buf[offset] = f.type;
  buf[offset + 1] = f.code;
  writeU16(buf, offset + 2, 0);
  writeU32(buf, offset + 4, f.rest ?? 0);
  writeU16(buf, offset + 2, internetChecksum(buf, offset, offset + ICMP_HEADER_LEN + f.payloadLength));
  return ICMP_HEADER_LEN;
}

export function writeIcmpEcho(buf: Uint8Array, offset: number, f: IcmpEchoWriteFields): number {
  return writeIcmpv4(buf, offset, { type: f.type, code: 0, rest: (((f.id & 0xffff) << 16) | (f.seq & 0xffff)) >>> 0, payloadLength: f.payloadLength });
}

/** The checksum the message in bytes[offset, end) should carry (its checksum field ignored). */
export function computeIcmpChecksum(bytes: Uint8Array, offset: number, end: number): number {
  return checksumExcludingField(bytes, offset, end, offset + 2);
}
