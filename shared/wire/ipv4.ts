// IPv4 header (RFC 791 §3.1). Options are carried as a byte range (IHL > 5) and not interpreted here.
// The parser is parseIpv4Header because address.ts's parseIpv4 parses dotted quads; `parseIpv4` below
// is an alias for deep imports of this file only (index.ts exports the address parser under that name).
//
// Writing convention: the payload is already in place at offset + header length when writeIpv4 is
// called; the writer fills the header (total length = header + payloadLength) and its checksum
// (RFC 791 §3.1: over the header only) and returns the header length.
//
// Parsing checks what RFC 1122 §3.2.1.1-2 asks a receiver to check (version, IHL >= 5, total length
// against the bytes received). A bad header checksum is reported as `checksumOk: false`, not as a
// failure: the receiver drops with a named reason. Bytes beyond the total length (Ethernet padding)
// are not payload.

import { readU16, readU32, writeU16, writeU32 } from './bytes';
import { checksumExcludingField, internetChecksum } from './checksum';
import { fail, ok, type Parsed } from './result';

export const IPV4_MIN_HEADER = 20;
export const IPV4_DEFAULT_TTL = 64;

/** IP protocol numbers (IANA). */
export const IpProto = {
  ICMP: 1,
  TCP: 6,
  UDP: 17,
} as const;

/** The 3-bit flags field (RFC 791 §3.1): bit 0 reserved, then DF, then MF. */
export const Ipv4Flag = {
  RESERVED: 0x4,
  DF: 0x2,
  MF: 0x1,
} as const;

export const Ipv4Fields = {
  version: [0, 1],
  ihl: [0, 1],
  tos: [1, 2],
  totalLength: [2, 4],
  id: [4, 6],
  flags: [6, 7],
  fragOffset: [6, 8],
  ttl: [8, 9],
  protocol: [9, 10],
  checksum: [10, 12],
  src: [12, 16],
  dst: [16, 20],
} as const;

export interface Ipv4Header {
  version: number;
  /** Header length in 32-bit words (5..15). */
  ihl: number;
  /** Type of service / DS field: DSCP in the top 6 bits, ECN in the low 2 (RFC 2474, RFC 3168). */
  tos: number;
  totalLength: number;
  id: number;
  /** Ipv4Flag bits. */
  flags: number;
  /** Fragment offset in 8-byte units. */
  fragOffset: number;
  ttl: number;
  protocol: number;
  checksum: number;
  checksumOk: boolean;
  src: number;
  dst: number;
  headerLength: number;
  /** Options occupy [offset + 20, payloadOffset). */
  optionsLength: number;
  payloadOffset: number;
  /** totalLength - headerLength, or (quoted headers only) what the buffer holds of it. */
  payloadLength: number;
}

export interface Ipv4WriteFields {
  tos?: number;
  id: number;
  /** Ipv4Flag bits; default DF (Linux sets DF on TCP/UDP with PMTU discovery, ip_dont_frag). */
  flags?: number;
  fragOffset?: number;
  ttl?: number;
  protocol: number;
  src: number;
  dst: number;
  /** Raw option bytes; zero-padded (End of Option List) to a multiple of 4. */
  options?: Uint8Array;
  /** Bytes already in place after the header. */
  payloadLength: number;
}

export function parseIpv4Header(bytes: Uint8Array, offset: number, end = bytes.length): Parsed<Ipv4Header> {
  return parse(bytes, offset, end, false);
}

/**
 * Parse an IPv4 header quoted inside an ICMP error (RFC 792: "Internet Header + 64 bits of Original
 * Data Datagram"): the datagram is usually cut short, so a total length beyond `end` is accepted and
 * payloadLength is what is present.
 */
export function parseIpv4Quoted(bytes: Uint8Array, offset: number, end = bytes.length): Parsed<Ipv4Header> {
  return parse(bytes, offset, end, true);
}

function parse(bytes: Uint8Array, offset: number, end: number, quoted: boolean): Parsed<Ipv4Header> {
  if (end > bytes.length) end = bytes.length;
  if (offset < 0 || end - offset < IPV4_MIN_HEADER) {
    return fail(`IPv4 header truncated: ${Math.max(0, end - offset)} of ${IPV4_MIN_HEADER} bytes`, Math.max(0, offset));
  }
  const b0 = bytes[offset]!;
  const version = b0 >>> 4;
  if (version !== 4) return fail(`IP version ${version} is not 4`, offset);
  const ihl = b0 & 0x0f;
  if (ihl < 5) return fail(`IPv4 header length ${ihl * 4} bytes (IHL ${ihl}) is below 20`, offset);
  const headerLength = ihl * 4;
  if (end - offset < headerLength) return fail(`IPv4 header truncated: ${end - offset} of ${headerLength} bytes`, offset);
  const totalLength = readU16(bytes, offset + 2);
  if (totalLength < headerLength) return fail(`IPv4 total length ${totalLength} is below the header length ${headerLength}`, offset + 2);
  let payloadLength = totalLength - headerLength;
  if (totalLength > end - offset) {
    if (!quoted) return fail(`IPv4 total length ${totalLength} exceeds the ${end - offset} bytes received`, offset + 2);
    payloadLength = end - offset - headerLength;
  }
  const ff = readU16(bytes, offset + 6);
  return ok({
    version,
    ihl,
    tos: bytes[offset + 1]!,
    totalLength,
    id: readU16(bytes, offset + 4),
    flags: ff >>> 13,
    fragOffset: ff & 0x1fff,
    ttl: bytes[offset + 8]!,
    protocol: bytes[offset + 9]!,
    checksum: readU16(bytes, offset + 10),
    checksumOk: internetChecksum(bytes, offset, offset + headerLength) === 0,
    src: readU32(bytes, offset + 12),
    dst: readU32(bytes, offset + 16),
    headerLength,
    optionsLength: headerLength - IPV4_MIN_HEADER,
    payloadOffset: offset + headerLength,
    payloadLength,
  });
}

/** Header length a write with these options will produce. */
export function ipv4HeaderLength(options?: Uint8Array): number {
  return IPV4_MIN_HEADER + (options ? (options.length + 3) & ~3 : 0);
}

/** Writes the header (checksum included) at offset; the payload must already follow it. Returns the header length. */
export function writeIpv4(buf: Uint8Array, offset: number, f: Ipv4WriteFields): number {
  const headerLength = ipv4HeaderLength(f.options);
  buf[offset] = 0x40 | (headerLength >>> 2);
  buf[offset + 1] = f.tos ?? 0;
  writeU16(buf, offset + 2, headerLength + f.payloadLength);
  writeU16(buf, offset + 4, f.id);
  writeU16(buf, offset + 6, (((f.flags ?? Ipv4Flag.DF) & 7) << 13) | ((f.fragOffset ?? 0) & 0x1fff));
  buf[offset + 8] = f.ttl ?? IPV4_DEFAULT_TTL;
  buf[offset + 9] = f.protocol;
  writeU16(buf, offset + 10, 0);
  writeU32(buf, offset + 12, f.src);
  writeU32(buf, offset + 16, f.dst);
  if (f.options) {
    buf.set(f.options, offset + IPV4_MIN_HEADER);
    buf.fill(0, offset + IPV4_MIN_HEADER + f.options.length, offset + headerLength);
  }
  writeU16(buf, offset + 10, internetChecksum(buf, offset, offset + headerLength));
  return headerLength;
}

/** The header checksum this header should carry (its current checksum field ignored). */
export function computeIpv4Checksum(bytes: Uint8Array, offset: number, headerLength: number): number {
  return checksumExcludingField(bytes, offset, offset + headerLength, offset + 10);
}

/**
 * Decrement the TTL of a forwarded datagram in place and patch the checksum incrementally
 * (RFC 1624 §3, eqn. 3: HC' = ~(~HC + ~m + m')). Returns the new TTL. The caller checks TTL > 1
 * first (RFC 1812 §5.3.1: a router must not forward a datagram whose TTL reaches 0).
 */
export function decrementTtl(buf: Uint8Array, offset: number): number {
  const oldWord = readU16(buf, offset + 8);
  const ttl = (buf[offset + 8]! - 1) & 0xff;
  buf[offset + 8] = ttl;
  const newWord = readU16(buf, offset + 8);
  let sum = (~readU16(buf, offset + 10) & 0xffff) + (~oldWord & 0xffff) + newWord;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  writeU16(buf, offset + 10, ~sum & 0xffff);
  return ttl;
}
