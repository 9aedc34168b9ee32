// TraceStore: the engine's TraceSink on better-sqlite3 (DESIGN.md section 6). Events are numbered
// and packed as they arrive (batch.ts) and written in batches, each whole or not at all: on the
// writer thread for a file (writer-host.ts), so SQLite runs beside the simulation, or at once for
// an in-memory database. Queries wait for everything received to be committed, so they always see
// every event. One open store = one current capture (a run of a lab); reset() starts the next one.
import Database from 'better-sqlite3';
import type { CapturePointRef } from '../../shared/api/contract';
import type { DropReason, DropRecord, FrameEvent, FrameRow, KernelEvent, KernelEventType, TraceSink } from '../../shared/trace';
import { BatchPacker } from './batch';
import { CaptureState, type CaptureInfo, type CaptureMeta } from './capture-state';
import { collect, streamPcap, streamPcapng, type ExportSelection, type ExportSource, type PcapngExportOptions } from './export';
import { checkColumn, checkFrameEnd, chunkAtNo, ChunkReader, inGivenOrder, noAtPosition, nosSelection, type LoadedChunk, type RowSelection } from './chunks';
import type { ChunkColumns } from './column-filter';
import { COLUMN_NAMES, type ColumnName } from './columns';
import { Has } from '../../shared/filter/keys';
import { unpackData } from './kernel-data';
import { migrate, schemaVersionOf } from './migrations';
import { SCHEMA_VERSION } from './schema';
import { DEFAULT_WAL_POLICY, type WalPolicy } from './wal-policy';
import { InlineWriter, ThreadWriter, type TraceWriter } from './writer-host';

export interface TraceStoreOptions extends CaptureMeta {
  /** Buffered events that make a batch (default 2000). */
  batchSize?: number;
  /**
   * Where batches are written: 'thread' (the default for files) commits them on a writer thread;
   * 'inline' on this thread (the only choice for ':memory:').
   */
  writer?: 'thread' | 'inline';
  /** When the writer thread's WAL is copied into the file (tests shrink it; DEFAULT_WAL_POLICY). */
  wal?: Partial<WalPolicy>;
  /**
   * Open an existing trace file to read it only (export, inspection): nothing is written to it, so
   * it must already be at this version's schema and hold a capture.
   */
  readOnly?: boolean;
}

export interface FrameListQuery {
  offset: number;
  limit: number;
  /** false (default): each frame once, at its first capture point; true: every capture point. */
  allCapturePoints?: boolean;
}

/** A capture point's view: one machine's NICs, or one NIC. */
export type CapturePointQuery = CapturePointRef;

/** One frame of the default view as a display filter reads it. */
export interface ScannedFrame {
  /** Its 1-based position in the default view. */
  position: number;
  no: number;
  frameId: number;
  machine: string;
  nic: string;
  dir: 'rx' | 'tx';
  timeNs: number;
  /** Length on the wire. */
  length: number;
  /** A view of the row's bytes (valid until the next query). */
  bytes: Uint8Array;
  /** Drop reasons recorded for this frame. */
  drops: string[];
}

/** One chunk's columns for a columnar filter; rows are FrameRow.no firstNo .. firstNo + rows - 1. */
export interface ColumnChunk {
  firstNo: number;
  rows: number;
  cols: ChunkColumns;
  /** Row i's place and bytes (a view), for a row the columns cannot answer. */
  row(i: number): { machine: string; nic: string; dir: 'tx' | 'rx'; bytes: Uint8Array };
}

export interface KernelEventQuery {
  frameId?: number;
  type?: KernelEventType;
  machine?: string;
  offset?: number;
  limit?: number;
}

export const NAPI_REQUIRED_MESSAGE =
  "better-sqlite3 13 needs Node >= 22.14 (N-API 10); run through npm scripts, which use the project's own Node 22";

/** Throws a clear error where better-sqlite3 13 would crash (N-API < 10, e.g. Node 20). */
export function assertNapi10(versions: { napi?: string; node?: string } = process.versions): void {
  if (!(Number(versions.napi) >= 10)) {
    throw new Error(`${NAPI_REQUIRED_MESSAGE} (this is Node ${versions.node ?? '?'}, N-API ${versions.napi ?? 'none'})`);
  }
}

export class TraceStore implements TraceSink {
  private readonly writer: TraceWriter;
  private cap: CaptureState;
  private readonly packer = new BatchPacker();
  private readonly batchSize: number;
  private readonly chunks: ChunkReader;
  private readonly stmt: {
    drops: Database.Statement;
    scanDrops: Database.Statement;
  };

  private constructor(private readonly db: Database.Database, path: string, opts: TraceStoreOptions) {
    this.batchSize = Math.max(1, opts.batchSize ?? 2000);
    if (opts.readOnly) {
      checkReadable(db);
      this.cap = CaptureState.latest(db);
    } else {
      migrate(db);
      this.cap = CaptureState.current(db, opts);
    }
    this.writer = opts.writer === 'thread' ? new ThreadWriter(path, { ...DEFAULT_WAL_POLICY, ...opts.wal }) : new InlineWriter(db);
    this.chunks = new ChunkReader(db);
    this.stmt = {
      // The type as a literal, so SQLite picks the partial index kernel_event_drop.
      drops: db.prepare(`SELECT time_ns, machine, reason, frame_id, text FROM kernel_event WHERE capture = ? AND type = 'drop' ORDER BY id LIMIT ? OFFSET ?`).raw(true),
      scanDrops: db.prepare(`SELECT frame_id, reason FROM kernel_event WHERE capture = ? AND type = 'drop' AND frame_id BETWEEN ? AND ?`).raw(true),
    };
  }

  /**
   * Open (or create) a trace database; ':memory:' for one that lives with the process. A file that
   * already holds captures continues its latest one.
   */
  static open(path: string, opts: TraceStoreOptions = {}): TraceStore {
    assertNapi10();
    const inMemory = path === ':memory:' || path === '';
    if (inMemory && opts.writer === 'thread') throw new Error('an in-memory trace cannot have a writer thread (it needs a file)');
    if (opts.readOnly && inMemory) throw new Error('a read-only trace needs a file');
    const db = opts.readOnly ? new Database(path, { readonly: true, fileMustExist: true }) : new Database(path);
    try {
      // Reads through a memory map: a filter's column blobs are read without copying each page
      // through SQLite's cache (a 1M-frame filter: 70 -> 40 ms). Pages still in the WAL are read as usual.
      if (!inMemory) db.pragma('mmap_size = 2147418112');
      if (!inMemory && !opts.readOnly) {
        // Chunks are blobs of hundreds of KB: big pages cut their overflow chains (a no-op on an existing file).
        db.pragma('page_size = 65536');
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
      }
      return new TraceStore(db, path, { ...opts, writer: opts.readOnly ? 'inline' : (opts.writer ?? (inMemory ? 'inline' : 'thread')) });
    } catch (err) {
      db.close();
      throw err;
    }
  }

  // ---- TraceSink ----

  frame(e: FrameEvent): void {
    this.packer.addFrame(this.cap, e);
    if (this.packer.pending >= this.batchSize) this.submit();
  }

  kernel(e: KernelEvent): void {
    if (e.type === 'drop') this.cap.drops++;
    this.packer.addKernel(e);
    if (this.packer.pending >= this.batchSize) this.submit();
  }

  /** Events buffered and not yet handed to the writer. */
  get pending(): number {
    return this.packer.pending;
  }

  /** Hand the buffer to the writer without waiting for the commit; returns the number of events. */
  submit(): number {
    const n = this.packer.pending;
    if (n > 0) this.writer.submit(this.packer.take(this.cap, this.writer.spare()));
    return n;
  }

  /**
   * Hand the buffer over and wait until everything received is committed; returns the number of
   * events handed over by this call. When a batch failed, it, the batches the writer thread was
   * committing with it and the batches after it are lost (never half-written: each commit is one
   * transaction), the numbering continues from what was committed,
   * and the error is thrown.
   */
  flush(): number {
    const n = this.submit();
    const errors = this.writer.sync();
    if (errors.length > 0) {
      this.cap = CaptureState.current(this.db, {});
      this.chunks.clear();
      this.writer.resume();
      throw new Error(`trace write failed: ${errors.join('; ')}`);
    }
    return n;
  }

  // ---- queries (current capture) ----

  capture(): CaptureInfo {
    const r = this.db.prepare('SELECT id, lab, seed, started_wall_ms AS startedWallMs FROM capture WHERE id = ?').get(this.cap.id);
    return r as CaptureInfo;
  }

  /** The capture points of the current capture, in order of their first frame. */
  capturePoints(): { machine: string; nic: string }[] {
    return [...this.cap.points.values()].map((p) => ({ machine: p.machine, nic: p.nic }));
  }

  /** Frames received so far (committed or not). */
  countFrames(q: { allCapturePoints?: boolean } = {}): number {
    return q.allCapturePoints ? this.cap.total : this.cap.firstCount;
  }

  /** Drops reported so far in the current capture (committed or not). */
  countDrops(): number {
    return this.cap.drops;
  }

  /** Drops of the current capture in order: the `offset`th (0-based) and up to `limit` after it. */
  listDrops(q: { offset: number; limit: number }): DropRecord[] {
    checkRange('listDrops', 'offset', q.offset);
    checkRange('listDrops', 'limit', q.limit);
    this.flush();
    const rows = this.stmt.drops.all(this.cap.id, q.limit, q.offset) as [number, string, DropReason | null, number | null, string][];
    return rows.map(([atNs, machine, reason, frameId, text], i) => {
      const d: DropRecord = { index: q.offset + i, atNs, machine, reason: reason ?? 'NOT_SPECIFIED', text };
      if (frameId !== null) d.frameId = frameId;
      return d;
    });
  }

  /** One page of the packet list: found through the chunks' positions (no OFFSET scan). */
  listFrames(q: FrameListQuery): FrameRow[] {
    checkRange('listFrames', 'offset', q.offset);
    checkRange('listFrames', 'limit', q.limit);
    this.flush();
    const c = this.cap;
    const rows: FrameRow[] = [];
    if (q.limit === 0) return rows;
    if (q.allCapturePoints) {
      this.walk({ kind: 'all' }, c.base + q.offset, (chunk, i, no) => rows.push(this.toRow(chunk, i, no)) < q.limit);
    } else {
      const start = noAtPosition(c.chunks, this.chunks, c.id, q.offset + 1);
      if (start !== undefined) this.walk({ kind: 'view' }, start - 1, (chunk, i, no) => rows.push(this.toRow(chunk, i, no)) < q.limit);
    }
    return this.withDrops(rows);
  }

  /**
   * The default view's frames after position `after` (0-based count of rows already seen), in
   * order, with their bytes and drops: what a display filter reads (main/trace/filter-view.ts).
   */
  scanFrames(after: number, limit: number): ScannedFrame[] {
    checkRange('scanFrames', 'offset', after);
    checkRange('scanFrames', 'limit', limit);
    this.flush();
    const start = noAtPosition(this.cap.chunks, this.chunks, this.cap.id, after + 1);
    if (start === undefined || limit === 0) return [];
    return this.scanned({ kind: 'view' }, start - 1, limit, (chunk, i) => chunk.col('pos')[i]!);
  }

  /**
   * Capture rows at one machine (every NIC) or one NIC, after row `afterNo` (a FrameRow.no), in
   * capture order, with bytes and drops: what a display filter reads in a capture point's view.
   * `position` is the row's FrameRow.no.
   */
  scanPoint(point: CapturePointQuery, afterNo: number, limit: number): ScannedFrame[] {
    checkRange('scanPoint', 'offset', afterNo);
    checkRange('scanPoint', 'limit', limit);
    this.flush();
    const ids = this.pointIds(point);
    if (ids.size === 0 || limit === 0) return [];
    return this.scanned({ kind: 'ifaces', ids }, afterNo + this.cap.base, limit, (_c, _i, no) => no - this.cap.base);
  }

  /**
   * The named columns of up to `count` chunks from the one holding the row after FrameRow.no
   * `afterNo`, in order: what a columnar filter reads (column-filter.ts). `row(i)` reads a row as
   * scanFrames does (bytes and all), for the rows columns cannot answer.
   */
  columnChunks(names: readonly ColumnName[], afterNo: number, count: number): ColumnChunk[] {
    checkRange('columnChunks', 'offset', afterNo);
    this.flush();
    const c = this.cap;
    return this.chunks.columnsOf(c.id, c.chunks, chunkAtNo(c.chunks, afterNo + c.base + 1), count, names).map(({ meta, cols }) => ({
      firstNo: meta.firstNo - c.base,
      rows: meta.rows,
      cols: Object.fromEntries(cols) as ChunkColumns,
      row: (i: number) => {
        const chunk = this.chunks.chunk(c.id, meta);
        return { ...this.placeOf(chunk, i), bytes: chunk.bytes(i) };
      },
    }));
  }

  /** The capture point of an interface id of the current capture. */
  pointOf(iface: number): { machine: string; nic: string } | undefined {
    return this.cap.points.get(iface);
  }

  /** Interface ids of a capture point (one machine's NICs, or one NIC). */
  pointIds(point: CapturePointQuery): Set<number> {
    return new Set([...this.cap.points].filter(([, p]) => p.machine === point.machine && (point.nic === undefined || p.nic === point.nic)).map(([id]) => id));
  }

  /** Frames of the default view by FrameRow.no, as scanFrames reads them, in the order given (unknown numbers skipped). */
  framesByNo(nos: readonly number[]): ScannedFrame[] {
    this.flush();
    const found = this.scanned(this.selectNos(nos), this.cap.base, Infinity, (chunk, i) => chunk.col('pos')[i]!);
    return inGivenOrder(nos, found.map((f) => ({ ...f, bytes: new Uint8Array(f.bytes) })));
  }

  private selectNos(nos: readonly number[]): RowSelection {
    return nosSelection(this.cap.base, this.cap.total, nos);
  }

  /** Visit the selected rows of the current capture after frame.no `afterNo`, in order, until `visit` returns false. */
  private walk(sel: RowSelection, afterNo: number, visit: (c: LoadedChunk, i: number, no: number) => boolean | void): void {
    this.chunks.walk(this.cap.id, this.cap.chunks, sel, afterNo, visit);
  }

  /**
   * Up to `limit` selected rows after frame.no `afterNo` as ScannedFrames (bytes are views), with
   * their drops. Rows whose `position` is 0 (a frame's copies, when it is read from `pos`) are skipped.
   */
  private scanned(sel: RowSelection, afterNo: number, limit: number, position: (c: LoadedChunk, i: number, no: number) => number): ScannedFrame[] {
    const out: ScannedFrame[] = [];
    this.walk(sel, afterNo, (c, i, no) => {
      const pos = position(c, i, no);
      if (pos === 0) return true;
      out.push({
        position: pos,
        no: no - this.cap.base,
        frameId: c.col('frameId')[i]!,
        ...this.placeOf(c, i),
        timeNs: c.col('at')[i]!,
        length: c.col('length')[i]!,
        bytes: c.bytes(i),
        drops: [],
      });
      return out.length < limit;
    });
    if (out.length === 0 || this.cap.drops === 0) return out;
    const drops = this.dropsOf(out.map((f) => f.frameId));
    for (const f of out) f.drops = drops.get(f.frameId) ?? [];
    return out;
  }

  /** Packet-list rows by FrameRow.no (any capture point), in the order given; unknown numbers are skipped. */
  rowsByNo(nos: readonly number[]): FrameRow[] {
    if (nos.length === 0) return [];
    this.flush();
    const rows: FrameRow[] = [];
    this.walk(this.selectNos(nos), this.cap.base, (c, i, no) => void rows.push(this.toRow(c, i, no)));
    return inGivenOrder(nos, this.withDrops(rows));
  }

  /**
   * A frame by its FrameRow.no, with a copy of its bytes and its TCP stream (the default view's
   * numbering, which its copies at other capture points share).
   */
  getFrame(no: number): { row: FrameRow; bytes: Uint8Array; tcpStream?: number } | null {
    this.flush();
    const found: { row: FrameRow; bytes: Uint8Array; tcpStream?: number }[] = [];
    this.walk(this.selectNos([no]), this.cap.base, (c, i, n) => {
      const f: (typeof found)[number] = { row: this.toRow(c, i, n), bytes: new Uint8Array(c.bytes(i)) };
      if (c.col('has')[i]! & Has.TCP) f.tcpStream = c.col('stream')[i]!;
      found.push(f);
    });
    if (found.length === 0) return null;
    this.withDrops([found[0]!.row]);
    return found[0]!;
  }

  /**
   * A quick check of the current capture's frames, for viewing a trace file in place: the chunks
   * follow each other without a gap (rows and default-view positions), every chunk has all its
   * columns at its row count, and every frame's bytes lie inside its chunk. It reads column sizes and two columns, not the frames (a 1M-frame trace: tens of ms).
   * Kernel records are checked as they are read: an unreadable one is named then (kernelEventOf).
   */
  verify(): void {
    this.flush();
    const id = this.cap.id;
    const sizes = new Map(this.db.prepare('SELECT first_no, length(bytes) FROM frame_chunk WHERE capture = ?').raw(true).all(id) as [number, number][]);
    const columns = new Map<number, Map<string, number>>();
    for (const [chunk, name, size] of this.db.prepare('SELECT chunk, name, length(data) FROM frame_column WHERE capture = ?').raw(true).iterate(id) as Iterable<[number, string, number]>) {
      let m = columns.get(chunk);
      if (!m) columns.set(chunk, (m = new Map()));
      m.set(name, size);
    }
    let no = this.cap.base + 1;
    let pos = 0;
    for (const meta of this.cap.chunks) {
      if (meta.firstNo !== no || meta.firstPos !== pos) throw new Error(`trace chunk ${meta.firstNo}: it follows rows up to ${no - 1} (default view ${pos}), but starts at row ${meta.firstNo} (default view ${meta.firstPos + 1}): a chunk is missing or damaged`);
      no += meta.rows;
      pos += meta.viewRows;
      for (const name of COLUMN_NAMES) checkColumn(meta.firstNo, name, columns.get(meta.firstNo)?.get(name), meta.rows);
    }
    const STEP = 64; // chunks whose two columns are read at once
    for (let from = 0; from < this.cap.chunks.length; from += STEP) {
      for (const { meta, cols } of this.chunks.columnsOf(id, this.cap.chunks, from, STEP, ['offset', 'length'], false)) {
        const off = cols.get('offset') as Uint32Array;
        const len = cols.get('length') as Uint32Array;
        const size = sizes.get(meta.firstNo)!;
        for (let i = 0; i < meta.rows; i++) checkFrameEnd(meta.firstNo, i, off[i]! + len[i]!, size);
      }
    }
  }

  /** Kernel events of the current capture in the order they were reported. */
  kernelEvents(q: KernelEventQuery = {}): KernelEvent[] {
    this.flush();
    const where = ['capture = @capture'];
    const params: Record<string, number | string> = { capture: this.cap.id, limit: q.limit ?? -1, offset: q.offset ?? 0 };
    if (q.frameId !== undefined) {
      where.push('frame_id = @frameId');
      params.frameId = q.frameId;
    }
    if (q.machine !== undefined) {
      where.push('machine = @machine');
      params.machine = q.machine;
    }
    if (q.type !== undefined) {
      // A literal, not a parameter: SQLite uses a partial index (kernel_event_log) only when the
      // query names its condition. Types are lower-case words; anything else matches nothing.
      where.push(/^[a-z]+$/.test(q.type) ? `type = '${q.type}'` : '0');
    }
    const sql = `SELECT ${KERNEL_ROW} FROM ${KERNEL_EVENTS} WHERE ${where.join(' AND ')} ORDER BY id LIMIT @limit OFFSET @offset`;
    return (this.db.prepare(sql).raw(true).all(params) as KernelRow[]).map(kernelEventOf);
  }

  // ---- lifecycle ----

  /**
   * Start a new, empty capture (a lab reset). Events still buffered belong to the old run and are
   * written to it first. Unless keepPrevious, the earlier captures are deleted, so an in-memory
   * store does not grow with every reset.
   */
  reset(meta: CaptureMeta & { keepPrevious?: boolean } = {}): void {
    this.flush();
    this.db.transaction(() => {
      if (!meta.keepPrevious) {
        for (const t of ['frame_column', 'frame_chunk', 'kernel_event', 'kernel_data', 'interface', 'capture']) this.db.exec(`DELETE FROM ${t}`);
      }
      this.cap = CaptureState.create(this.db, meta);
    })();
    this.chunks.clear();
  }

  exportPcapng(opts: PcapngExportOptions & ExportSelection = {}): Uint8Array {
    return collect((sink) => this.streamPcapng(opts, sink));
  }

  /** Classic pcap of the default view (each frame once): it has no interfaces or comments. */
  exportPcap(sel: ExportSelection = {}): Uint8Array {
    return collect((sink) => this.streamPcap(sel, sink));
  }

  /** exportPcapng in pieces through `sink` (each a view valid during the call): for files of any size. */
  streamPcapng(opts: PcapngExportOptions & ExportSelection, sink: (bytes: Uint8Array) => void): void {
    this.flush();
    streamPcapng(this.exportSource(), opts, sink);
  }

  /** exportPcap in pieces through `sink`. */
  streamPcap(sel: ExportSelection, sink: (bytes: Uint8Array) => void): void {
    this.flush();
    streamPcap(this.exportSource(), sel, sink);
  }

  private exportSource(): ExportSource {
    return { db: this.db, cap: this.cap, walk: (sel, visit) => this.walk(sel, this.cap.base, visit) };
  }

  /** Run `fn` on one snapshot of the database (a read transaction): a trace still being written elsewhere cannot change under it. */
  snapshot<T>(fn: () => T): T {
    this.flush();
    return this.db.transaction(fn).deferred();
  }

  /** Flush and close; the store is unusable afterwards. */
  close(): void {
    if (!this.db.open) return;
    try {
      this.flush();
    } finally {
      try {
        this.writer.close();
      } finally {
        this.db.close();
      }
    }
  }

  /** The drop reasons of these frames, by frame id (one query over their id range; frames never dropped are absent). */
  dropsOf(ids: ArrayLike<number>): Map<number, string[]> {
    const drops = new Map<number, string[]>();
    if (ids.length === 0 || this.cap.drops === 0) return drops;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < ids.length; i++) {
      lo = Math.min(lo, ids[i]!);
      hi = Math.max(hi, ids[i]!);
    }
    for (const [frameId, reason] of this.stmt.scanDrops.all(this.cap.id, lo, hi) as [number, string | null][]) {
      const list = drops.get(frameId) ?? [];
      list.push(reason ?? 'NOT_SPECIFIED');
      drops.set(frameId, list);
    }
    return drops;
  }

  /** Rows with the first drop reason of each dropped frame. */
  private withDrops(rows: FrameRow[]): FrameRow[] {
    const drops = this.dropsOf(rows.map((r) => r.frameId));
    for (const r of rows) {
      const d = drops.get(r.frameId);
      if (d) r.drop = d[0]!;
    }
    return rows;
  }

  /** Where row i was captured: machine, NIC ('?' for an interface id the capture does not know) and direction. */
  private placeOf(c: LoadedChunk, i: number): { machine: string; nic: string; dir: 'tx' | 'rx' } {
    const p = this.cap.points.get(c.col('iface')[i]!);
    return { machine: p?.machine ?? '?', nic: p?.nic ?? '?', dir: c.col('dir')[i] === 1 ? 'tx' : 'rx' };
  }

  private toRow(c: LoadedChunk, i: number, no: number): FrameRow {
    const has = c.col('has')[i]!;
    const s = c.summary(i);
    const row: FrameRow = {
      no: no - this.cap.base,
      frameId: c.col('frameId')[i]!,
      first: c.col('pos')[i]! > 0,
      timeNs: c.col('at')[i]!,
      ...this.placeOf(c, i),
      length: c.col('length')[i]!,
      src: s.src,
      dst: s.dst,
      protocol: s.protocol,
      info: s.info,
    };
    if (has & Has.TCP) row.tcpFlags = c.col('tcpFlags')[i]!;
    if (has & Has.ICMP) row.icmpType = c.col('icmpType')[i]!;
    return row;
  }
}

/** A read-only open cannot migrate: the file must be a trace at this version's schema. */
function checkReadable(db: Database.Database): void {
  const version = schemaVersionOf(db);
  if (version === null) throw new Error('it has no trace schema (not written by Packet Lab)');
  if (version > SCHEMA_VERSION) throw new Error(`it was written by a newer Packet Lab (trace schema ${version}; this one reads up to ${SCHEMA_VERSION})`);
  if (version !== SCHEMA_VERSION) {
    throw new Error(`its trace schema is version ${version} and this Packet Lab reads version ${SCHEMA_VERSION} read-only (Packet Lab upgrades a copy when it opens or exports it; the file itself only when it writes to it)`);
  }
}

function checkRange(caller: string, name: string, v: number): void {
  if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${caller}: ${name} must be a non-negative integer, got ${v}`);
}

/** A kernel record whose stored data cannot be read (a damaged trace file): thrown when it is read. */
export class UnreadableRecordError extends Error {
  override name = 'UnreadableRecordError';
}

/** A kernel_event row as kernelEvents reads it. */
const KERNEL_ROW = 'id, time_ns, machine, type, reason, frame_id, text, data';
/** kernel_event with each event's data (kernel_data) beside it. */
const KERNEL_EVENTS = 'kernel_event LEFT JOIN kernel_data USING (data_id)';
type KernelRow = [number, number, string, KernelEventType, DropReason | null, number | null, string, string | null];

function kernelEventOf([id, at, machine, type, reason, frameId, text, data]: KernelRow): KernelEvent {
  const e: KernelEvent = { at, machine, type, text };
  if (reason !== null) e.reason = reason;
  if (frameId !== null) e.frameId = frameId;
  if (data !== null) {
    try {
      e.data = unpackData(data, { frameId, machine, at, text });
    } catch (err) {
      throw new UnreadableRecordError(`kernel event ${id} (${type} on ${machine} at ${at} ns): its data is not readable: ${(err as Error).message}`);
    }
  }
  return e;
}
