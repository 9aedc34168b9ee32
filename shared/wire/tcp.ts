// TCP header (RFC 9293 §3.1): ports, sequence and acknowledgment numbers, data offset (header
// length in 32-bit words, >= 5), 8 flag bits in byte 13 (byte 12's low nibble holds reserved bits
// and AE, the accurate-ECN bit once called NS), window, checksum over the IPv4 pseudo-header +
// header + data, urgent pointer, then options (tcp-options.ts) up to the data offset.
//
// Writing convention: the payload is already in place at offset + tcpHeaderLength(options) when
// writeTcp is called; the writer fills header and options and the checksum over pseudo-header +
// header + payloadLength bytes (RFC 9293 §3.1), and returns the header length.
//
// Parsing: the segment is bytes[offset, end), end = the IP payload end (never the frame end: the
// frame may carry Ethernet padding). A bad checksum is `checksumOk: false`, not a failure
// (the receiver drops with a named reason). Options are not parsed here (parseTcpOptions).

import { readU16, readU32, writeU16, writeU32 } from './bytes';
import { checksumExcludingField, internetChecksum, pseudoHeaderSum } from './checksum';
import { IpProto } from './ipv4';
import { fail, ok, type Parsed } from './result';
import { tcpOptionsLength, writeTcpOptions, type TcpOption } from './tcp-options';
import type { PseudoHeader } from './udp';

export const TCP_MIN_HEADER = 20;

export const TcpFlag = {
  FIN: 0x01,
  SYN: 0x02,
  RST: 0x04,
  PSH: 0x08,
  ACK: 0x10,
  URG: 0x20,
  ECE: 0x40,
  CWR: 0x80,
} as const;

export const TcpFields = {
  srcPort: [0, 2],
  dstPort: [2, 4],
  seq: [4, 8],
  ack: [8, 12],
  dataOffset: [12, 13],
  flags: [13, 14],
  window: [14, 16],
  checksum: [16, 18],
  urgentPointer: [18, 20],
} as const;

export interface TcpHeader {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  /** Header length in 32-bit words (5..15). */
  dataOffset: number;
  /** Byte 13: TcpFlag bits. */
  flags: number;
  /** Byte 12's low nibble: 3 reserved bits and AE (0x1) (RFC 9293 §3.1, RFC 3168 / AccECN). */
  reserved: number;
  /** As sent (unscaled). */
  window: number;
  checksum: number;
  /** null when no pseudo-header was given to verify against. */
  checksumOk: boolean | null;
  urgentPointer: number;
  headerLength: number;
  /** Options occupy [optionsOffset, payloadOffset). */
  optionsOffset: number;
  optionsLength: number;
  payloadOffset: number;
  payloadLength: number;
}

export interface TcpWriteFields {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  /** TcpFlag bits. */
  flags: number;
  window: number;
  urgentPointer?: number;
  /** Options to encode (see linuxOptionLayout), or raw bytes (zero-padded to a multiple of 4). */
  options?: readonly TcpOption[] | Uint8Array;
  /** Bytes already in place after the header. */
  payloadLength: number;
  /** Pseudo-header addresses. */
  src: number;
  dst: number;
}

export function parseTcp(bytes: Uint8Array, offset: number, end = bytes.length, pseudo?: PseudoHeader): Parsed<TcpHeader> {
  if (end > bytes.length) end = bytes.length;
  if (offset < 0 || end - offset < TCP_MIN_HEADER) {
    return fail(`TCP header truncated: ${Math.max(0, end - offset)} of ${TCP_MIN_HEADER} bytes`, Math.max(0, offset));
  }
  const dataOffset = bytes[offset + 12]! >>> 4;
  if (dataOffset < 5) return fail(`TCP header length ${dataOffset * 4} bytes (data offset ${dataOffset}) is below 20`, offset + 12);
  const headerLength = dataOffset * 4;
  if (headerLength > end - offset) return fail(`TCP header length ${headerLength} exceeds the ${end - offset} bytes of the segment`, offset + 12);
  const length = end - offset;
  let checksumOk: boolean | null = null;
  if (pseudo) checksumOk = internetChecksum(bytes, offset, end, pseudoHeaderSum(pseudo.src, pseudo.dst, IpProto.TCP, length)) === 0;
  return ok({
    srcPort: readU16(bytes, offset),
    dstPort: readU16(bytes, offset + 2),
    seq: readU32(bytes, offset + 4),
    ack: readU32(bytes, offset + 8),
    dataOffset,
    flags: bytes[offset + 13]!,
    reserved: bytes[offset + 12]! & 0x0f,
    window: readU16(bytes, offset + 14),
    checksum: readU16(bytes, offset + 16),
    checksumOk,
    urgentPointer: readU16(bytes, offset + 18),
    headerLength,
    optionsOffset: offset + TCP_MIN_HEADER,
    optionsLength: headerLength - TCP_MIN_HEADER,
    payloadOffset: offset + headerLength,
    payloadLength: length - headerLength,
  });
}

/** Header length a write with these options will produce. */
export function tcpHeaderLength(options?: readonly TcpOption[] | Uint8Array): number {
  if (!options) return TCP_MIN_HEADER;
  return TCP_MIN_HEADER + (options instanceof Uint8Array ? (options.length + 3) & ~3 : tcpOptionsLength(options));
}

/** Writes header, options and checksum; the payload must already follow the header. Returns the header length. */
export function writeTcp(buf: Uint8Array, offset: number, f: TcpWriteFields): number {
  let optLen = 0;
  if (f.options instanceof Uint8Array) {
    buf.set(f.options, offset + TCP_MIN_HEADER);
    optLen = (f.options.length + 3) & ~3;
    buf.fill(0, offset + TCP_MIN_HEADER + f.options.length, offset + TCP_MIN_HEADER + optLen);
  } else if (f.options) {
    optLen = writeTcpOptions(buf, offset + TCP_MIN_HEADER, f.options);
  }
  const headerLength = TCP_MIN_HEADER + optLen;
  writeU16(buf, offset, f.srcPort);
  writeU16(buf, offset + 2, f.dstPort);
  writeU32(buf, offset + 4, f.seq);
  writeU32(buf, offset + 8, f.ack);
  buf[offset + 12] = (headerLength >>> 2) << 4;
  buf[offset + 13] = f.flags;
  writeU16(buf, offset + 14, f.window);
  writeU16(buf, offset + 16, 0);
  writeU16(buf, offset + 18, f.urgentPointer ?? 0);
  const length = headerLength + f.payloadLength;
  writeU16(buf, offset + 16, internetChecksum(buf, offset, offset + length, pseudoHeaderSum(f.src, f.dst, IpProto.TCP, length)));
  return headerLength;
}

/** The checksum the segment bytes[offset, end) should carry (its checksum field ignored). */
export function computeTcpChecksum(bytes: Uint8Array, offset: number, end: number, src: number, dst: number): number {
  return checksumExcludingField(bytes, offset, end, offset + 16, pseudoHeaderSum(src, dst, IpProto.TCP, end - offset));
}

/** Wireshark's order and names: "SYN, ACK", "FIN, PSH, ACK"; "<None>" when no flag is set. `reserved` adds AE. */
export function tcpFlagNames(flags: number, reserved = 0): string {
  let s = '';
  if (flags & TcpFlag.FIN) s += ', FIN';
  if (flags & TcpFlag.SYN) s += ', SYN';
  if (flags & TcpFlag.RST) s += ', RST';
  if (flags & TcpFlag.PSH) s += ', PSH';
  if (flags & TcpFlag.ACK) s += ', ACK';
  if (flags & TcpFlag.URG) s += ', URG';
  if (flags & TcpFlag.ECE) s += ', ECE';
  if (flags & TcpFlag.CWR) s += ', CWR';
  if (reserved & 0x1) s += ', AE';
  return s === '' ? '<None>' : s.slice(2);
}
