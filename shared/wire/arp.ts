// ARP for Ethernet/IPv4 (RFC 826): the only combination the lab speaks. Fixed 28-byte packet:
// htype 1, ptype 0x0800, hlen 6, plen 4, op 1 (request) / 2 (reply), then sender/target MAC and IP.
// Inside a 60-byte Ethernet frame the 18 bytes after the packet are padding and are ignored.
//
// Writing convention: writeArp writes the whole 28-byte packet at `offset` and returns 28.

import { readMac, writeMac } from './address';
import { readU16, readU32, writeU16, writeU32 } from './bytes';
import { EtherType } from './ethernet';
import { fail, ok, type Parsed } from './result';

export const ARP_LEN = 28;
export const ARP_HTYPE_ETHERNET = 1;

export const ArpOp = {
  REQUEST: 1,
  REPLY: 2,
} as const;

export const ArpFields = {
  htype: [0, 2],
  ptype: [2, 4],
  hlen: [4, 5],
  plen: [5, 6],
  op: [6, 8],
  sha: [8, 14],
  spa: [14, 18],
  tha: [18, 24],
  tpa: [24, 28],
} as const;

export interface ArpPacket {
  htype: number;
  ptype: number;
  hlen: number;
  plen: number;
  op: number;
  /** Sender hardware (MAC, u48) and protocol (IPv4, u32) address. */
  sha: number;
  spa: number;
  /** Target hardware and protocol address (tha is 0 in a request). */
  tha: number;
  tpa: number;
  headerLength: number;
}

export interface ArpWriteFields {
  op: number;
  sha: number;
  spa: number;
  tha: number;
  tpa: number;
}

export function parseArp(bytes: Uint8Array, offset: number, end = bytes.length): Parsed<ArpPacket> {
  if (end > bytes.length) end = bytes.length;
  if (offset < 0 || end - offset < ARP_LEN) {
    return fail(`ARP packet truncated: ${Math.max(0, end - offset)} of ${ARP_LEN} bytes`, Math.max(0, offset));
  }
  const htype = readU16(bytes, offset);
  if (htype !== ARP_HTYPE_ETHERNET) return fail(`ARP hardware type ${htype} is not Ethernet (1)`, offset);
  const ptype = readU16(bytes, offset + 2);
  if (ptype !== EtherType.IPV4) return fail(`ARP protocol type 0x${ptype.toString(16).padStart(4, '0')} is not IPv4`, offset + 2);
  const hlen = bytes[offset + 4]!;
  if (hlen !== 6) return fail(`ARP hardware size ${hlen} is not 6`, offset + 4);
  const plen = bytes[offset + 5]!;
  if (plen !== 4) return fail(`ARP protocol size ${plen} is not 4`, offset + 5);
  const op = readU16(bytes, offset + 6);
  if (op !== ArpOp.REQUEST && op !== ArpOp.REPLY) return fail(`ARP opcode ${op} is neither request (1) nor reply (2)`, offset + 6);
  return ok({
    htype,
    ptype,
    hlen,
    plen,
    op,
    sha: readMac(bytes, offset + 8),
    spa: readU32(bytes, offset + 14),
    tha: readMac(bytes, offset + 18),
    tpa: readU32(bytes, offset + 24),
    headerLength: ARP_LEN,
  });
}

/** Writes the 28-byte Ethernet/IPv4 ARP packet at offset; returns 28. */
export function writeArp(buf: Uint8Array, offset: number, f: ArpWriteFields): number {
  writeU16(buf, offset, ARP_HTYPE_ETHERNET);
  writeU16(buf, offset + 2, EtherType.IPV4);
  buf[offset + 4] = 6;
  buf[offset + 5] = 4;
  writeU16(buf, offset + 6, f.op);
  writeMac(buf, offset + 8, f.sha);
  writeU32(buf, offset + 14, f.spa);
  writeMac(buf, offset + 18, f.tha);
  writeU32(buf, offset + 24, f.tpa);
  return ARP_LEN;
}
