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
  /** The row's entry in the chunk's texts (protocol, src, dst, info). */
  text: Uint32Array,
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

/** The FrameKeys fields stored as columns (frameLen is `length`; quoted headers are read from the bytes). */
export const KEY_COLUMNS = [
  'has', 'app', 'ethSrc', 'ethDst', 'ethType', 'arpOp', 'ipSrc', 'ipDst', 'ipProto', 'ttl', 'srcPort', 'dstPort', 'stream', 'seq', 'ack',
  'seqRaw', 'ackRaw', 'tcpLen', 'window', 'tcpFlags', 'udpLength', 'icmpType', 'icmpCode',
] as const satisfies readonly (ColumnName & keyof FrameKeys)[];

/** Empty columns for `rows` rows. */
export function allocColumns(rows: number): Columns {
  const out = {} as Record<ColumnName, unknown>;
  for (const name of COLUMN_NAMES) out[name] = new COLUMN_TYPES[name](rows);
  return out as Columns;
}

/** Store row `i`'s keys. */
export function setKeys(c: Columns, i: number, k: FrameKeys): void {
  for (const name of KEY_COLUMNS) c[name][i] = k[name];
}

/** Copy row `from` of `src` into row `to` of `dst` (key columns only). */
export function copyKeys(src: Columns, from: number, dst: Columns, to: number): void {
  for (const name of KEY_COLUMNS) dst[name][to] = src[name][from]!;
}

/** A column from its BLOB (copied when the BLOB is not aligned for the element type). */
export function columnFromBlob<K extends ColumnName>(name: K, blob: Uint8Array): ColumnArray<K> {
  const T = COLUMN_TYPES[name];
  const width = T.BYTES_PER_ELEMENT;
  if (blob.byteLength % width !== 0) throw new Error(`trace column ${name}: ${blob.byteLength} bytes is not a whole number of ${width}-byte values`);
  const aligned = blob.byteOffset % width === 0 ? blob : blob.slice();
  return new T(aligned.buffer as ArrayBuffer, aligned.byteOffset, aligned.byteLength / width) as ColumnArray<K>;
}

/** A column's bytes, for its BLOB. */
export function columnBlob(a: Columns[ColumnName]): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}
