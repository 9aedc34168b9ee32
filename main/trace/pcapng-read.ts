// pcapng reader (draft-ietf-opsawg-pcapng): SHB, IDB and EPB are read; other blocks are skipped
// as the format allows. Both byte orders, several sections. Never throws: it returns what is valid
// up to the first damaged block and that block's offset.
import {
  BT_EPB, BT_IDB, BT_SHB, BYTE_ORDER_MAGIC, IF_NAME, IF_TSRESOL, OPT_COMMENT, OPT_ENDOFOPT, SHB_USERAPPL,
} from './pcapng';
import { pad4 } from './grow-buffer';
import type { CaptureDamage, CaptureReadResult } from './read-types';

const IF_TSOFFSET = 14;
const text = new TextDecoder('utf-8');

export function isPcapng(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x0a && bytes[1] === 0x0d && bytes[2] === 0x0d && bytes[3] === 0x0a;
}

/** One option: code, and the value's [start, end) in the input. */
type OptionVisitor = (code: number, start: number, end: number) => void;

interface Cursor {
  bytes: Uint8Array;
  view: DataView;
  le: boolean;
}

/** Walk the options in [start, end); returns a reason when they are malformed. */
function walkOptions(c: Cursor, start: number, end: number, visit: OptionVisitor): string | null {
  let p = start;
  while (p + 4 <= end) {
    const code = c.view.getUint16(p, c.le);
    const len = c.view.getUint16(p + 2, c.le);
    if (code === OPT_ENDOFOPT) return null;
    if (p + 4 + len > end) return `option ${code} at ${p} overruns its block`;
    visit(code, p + 4, p + 4 + len);
    p += 4 + pad4(len);
  }
  return p === end ? null : `options end mid-option at ${p}`;
}

/** Timestamp units per second from if_tsresol's byte (section 4.2). */
function unitsFromTsresol(b: number): number {
  return b & 0x80 ? 2 ** (b & 0x7f) : 10 ** b;
}

/** Exact nanoseconds of a timestamp (toNs rounds above 2^53). */
function toExactNs(hi: number, lo: number, unitsPerSecond: number, offsetSec: number): bigint {
  return (((BigInt(hi) << 32n) | BigInt(lo)) * 1_000_000_000n) / BigInt(unitsPerSecond) + BigInt(offsetSec) * 1_000_000_000n;
}

function toNs(hi: number, lo: number, unitsPerSecond: number, offsetSec: number): number {
  let ns: number;
  if (unitsPerSecond === 1e9) ns = hi * 4294967296 + lo;
  else if (unitsPerSecond === 1e6) ns = (hi * 4294967296 + lo) * 1000;
  else ns = Number(((BigInt(hi) << 32n) | BigInt(lo)) * 1_000_000_000n / BigInt(unitsPerSecond));
  return offsetSec === 0 ? ns : ns + offsetSec * 1e9;
}

export function readPcapng(bytes: Uint8Array): CaptureReadResult {
  const r: CaptureReadResult = { format: 'pcapng', interfaces: [], packets: [], skippedBlocks: 0 };
  if (!isPcapng(bytes)) return { ...r, format: 'unknown', damage: { offset: 0, reason: 'not a pcapng file (no Section Header Block)' } };
  const c: Cursor = { bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), le: true };
  const tsOffsets: number[] = [];
  let sectionBase = 0;
  let p = 0;
  while (p < bytes.length) {
    const damage = readBlock(c, p, r, tsOffsets, sectionBase);
    if (typeof damage !== 'number') {
      r.damage = damage;
      break;
    }
    if (damage < 0) sectionBase = r.interfaces.length; // a new section started at p
    p += Math.abs(damage);
  }
  return r;
}

/**
 * Read the block at p into r. Returns its length (negative for a Section Header Block, so the
 * caller starts a new section) or the damage.
 */
function readBlock(c: Cursor, p: number, r: CaptureReadResult, tsOffsets: number[], sectionBase: number): number | CaptureDamage {
  const { bytes, view } = c;
  const bad = (reason: string): CaptureDamage => ({ offset: p, reason });
  if (bytes.length - p < 12) return bad('block header truncated');
  const type = view.getUint32(p, c.le);
  if (type === BT_SHB) {
    if (bytes.length - p < 28) return bad('section header truncated');
    if (view.getUint32(p + 8, true) === BYTE_ORDER_MAGIC) c.le = true;
    else if (view.getUint32(p + 8, false) === BYTE_ORDER_MAGIC) c.le = false;
    else return bad('bad byte-order magic');
    if (view.getUint16(p + 12, c.le) !== 1) return bad(`unsupported pcapng major version ${view.getUint16(p + 12, c.le)}`);
  } else if (p === 0) {
    return bad('first block is not a Section Header Block');
  }
  const len = view.getUint32(p + 4, c.le);
  if (len < 12 || len % 4 !== 0) return bad(`bad block length ${len}`);
  if (len > bytes.length - p) return bad(`block truncated (${len} bytes announced, ${bytes.length - p} present)`);
  if (view.getUint32(p + len - 4, c.le) !== len) return bad('trailing block length differs from the leading one');
  const end = p + len - 4;
  let reason: string | null = null;
  if (type === BT_SHB) reason = readShb(c, p, end, r);
  else if (type === BT_IDB) reason = readIdb(c, p, end, r, tsOffsets);
  else if (type === BT_EPB) reason = readEpb(c, p, end, r, tsOffsets, sectionBase);
  else r.skippedBlocks++;
  if (reason !== null) return bad(reason);
  return type === BT_SHB ? -len : len;
}

function readShb(c: Cursor, p: number, end: number, r: CaptureReadResult): string | null {
  if (end < p + 24) return 'section header too short';
  return walkOptions(c, p + 24, end, (code, s, e) => {
    if (code === SHB_USERAPPL && r.userAppl === undefined) r.userAppl = text.decode(c.bytes.subarray(s, e));
  });
}

function readIdb(c: Cursor, p: number, end: number, r: CaptureReadResult, tsOffsets: number[]): string | null {
  if (end < p + 16) return 'interface description too short';
  const linkType = c.view.getUint16(p + 8, c.le);
  const snaplen = c.view.getUint32(p + 12, c.le);
  let name: string | undefined;
  let unitsPerSecond = 1e6;
  let tsOffset = 0;
  const reason = walkOptions(c, p + 16, end, (code, s, e) => {
    if (code === IF_NAME) name = text.decode(c.bytes.subarray(s, e));
    else if (code === IF_TSRESOL && e - s >= 1) unitsPerSecond = unitsFromTsresol(c.bytes[s]!);
    else if (code === IF_TSOFFSET && e - s >= 8) tsOffset = Number(c.view.getBigInt64(s, c.le));
  });
  if (reason !== null) return reason;
  r.interfaces.push(name === undefined ? { linkType, snaplen, unitsPerSecond } : { name, linkType, snaplen, unitsPerSecond });
  tsOffsets.push(tsOffset);
  return null;
}

function readEpb(c: Cursor, p: number, end: number, r: CaptureReadResult, tsOffsets: number[], sectionBase: number): string | null {
  if (end < p + 28) return 'enhanced packet block too short';
  const v = c.view;
  const ifIndex = sectionBase + v.getUint32(p + 8, c.le);
  const iface = r.interfaces[ifIndex];
  if (iface === undefined || ifIndex < sectionBase) return `packet names interface ${v.getUint32(p + 8, c.le)}, not described in its section`;
  const capLen = v.getUint32(p + 20, c.le);
  const dataEnd = p + 28 + capLen;
  if (capLen > end - p - 28) return `packet data (${capLen} bytes) overruns its block`;
  let comments: string[] | undefined;
  const reason = walkOptions(c, Math.min(p + 28 + pad4(capLen), end), end, (code, s, e) => {
    if (code === OPT_COMMENT) (comments ??= []).push(text.decode(c.bytes.subarray(s, e)));
  });
  if (reason !== null) return reason;
  const timeNs = toNs(v.getUint32(p + 12, c.le), v.getUint32(p + 16, c.le), iface.unitsPerSecond, tsOffsets[ifIndex]!);
  const exactNs = toExactNs(v.getUint32(p + 12, c.le), v.getUint32(p + 16, c.le), iface.unitsPerSecond, tsOffsets[ifIndex]!);
  const packet = { ifIndex, timeNs, exactNs, origLen: v.getUint32(p + 24, c.le), bytes: c.bytes.subarray(p + 28, dataEnd) };
  r.packets.push(comments === undefined ? packet : { ...packet, comments });
  return null;
}
