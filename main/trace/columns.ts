// The trace's frame columns (schema V9): a chunk of consecutive capture rows stores each column as
// one typed array (a BLOB in frame_column), so a display filter reads only the columns it names and
// a page of the packet list only the ones it shows. The key columns are FrameKeys
// (shared/filter/keys.ts) of each row's frame, computed once by the writer in capture order.
import type { FrameKeys } from '../../shared/filter/keys';

type ArrayType = Float64ArrayConstructor | Uint32ArrayConstructor | Uint16ArrayConstructor | Uint8ArrayConstructor;

/** The columns of a capture row and their element types. */
export const COLUMN_TYPES = {
  frameId: Float64Array,
  at: Float64Array,
  /** Position in the default view (1-based), 0 for a frame's copies at its other capture points. */
  pos: Uint32Array,
  iface: Uint32Array,
  /** 1 = tx. */
  dir: Uint8Array,
  /** Frame length; also the key frame.len. */
  length: Uint32Array,
  /** Where the frame's bytes start in the chunk's bytes (a frame's copies share them). */
  offset: Uint32Array,
  has: Uint8Array,
  app: Uint8Array,
  ethSrc: Float64Array,
  ethDst: Float64Array,
  ethType: Uint16Array,
  arpOp: Uint16Array,
  ipSrc: Uint32Array,
  ipDst: Uint32Array,
  ipProto: Uint8Array,
  ttl: Uint8Array,
  srcPort: Uint16Array,
  dstPort: Uint16Array,
  stream: Uint32Array,
  seq: Uint32Array,
  ack: Uint32Array,
  seqRaw: Uint32Array,
  ackRaw: Uint32Array,
  tcpLen: Uint16Array,
  window: Uint16Array,
  tcpFlags: Uint16Array,
  udpLength: Uint16Array,
  icmpType: Uint8Array,
  icmpCode: Uint8Array,
} as const satisfies Record<string, ArrayType>;

export type ColumnName = keyof typeof COLUMN_TYPES;
export type ColumnArray<K extends ColumnName> = InstanceType<(typeof COLUMN_TYPES)[K]>;
export type Columns = { [K in ColumnName]: ColumnArray<K> };

export const COLUMN_NAMES = Object.keys(COLUMN_TYPES) as ColumnName[];

/**
 * A bit of the `has` column beside the layer bits (shared/filter/keys Has, all below it): the row
 * is its frame's first capture point (pos > 0), so a filter on the default view needs no `pos`.
 */
export const FIRST_ROW = 0x80;

/**
 * Empty columns for `rows` rows. Written out as one literal: an object given its 30 properties one
 * by one under computed names turns into a hash table in V8, and every column access then costs a
 * lookup (the writer touches ~30 per row). The return type makes the compiler check the list.
 */
export function allocColumns(rows: number): Columns {
  return {
    frameId: new COLUMN_TYPES.frameId(rows),
    at: new COLUMN_TYPES.at(rows),
    pos: new COLUMN_TYPES.pos(rows),
    iface: new COLUMN_TYPES.iface(rows),
    dir: new COLUMN_TYPES.dir(rows),
    length: new COLUMN_TYPES.length(rows),
    offset: new COLUMN_TYPES.offset(rows),
    has: new COLUMN_TYPES.has(rows),
    app: new COLUMN_TYPES.app(rows),
    ethSrc: new COLUMN_TYPES.ethSrc(rows),
    ethDst: new COLUMN_TYPES.ethDst(rows),
    ethType: new COLUMN_TYPES.ethType(rows),
    arpOp: new COLUMN_TYPES.arpOp(rows),
    ipSrc: new COLUMN_TYPES.ipSrc(rows),
    ipDst: new COLUMN_TYPES.ipDst(rows),
    ipProto: new COLUMN_TYPES.ipProto(rows),
    ttl: new COLUMN_TYPES.ttl(rows),
    srcPort: new COLUMN_TYPES.srcPort(rows),
    dstPort: new COLUMN_TYPES.dstPort(rows),
    stream: new COLUMN_TYPES.stream(rows),
    seq: new COLUMN_TYPES.seq(rows),
    ack: new COLUMN_TYPES.ack(rows),
    seqRaw: new COLUMN_TYPES.seqRaw(rows),
    ackRaw: new COLUMN_TYPES.ackRaw(rows),
    tcpLen: new COLUMN_TYPES.tcpLen(rows),
    window: new COLUMN_TYPES.window(rows),
    tcpFlags: new COLUMN_TYPES.tcpFlags(rows),
    udpLength: new COLUMN_TYPES.udpLength(rows),
    icmpType: new COLUMN_TYPES.icmpType(rows),
    icmpCode: new COLUMN_TYPES.icmpCode(rows),
  };
}

// The key columns (FrameKeys' fields but frameLen, which is `length`, and the quoted-header offsets),
// written out rather than looped over by name: these run for every capture row written, and a loop
// over names is a dynamic property access per column.

/** Store row `i`'s keys. */
export function setKeys(c: Columns, i: number, k: FrameKeys): void {
  c.has[i] = k.has;
  c.app[i] = k.app;
  c.ethSrc[i] = k.ethSrc;
  c.ethDst[i] = k.ethDst;
  c.ethType[i] = k.ethType;
  c.arpOp[i] = k.arpOp;
  c.ipSrc[i] = k.ipSrc;
  c.ipDst[i] = k.ipDst;
  c.ipProto[i] = k.ipProto;
  c.ttl[i] = k.ttl;
  c.srcPort[i] = k.srcPort;
  c.dstPort[i] = k.dstPort;
  c.stream[i] = k.stream;
  c.seq[i] = k.seq;
  c.ack[i] = k.ack;
  c.seqRaw[i] = k.seqRaw;
  c.ackRaw[i] = k.ackRaw;
  c.tcpLen[i] = k.tcpLen;
  c.window[i] = k.window;
  c.tcpFlags[i] = k.tcpFlags;
  c.udpLength[i] = k.udpLength;
  c.icmpType[i] = k.icmpType;
  c.icmpCode[i] = k.icmpCode;
}

/** Copy row `from` of `src` into row `to` of `dst` (key columns only). */
export function copyKeys(src: Columns, from: number, dst: Columns, to: number): void {
  dst.has[to] = src.has[from]!;
  dst.app[to] = src.app[from]!;
  dst.ethSrc[to] = src.ethSrc[from]!;
  dst.ethDst[to] = src.ethDst[from]!;
  dst.ethType[to] = src.ethType[from]!;
  dst.arpOp[to] = src.arpOp[from]!;
  dst.ipSrc[to] = src.ipSrc[from]!;
  dst.ipDst[to] = src.ipDst[from]!;
  dst.ipProto[to] = src.ipProto[from]!;
  dst.ttl[to] = src.ttl[from]!;
  dst.srcPort[to] = src.srcPort[from]!;
  dst.dstPort[to] = src.dstPort[from]!;
  dst.stream[to] = src.stream[from]!;
  dst.seq[to] = src.seq[from]!;
  dst.ack[to] = src.ack[from]!;
  dst.seqRaw[to] = src.seqRaw[from]!;
  dst.ackRaw[to] = src.ackRaw[from]!;
  dst.tcpLen[to] = src.tcpLen[from]!;
  dst.window[to] = src.window[from]!;
  dst.tcpFlags[to] = src.tcpFlags[from]!;
  dst.udpLength[to] = src.udpLength[from]!;
  dst.icmpType[to] = src.icmpType[from]!;
  dst.icmpCode[to] = src.icmpCode[from]!;
}

/** A column from its BLOB (copied when the BLOB is not aligned for the element type). */
export function columnFromBlob<K extends ColumnName>(name: K, blob: Uint8Array): ColumnArray<K> {
  const T = COLUMN_TYPES[name];
  const width = T.BYTES_PER_ELEMENT;
  if (blob.byteLength % width !== 0) throw new Error(`trace column ${name}: ${blob.byteLength} bytes is not a whole number of ${width}-byte values`);
  // A copy when misaligned (new Uint8Array copies; Buffer#slice would only make another view).
  const aligned = blob.byteOffset % width === 0 ? blob : new Uint8Array(blob);
  return new T(aligned.buffer as ArrayBuffer, aligned.byteOffset, aligned.byteLength / width) as ColumnArray<K>;
}

/** A column's bytes, for its BLOB. */
export function columnBlob(a: Columns[ColumnName]): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}
