// Reading the frame chunks of a capture (schema V9): where each chunk starts (ChunkMeta, kept in
// memory, a few dozen bytes per 2,000 frames), a chunk's columns and bytes loaded on demand
// and cached (the packet list pages through neighbouring rows), the columns display filters read
// over many chunks (kept in a ColumnCache, where list pages look first too), and walks over a selection of rows in
// capture order, which every reader (list pages, filters, analyses, exports) is built on.
import type Database from 'better-sqlite3';
import { summarize, type FrameSummary } from '../../shared/wire';
import { ColumnCache } from './column-cache';
import { columnFromBlob, COLUMN_TYPES, type ColumnArray, type ColumnName } from './columns';

export interface ChunkMeta {
  /** frame.no of its first row (capture rows are numbered across captures; FrameRow.no = no - base). */
  firstNo: number;
  rows: number;
  /** Default-view rows before it: its default-view rows are positions firstPos+1 .. firstPos+viewRows. */
  firstPos: number;
  viewRows: number;
}

/** Which rows a walk visits, in capture order. */
export type RowSelection =
  | { kind: 'all' }
  /** The default view: each frame once, at its first capture point. */
  | { kind: 'view' }
  /** Rows of these interfaces. */
  | { kind: 'ifaces'; ids: ReadonlySet<number> }
  /** These rows (frame.no, ascending). */
  | { kind: 'nos'; nos: readonly number[] };

const CACHED_CHUNKS = 8;

export class LoadedChunk {
  private readonly cols = new Map<ColumnName, unknown>();
  private byteArena: Uint8Array | null = null;

  constructor(
    private readonly reader: ChunkReader,
    readonly capture: number,
    readonly meta: ChunkMeta,
  ) {}

  col<K extends ColumnName>(name: K): ColumnArray<K> {
    let c = this.cols.get(name) as ColumnArray<K> | undefined;
    if (!c) {
      c = this.reader.loadColumn(this.capture, this.meta.firstNo, name);
      checkColumn(this.meta.firstNo, name, c.byteLength, this.meta.rows);
      this.cols.set(name, c);
    }
    return c;
  }

  /**
   * Row i's packet-list summary (Protocol, Source, Destination, Info), TCP seq/ack relative as
   * stored. Made at each call, not kept: the renderer keeps the pages it shows, and summaries kept
   * for the cached chunks' rows (up to 16,000) were copied by every young-generation collection a
   * page read set off (a third of a page's time).
   */
  summary(i: number): FrameSummary {
    return summarize(this.bytes(i), { seq: this.col('seq')[i]!, ack: this.col('ack')[i]! });
  }

  /** A view of row i's bytes (valid while the chunk is). */
  bytes(i: number): Uint8Array {
    this.byteArena ??= this.reader.loadBytes(this.capture, this.meta.firstNo);
    const off = this.col('offset')[i]!;
    const end = off + this.col('length')[i]!;
    checkFrameEnd(this.meta.firstNo, i, end, this.byteArena.length);
    return this.byteArena.subarray(off, end);
  }
}

/** A chunk's column must hold one element per row: `bytes` as stored, undefined when it is not there. */
export function checkColumn(firstNo: number, name: ColumnName, bytes: number | undefined, rows: number): void {
  const want = rows * COLUMN_TYPES[name].BYTES_PER_ELEMENT;
  if (bytes !== want) throw new Error(`trace chunk ${firstNo}: column ${name} ${bytes === undefined ? 'is missing' : `has ${bytes} bytes, not ${want} (${rows} rows)`}`);
}

/** Refuse frame firstNo + i of a chunk whose bytes end past the chunk's `size` (a damaged trace). */
export function checkFrameEnd(firstNo: number, i: number, end: number, size: number): void {
  if (end > size) throw new Error(`trace chunk ${firstNo}: frame ${firstNo + i}'s bytes end at ${end}, past the chunk's ${size}`);
}

export class ChunkReader {
  private readonly stmt: { column: Database.Statement; bytes: Database.Statement; columnRange: Database.Statement };
  private readonly cache = new Map<string, LoadedChunk>();
  /** Columns filters read lately (columnsOf). */
  private readonly columns = new ColumnCache();

  constructor(db: Database.Database) {
    this.stmt = {
      column: db.prepare('SELECT data FROM frame_column WHERE capture = ? AND name = ? AND chunk = ?').pluck(),
      bytes: db.prepare('SELECT bytes FROM frame_chunk WHERE capture = ? AND first_no = ?').pluck(),
      columnRange: db.prepare('SELECT chunk, data FROM frame_column WHERE capture = ? AND name = ? AND chunk BETWEEN ? AND ? ORDER BY chunk').raw(true),
    };
  }

  /** Forget cached chunks (their capture was deleted, or a write failed). */
  clear(): void {
    this.cache.clear();
    this.columns.clear();
  }

  chunk(capture: number, meta: ChunkMeta): LoadedChunk {
    const key = `${capture}:${meta.firstNo}`;
    let c = this.cache.get(key);
    if (c) {
      this.cache.delete(key); // most recently used last
    } else {
      c = new LoadedChunk(this, capture, meta);
      if (this.cache.size >= CACHED_CHUNKS) this.cache.delete(this.cache.keys().next().value!);
    }
    this.cache.set(key, c);
    return c;
  }

  /** A chunk's column: the one a filter read lately (ColumnCache) when it is there, else decoded. */
  loadColumn<K extends ColumnName>(capture: number, chunk: number, name: K): ColumnArray<K> {
    const kept = this.columns.get(capture, chunk, name);
    if (kept) return kept as ColumnArray<K>;
    const blob = this.stmt.column.get(capture, name, chunk) as Uint8Array | undefined;
    if (!blob) throw new Error(`trace chunk ${chunk}: column ${name} is missing`);
    return columnFromBlob(name, blob);
  }

  loadBytes(capture: number, chunk: number): Uint8Array {
    const b = this.stmt.bytes.get(capture, chunk) as Uint8Array | undefined;
    if (!b) throw new Error(`trace chunk ${chunk} is missing`);
    return b;
  }

  /**
   * The named columns of `count` chunks from `chunks[from]` on: what a columnar filter reads. Each
   * chunk's column from the recently read ones (ColumnCache) when it is there; the others with one
   * query per column over the range from the first chunk missing it to the last (the cached ones in
   * between are read too, not decoded again). What is read is kept there unless `keep` is false (a
   * one-off pass: the check at open).
   */
  columnsOf(capture: number, chunks: readonly ChunkMeta[], from: number, count: number, names: readonly ColumnName[], keep = true): { meta: ChunkMeta; cols: Map<ColumnName, unknown> }[] {
    const part = chunks.slice(from, from + count);
    if (part.length === 0) return [];
    const out = part.map((meta) => ({ meta, cols: new Map<ColumnName, unknown>() }));
    let at: Map<number, number> | undefined;
    for (const name of names) {
      for (const { meta, cols } of out) {
        const c = this.columns.get(capture, meta.firstNo, name);
        if (c) cols.set(name, c);
      }
      // The chunks the cache did not have (the end of a trace still growing, a filter past the budget).
      const missing = out.filter(({ cols }) => !cols.has(name));
      if (missing.length === 0) continue;
      at ??= new Map(part.map((m, k) => [m.firstNo, k]));
      for (const [chunk, blob] of this.stmt.columnRange.all(capture, name, missing[0]!.meta.firstNo, missing.at(-1)!.meta.firstNo) as [number, Uint8Array][]) {
        const k = at.get(chunk);
        if (k === undefined || out[k]!.cols.has(name)) continue;
        const c = columnFromBlob(name, blob);
        out[k]!.cols.set(name, c);
        if (keep) this.columns.set(capture, chunk, name, c);
      }
    }
    for (const { meta, cols } of out) {
      for (const name of names) checkColumn(meta.firstNo, name, (cols.get(name) as { byteLength: number } | undefined)?.byteLength, meta.rows);
    }
    return out;
  }

  /**
   * Visit the selected rows with frame.no in (afterNo, lastNo], in capture order, until `visit`
   * returns false.
   */
  walk(capture: number, chunks: readonly ChunkMeta[], sel: RowSelection, afterNo: number, visit: (c: LoadedChunk, i: number, no: number) => boolean | void): void {
    if (sel.kind === 'nos') {
      let c: LoadedChunk | undefined;
      for (let j = lowerBound(sel.nos, afterNo + 1); j < sel.nos.length; j++) {
        const no = sel.nos[j]!;
        if (!c || no >= c.meta.firstNo + c.meta.rows) {
          // The next chunk holding a chosen row (looked up once per chunk, not per row).
          const meta = chunks[chunkAtNo(chunks, no)];
          if (!meta) return;
          c = this.chunk(capture, meta);
        }
        if (no >= c.meta.firstNo && visit(c, no - c.meta.firstNo, no) === false) return;
      }
      return;
    }
    for (let k = chunkAtNo(chunks, afterNo + 1); k < chunks.length; k++) {
      const meta = chunks[k]!;
      if (sel.kind === 'view' && meta.viewRows === 0) continue;
      const c = this.chunk(capture, meta);
      const start = Math.max(0, afterNo + 1 - meta.firstNo);
      const pos = sel.kind === 'view' ? c.col('pos') : null;
      const iface = sel.kind === 'ifaces' ? c.col('iface') : null;
      for (let i = start; i < meta.rows; i++) {
        if (pos && pos[i] === 0) continue;
        if (iface && !(sel as { ids: ReadonlySet<number> }).ids.has(iface[i]!)) continue;
        if (visit(c, i, meta.firstNo + i) === false) return;
      }
    }
  }
}

/** The first k in [0, n) for which before(k) is false (before must hold for a prefix only). */
function partitionPoint(n: number, before: (k: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The index of the chunk holding frame.no `no` (chunks.length when past the end; 0 before the start). */
export function chunkAtNo(chunks: readonly ChunkMeta[], no: number): number {
  return partitionPoint(chunks.length, (k) => chunks[k]!.firstNo + chunks[k]!.rows <= no);
}

/** The frame.no of the row at default-view position `pos` (1-based), or undefined. */
export function noAtPosition(chunks: readonly ChunkMeta[], reader: ChunkReader, capture: number, pos: number): number | undefined {
  // Never an empty chunk: an empty chunk ends where the chunk before it ends, which is before pos.
  const meta = chunks[partitionPoint(chunks.length, (k) => chunks[k]!.firstPos + chunks[k]!.viewRows < pos)];
  if (!meta || pos <= meta.firstPos) return undefined;
  const p = reader.chunk(capture, meta).col('pos');
  for (let i = 0; i < meta.rows; i++) if (p[i] === pos) return meta.firstNo + i;
  return undefined;
}

/** The first index of ascending `a` (up to hi) holding a value >= v. */
export function lowerBound(a: ArrayLike<number>, v: number, hi = a.length): number {
  return partitionPoint(hi, (k) => a[k]! < v);
}

/**
 * The rows with these FrameRow numbers (1..total of a capture whose frame.no start after `base`),
 * for walk(): each once, ascending; numbers outside the capture are left out.
 */
export function nosSelection(base: number, total: number, nos: readonly number[]): RowSelection & { kind: 'nos' } {
  const valid = [...new Set(nos)].filter((n) => Number.isSafeInteger(n) && n >= 1 && n <= total);
  return { kind: 'nos', nos: valid.sort((a, b) => a - b).map((n) => n + base) };
}

/** `found`'s items (keyed by FrameRow number) in the order of `nos`, numbers without one skipped. */
export function inGivenOrder<T extends { no: number }>(nos: readonly number[], found: readonly T[]): T[] {
  const byNo = new Map(found.map((f) => [f.no, f]));
  return nos.flatMap((n) => (byNo.has(n) ? [byNo.get(n)!] : []));
}
