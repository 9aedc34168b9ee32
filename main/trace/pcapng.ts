// pcapng writer (draft-ietf-opsawg-pcapng): one Section Header Block, one Interface Description
// Block per capture point ("machine:nic", nanosecond timestamps, Ethernet), one Enhanced Packet
// Block per captured frame with an optional opt_comment (Wireshark's frame.comment).
// Little-endian throughout. Deterministic: the output depends only on the calls made.
import { GrowBuffer, pad4 } from './grow-buffer';

export const LINKTYPE_ETHERNET = 1;
export const PCAPNG_SNAPLEN = 262144;

/** Block types (draft section 11.1). */
export const BT_SHB = 0x0a0d0d0a;
export const BT_IDB = 0x00000001;
export const BT_EPB = 0x00000006;
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

/** Option codes (sections 3.5, 4.1, 4.2, 4.3). */
export const OPT_ENDOFOPT = 0;
export const OPT_COMMENT = 1;
export const SHB_USERAPPL = 4;
export const IF_NAME = 2;
export const IF_TSRESOL = 9;
/** if_tsresol = 9: timestamps count 10^-9 s. */
export const TSRESOL_NS = 9;

/** Longest option value: the option length field is 16 bits. */
const MAX_OPTION_BYTES = 0xffff;
const utf8 = new TextEncoder();

export interface PcapngWriterOptions {
  /** shb_userappl; "Packet Lab" unless given. */
  userAppl?: string;
  /** Bytes to allocate up front; an exact size means no growth and no copy at toBytes(). */
  capacity?: number;
}

/**
 * Bytes an Enhanced Packet Block takes for a frame of `length` bytes with comments of these UTF-8
 * byte lengths (at most 65535 each; zero-length comments are not written).
 */
export function epbSize(length: number, commentBytes: readonly number[] = []): number {
  let options = 0;
  for (const n of commentBytes) if (n > 0) options += 4 + pad4(n);
  return 32 + pad4(length) + (options > 0 ? options + 4 : 0);
}

/** Bytes of the Section Header Block written for `userAppl`. */
export function shbSize(userAppl = 'Packet Lab'): number {
  return shbBytes(encodeCapped(userAppl).length);
}

/** Bytes of the Interface Description Block written for interface `name`. */
export function idbSize(name: string): number {
  return idbBytes(encodeCapped(name).length);
}

/** SHB: header (24), shb_userappl (4 + padded value), opt_endofopt (4), trailer (4). */
function shbBytes(applLength: number): number {
  return 24 + 4 + pad4(applLength) + 4 + 4;
}

/** IDB: header (16), if_name (4 + padded value), if_tsresol (8), opt_endofopt (4), trailer (4). */
function idbBytes(nameLength: number): number {
  return 16 + 4 + pad4(nameLength) + 8 + 4 + 4;
}

export class PcapngWriter {
  private readonly out: GrowBuffer;
  private interfaces = 0;

  constructor(opts: PcapngWriterOptions = {}) {
    this.out = new GrowBuffer(opts.capacity);
    this.writeShb(opts.userAppl ?? 'Packet Lab');
  }

  get byteLength(): number {
    return this.out.pos;
  }

  /** Add an Interface Description Block; returns its interface id (0, 1, ...) for addPacket. */
  addInterface(name: string, linkType = LINKTYPE_ETHERNET): number {
    const nameBytes = encodeCapped(name);
    const total = idbBytes(nameBytes.length);
    const o = this.out;
    o.ensure(total);
    const v = o.view;
    const p = o.pos;
    v.setUint32(p, BT_IDB, true);
    v.setUint32(p + 4, total, true);
    v.setUint16(p + 8, linkType, true);
    v.setUint16(p + 10, 0, true);
    v.setUint32(p + 12, PCAPNG_SNAPLEN, true);
    o.pos = p + 16;
    this.option(IF_NAME, nameBytes);
    v.setUint16(o.pos, IF_TSRESOL, true);
    v.setUint16(o.pos + 2, 1, true);
    v.setUint32(o.pos + 4, TSRESOL_NS, true); // value byte 9, then three padding zeros
    v.setUint32(o.pos + 8, OPT_ENDOFOPT, true);
    v.setUint32(o.pos + 12, total, true);
    o.pos += 16;
    return this.interfaces++;
  }

  /**
   * Add an Enhanced Packet Block. timeNs: integer nanoseconds (64-bit in the file).
   * comments: one opt_comment each (UTF-8, cut at 65535 bytes on a character boundary; empty
   * strings are left out). Wireshark shows each as a frame.comment.
   */
  addPacket(ifIndex: number, timeNs: number, bytes: Uint8Array, comments?: string | readonly string[], origLen = bytes.length): void {
    if (!Number.isInteger(ifIndex) || ifIndex >= this.interfaces || ifIndex < 0) throw new RangeError(`pcapng: no interface ${ifIndex}`);
    if (!Number.isSafeInteger(timeNs) || timeNs < 0) throw new RangeError(`pcapng: bad timestamp ${timeNs}`);
    const o = this.out;
    const len = bytes.length;
    o.ensure(32 + pad4(len)); // header, data, trailer
    const start = o.pos;
    const v = o.view;
    v.setUint32(start, BT_EPB, true);
    v.setUint32(start + 8, ifIndex, true);
    v.setUint32(start + 12, Math.floor(timeNs / 4294967296), true);
    v.setUint32(start + 16, timeNs >>> 0, true);
    v.setUint32(start + 20, len, true);
    v.setUint32(start + 24, origLen, true);
    o.pos = start + 28;
    o.putPadded(bytes);
    if (comments !== undefined && comments.length > 0) this.commentOptions(comments);
    const total = o.pos + 4 - start;
    o.view.setUint32(o.pos, total, true); // o.view: the buffer may have grown
    o.view.setUint32(start + 4, total, true);
    o.pos += 4;
  }

  /** The file so far (SHB, IDBs, EPBs). */
  toBytes(): Uint8Array {
    return this.out.toBytes();
  }

  /** Streaming form: the bytes written since the last takeChunk(), then the buffer starts over. */
  takeChunk(): Uint8Array {
    return this.out.take();
  }

  /** Streaming without copies: what was written goes to `sink` (a view valid during the call), then the buffer starts over. */
  drain(sink: (bytes: Uint8Array) => void): void {
    this.out.drain(sink);
  }

  /** Bytes written since the last drain. */
  get buffered(): number {
    return this.out.pos;
  }

  private writeShb(userAppl: string): void {
    const appl = encodeCapped(userAppl);
    const total = shbBytes(appl.length);
    const o = this.out;
    o.ensure(total);
    const v = o.view;
    v.setUint32(0, BT_SHB, true);
    v.setUint32(4, total, true);
    v.setUint32(8, BYTE_ORDER_MAGIC, true);
    v.setUint16(12, 1, true); // major version
    v.setUint16(14, 0, true); // minor version
    v.setInt32(16, -1, true); // section length: -1 = not given (64-bit)
    v.setInt32(20, -1, true);
    o.pos = 24;
    this.option(SHB_USERAPPL, appl);
    v.setUint32(o.pos, OPT_ENDOFOPT, true);
    v.setUint32(o.pos + 4, total, true);
    o.pos += 8;
  }

  /** An option whose value is `value` (caller ensured room). */
  private option(code: number, value: Uint8Array): void {
    const o = this.out;
    o.view.setUint16(o.pos, code, true);
    o.view.setUint16(o.pos + 2, value.length, true);
    o.pos += 4;
    o.putPadded(value);
  }

  /** The opt_comment options, then opt_endofopt when any was written; leaves room for the trailer. */
  private commentOptions(comments: string | readonly string[]): void {
    let any = false;
    if (typeof comments === 'string') any = this.commentOption(comments);
    else for (const c of comments) any = this.commentOption(c) || any;
    const o = this.out;
    o.ensure(8);
    if (any) {
      o.view.setUint32(o.pos, OPT_ENDOFOPT, true);
      o.pos += 4;
    }
  }

  /** One opt_comment; false for an empty comment (nothing written). */
  private commentOption(comment: string): boolean {
    if (comment.length === 0) return false;
    const o = this.out;
    const worst = Math.min(comment.length * 3, MAX_OPTION_BYTES);
    if (o.pos + 4 + pad4(worst) <= o.bytes.length && !o.isLent) {
      // Common case: encode straight into the buffer.
      const at = o.pos + 4;
      const { written } = utf8.encodeInto(comment, o.bytes.subarray(at, at + worst));
      o.bytes.fill(0, at + written, at + pad4(written));
      o.view.setUint16(o.pos, OPT_COMMENT, true);
      o.view.setUint16(o.pos + 2, written, true);
      o.pos = at + pad4(written);
    } else {
      // Near the end of a pre-sized buffer: measure exactly, then grow only if needed.
      const value = encodeCapped(comment);
      o.ensure(4 + pad4(value.length));
      this.option(OPT_COMMENT, value);
    }
    return true;
  }
}

/** UTF-8 of `s`, cut on a character boundary to fit an option (65535 bytes). */
export function encodeCapped(s: string): Uint8Array {
  const full = utf8.encode(s);
  if (full.length <= MAX_OPTION_BYTES) return full;
  const cut = new Uint8Array(MAX_OPTION_BYTES);
  const { written } = utf8.encodeInto(s, cut);
  return cut.subarray(0, written);
}
