// UDP (RFC 768): ports, length (header + data), checksum over the IPv4 pseudo-header + header + data.
// A transmitted checksum of 0 means "no checksum" (RFC 768); a computed 0 is sent as 0xffff.
//
// Writing convention: the payload is already in place at offset + 8 when writeUdp is called; the
// writer fills the header and the checksum (unless `checksum: false`) and returns 8.
//
// Parsing: the datagram is bytes[offset, offset + length) where length is the UDP length field; it
// must fit in [offset, end) (end = the IP payload end). Like Linux __udp4_lib_rcv: a length beyond the
// IP payload or below 8 is a short packet (error); an IP payload longer than the UDP length is
// trimmed to it (pskb_trim_rcsum), so the extra bytes are not payload.

import { readU16, writeU16 } from './bytes';
import { checksumExcludingField, internetChecksum, pseudoHeaderSum } from './checksum';
import { IpProto } from './ipv4';
import { fail, ok, type Parsed } from './result';

export const UDP_HEADER_LEN = 8;

export const UdpFields = {
  srcPort: [0, 2],
  dstPort: [2, 4],
  length: [4, 6],
  checksum: [6, 8],
} as const;

/** The pseudo-header addresses (an Ipv4Header will do). */
export interface PseudoHeader {
  src: number;
  dst: number;
}

export interface UdpHeader {
  srcPort: number;
  dstPort: number;
  /** The UDP length field: header + data. */
  length: number;
  checksum: number;
  /**
   * true: the checksum verifies, or is 0 (none sent, RFC 768). false: it does not verify.
   * null: not verified because no pseudo-header was given.
   */
  checksumOk: boolean | null;
  headerLength: number;
  payloadOffset: number;
  payloadLength: number;
}

export interface UdpWriteFields {
  srcPort: number;
  dstPort: number;
  /** Bytes already in place after the 8-byte header. */
  payloadLength: number;
  /** Pseudo-header addresses. */
  src: number;
  dst: number;
  /** Compute the checksum (default true); false sends 0 = none. */
  checksum?: boolean;
}

export function parseUdp(bytes: Uint8Array, offset: number, end = bytes.length, pseudo?: PseudoHeader): Parsed<UdpHeader> {
  if (end > bytes.length) end = bytes.length;
  if (offset < 0 || end - offset < UDP_HEADER_LEN) {
    return fail(`UDP header truncated: ${Math.max(0, end - offset)} of ${UDP_HEADER_LEN} bytes`, Math.max(0, offset));
  }
  const length = readU16(bytes, offset + 4);
  if (length < UDP_HEADER_LEN) return fail(`UDP length ${length} is below the header length 8`, offset + 4);
  if (length > end - offset) return fail(`UDP length ${length} exceeds the ${end - offset} bytes of the IP payload`, offset + 4);
  const checksum = readU16(bytes, offset + 6);
  let checksumOk: boolean | null = null;
  if (checksum === 0) checksumOk = true;
  else if (pseudo) checksumOk = internetChecksum(bytes, offset, offset + length, pseudoHeaderSum(pseudo.src, pseudo.dst, IpProto.UDP, length)) === 0;
  return ok({
    srcPort: readU16(bytes, offset),
    dstPort: readU16(bytes, offset + 2),
    length,
    checksum,
    checksumOk,
    headerLength: UDP_HEADER_LEN,
    payloadOffset: offset + UDP_HEADER_LEN,
    payloadLength: length - UDP_HEADER_LEN,
  });
}

/** Writes the header and checksum; the payload must already follow it. Returns 8. */
export function writeUdp(buf: Uint8Array, offset: number, f: UdpWriteFields): number {
  const length = UDP_HEADER_LEN + f.payloadLength;
  writeU16(buf, offset, f.srcPort);
  writeU16(buf, offset + 2, f.dstPort);
  writeU16(buf, offset + 4, length);
  writeU16(buf, offset + 6, 0);
  if (f.checksum !== false) {
    const c = internetChecksum(buf, offset, offset + length, pseudoHeaderSum(f.src, f.dst, IpProto.UDP, length));
    writeU16(buf, offset + 6, c === 0 ? 0xffff : c);
  }
  return UDP_HEADER_LEN;
}

/** The checksum the datagram bytes[offset, offset + length) should carry (field ignored; never 0). */
export function computeUdpChecksum(bytes: Uint8Array, offset: number, length: number, src: number, dst: number): number {
  const c = checksumExcludingField(bytes, offset, offset + length, offset + 6, pseudoHeaderSum(src, dst, IpProto.UDP, length));
  return c === 0 ? 0xffff : c;
}
