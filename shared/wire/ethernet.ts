// Ethernet II (DIX) framing: dst MAC, src MAC, EtherType, payload. Our frames carry no FCS (like
// pcaps from Linux). IEEE 802.3 clause 3.2.8: a frame is at least 64 bytes with the 4-byte FCS, so
// 60 without it; shorter frames are padded with zeros on transmit. The padding is not part of the
// payload above: IPv4's total length (or ARP's fixed size) tells the real length.
//
// Writing convention (all writers in this folder): the payload is already in place behind the header
// when a header is written; writeEthernet writes the 14-byte header at `offset` and returns 14.
// Pad with ethFrameLength()/padEthernetFrame() once the frame is complete.

import { readMac, writeMac } from './address';
import { readU16, writeU16 } from './bytes';
import { fail, ok, type Parsed } from './result';

export const ETH_HEADER_LEN = 14;
/** Minimum frame length without FCS; shorter frames are zero-padded to it on transmit. */
export const ETH_MIN_FRAME = 60;

export const EtherType = {
  IPV4: 0x0800,
  ARP: 0x0806,
  VLAN: 0x8100,
  IPV6: 0x86dd,
} as const;

export const EthernetFields = {
  dst: [0, 6],
  src: [6, 12],
  etherType: [12, 14],
} as const;

export interface EthernetHeader {
  dst: number;
  src: number;
  etherType: number;
  headerLength: number;
  payloadOffset: number;
  /** Bytes after the header up to `end`, padding included (the layer above knows its length). */
  payloadLength: number;
}

export interface EthernetWriteFields {
  dst: number;
  src: number;
  etherType: number;
}

export function parseEthernet(bytes: Uint8Array, offset: number, end = bytes.length): Parsed<EthernetHeader> {
  if (end > bytes.length) end = bytes.length;
  if (offset < 0 || end - offset < ETH_HEADER_LEN) {
    return fail(`Ethernet header truncated: ${Math.max(0, end - offset)} of ${ETH_HEADER_LEN} bytes`, Math.max(0, offset));
  }
  return ok({
    dst: readMac(bytes, offset),
    src: readMac(bytes, offset + 6),
    etherType: readU16(bytes, offset + 12),
    headerLength: ETH_HEADER_LEN,
    payloadOffset: offset + ETH_HEADER_LEN,
    payloadLength: end - offset - ETH_HEADER_LEN,
  });
}

/** Writes the 14-byte header at offset; returns 14. */
export function writeEthernet(buf: Uint8Array, offset: number, f: EthernetWriteFields): number {
  writeMac(buf, offset, f.dst);
  writeMac(buf, offset + 6, f.src);
  writeU16(buf, offset + 12, f.etherType);
  return ETH_HEADER_LEN;
}

/** Length on the wire of a frame whose content is `length` bytes: at least ETH_MIN_FRAME. */
export function ethFrameLength(length: number): number {
  return length < ETH_MIN_FRAME ? ETH_MIN_FRAME : length;
}

/**
 * The frame as transmitted: `frame` itself when it is at least 60 bytes, else a zero-padded copy of
 * 60 bytes. Allocate outbound buffers with ethFrameLength() to avoid the copy (new buffers are zero).
 */
export function padEthernetFrame(frame: Uint8Array): Uint8Array {
  if (frame.length >= ETH_MIN_FRAME) return frame;
  const out = new Uint8Array(ETH_MIN_FRAME);
  out.set(frame);
  return out;
}
