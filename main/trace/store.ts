// TraceStore: the engine's TraceSink on better-sqlite3 (DESIGN.md section 6). Events are numbered
// and packed as they arrive (batch.ts) and written in batches, one transaction each: on the writer
// thread for a file (writer-host.ts), so SQLite runs beside the simulation, or at once for an
// in-memory database. Queries wait for everything received to be committed, so they always see
// every event. One open store = one current capture (a run of a lab); reset() starts the next one.
import Database from 'better-sqlite3';
import type { CapturePointRef } from '../../shared/api/contract';
import type { DropReason, DropRecord, FrameEvent, FrameRow, KernelEvent, KernelEventType, TraceSink } from '../../shared/trace';
import { BatchPacker } from './batch';
import { CaptureState, type CaptureInfo, type CaptureMeta } from './capture-state';
import { exportPcap, exportPcapng, type ExportSelection, type PcapngExportOptions } from './export';
import { holderBytes } from './holder-bytes';
import { migrate } from './migrations';
import { FRAME_BYTES, frameColumn, SCHEMA_VERSION } from './schema';
import { InlineWriter, ThreadWriter, type TraceWriter } from './writer-host';

export interface TraceStoreOptions extends CaptureMeta {
  /** Buffered events that make a batch (default 2000). */
  batchSize?: number;
  /**
   * Where batches are written: 'thread' (the default for files) commits them on a writer thread;
   * 'inline' on this thread (the only choice for ':memory:').
   */
  writer?: 'thread' | 'inline';
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

type ScanRow = [number, number, number, number, 'rx' | 'tx', number, number, Uint8Array];

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

const SCAN_COLUMNS = `first_no, no, frame_id, interface, dir, time_ns, length, ${FRAME_BYTES}`;
const ROW_COLUMNS = `no, frame_id, first, time_ns, interface, dir, length, ${['src', 'dst', 'protocol', 'info', 'tcp_flags', 'icmp_type'].map(frameColumn).join(', ')}`;
type RawRow = [number, number, 0 | 1, number, number, 'rx' | 'tx', number, string, string, string, string, number | null, number | null];
/** Where FRAME_BYTES lands after ROW_COLUMNS. */
const ROW_BYTES = 13;

export class TraceStore implements TraceSink {
  private readonly writer: TraceWriter;
  private cap: CaptureState;
  private readonly packer = new BatchPacker();
  private readonly batchSize: number;
  private readonly stmt: {
    listAll: Database.Statement;
    listFirst: Database.Statement;
    get: Database.Statement;
    drops: Database.Statement;
    scan: Database.Statement;
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
    this.writer = opts.writer === 'thread' ? new ThreadWriter(path) : new InlineWriter(db);
    this.stmt = {
      listAll: db.prepare(`SELECT ${ROW_COLUMNS} FROM frame WHERE capture = ? AND no > ? AND no <= ? ORDER BY no LIMIT ?`).raw(true),
      listFirst: db.prepare(`SELECT ${ROW_COLUMNS} FROM frame WHERE capture = ? AND first_no > ? ORDER BY first_no LIMIT ?`).raw(true),
      get: db.prepare(`SELECT ${ROW_COLUMNS}, ${FRAME_BYTES} FROM frame WHERE capture = ? AND no = ?`).raw(true),
      // The type as a literal, so SQLite picks the partial index kernel_event_drop.
      drops: db.prepare(`SELECT time_ns, machine, reason, frame_id, text FROM kernel_event WHERE capture = ? AND type = 'drop' ORDER BY id LIMIT ? OFFSET ?`).raw(true),
      scan: db.prepare(`SELECT ${SCAN_COLUMNS} FROM frame WHERE capture = ? AND first_no > ? ORDER BY first_no LIMIT ?`).raw(true),
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
      if (!inMemory && !opts.readOnly) {
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
    if (n > 0) this.writer.submit(this.packer.take(this.cap.id));
    return n;
  }

  /**
   * Hand the buffer over and wait until everything received is committed; returns the number of
   * events handed over by this call. When a batch failed, it and the batches after it are lost
   * (never half-written: one transaction each), the numbering continues from what was committed,
   * and the error is thrown.
   */
  flush(): number {
    const n = this.submit();
    const errors = this.writer.sync();
    if (errors.length > 0) {
      this.cap = CaptureState.current(this.db, {});
      this.packer.forgetHolders();
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
    checkRange('offset', q.offset);
    checkRange('limit', q.limit);
    this.flush();
    const rows = this.stmt.drops.all(this.cap.id, q.limit, q.offset) as [number, string, DropReason | null, number | null, string][];
    return rows.map(([atNs, machine, reason, frameId, text], i) => {
      const d: DropRecord = { index: q.offset + i, atNs, machine, reason: reason ?? 'NOT_SPECIFIED', text };
      if (frameId !== null) d.frameId = frameId;
      return d;
    });
  }

  /** One page of the packet list, keyed by number (no OFFSET scan). */
  listFrames(q: FrameListQuery): FrameRow[] {
    checkRange('offset', q.offset);
    checkRange('limit', q.limit);
    this.flush();
    const c = this.cap;
    const rows = (
      q.allCapturePoints
        ? this.stmt.listAll.all(c.id, c.base + q.offset, c.base + c.total, q.limit)
        : this.stmt.listFirst.all(c.id, q.offset, q.limit)
    ) as RawRow[];
    return this.toRows(rows);
  }

  /**
   * The default view's frames after position `after` (0-based count of rows already seen), in
   * order, with their bytes and drops: what a display filter reads (main/trace/filter-view.ts).
   */
  scanFrames(after: number, limit: number): ScannedFrame[] {
    checkRange('offset', after);
    checkRange('limit', limit);
    this.flush();
    return this.scanned(this.stmt.scan.all(this.cap.id, after, limit) as ScanRow[]);
  }

  /**
   * Capture rows at one machine (every NIC) or one NIC, after row `afterNo` (a FrameRow.no), in
   * capture order, with bytes and drops: what a display filter reads in a capture point's view.
   * `position` is the row's FrameRow.no.
   */
  scanPoint(point: CapturePointQuery, afterNo: number, limit: number): ScannedFrame[] {
    checkRange('offset', afterNo);
    checkRange('limit', limit);
    this.flush();
    const ids = [...this.cap.points].filter(([, p]) => p.machine === point.machine && (point.nic === undefined || p.nic === point.nic)).map(([id]) => id);
    if (ids.length === 0) return [];
    const rows = this.db
      .prepare(`SELECT no - @base, no, frame_id, interface, dir, time_ns, length, ${FRAME_BYTES} FROM frame WHERE capture = @capture AND no > @after AND interface IN (${ids.join(',')}) ORDER BY no LIMIT @limit`)
      .raw(true)
      .all({ base: this.cap.base, capture: this.cap.id, after: afterNo + this.cap.base, limit }) as ScanRow[];
    return this.scanned(rows);
  }

  /** Frames of the default view by FrameRow.no, as scanFrames reads them, in the order given (unknown numbers skipped). */
  framesByNo(nos: readonly number[]): ScannedFrame[] {
    this.flush();
    const out: ScannedFrame[] = [];
    for (let i = 0; i < nos.length; i += 500) {
      const part = nos.slice(i, i + 500);
      const rows = this.db
        .prepare(`SELECT ${SCAN_COLUMNS} FROM frame WHERE capture = ? AND first_no IS NOT NULL AND no IN (${part.map(() => '?').join(',')})`)
        .raw(true)
        .all(this.cap.id, ...part.map((n) => n + this.cap.base)) as ScanRow[];
      const byNo = new Map(this.scanned(rows).map((f) => [f.no, { ...f, bytes: new Uint8Array(f.bytes) }]));
      for (const n of part) if (byNo.has(n)) out.push(byNo.get(n)!);
    }
    return out;
  }

  private scanned(rows: ScanRow[]): ScannedFrame[] {
    if (rows.length === 0) return [];
    const drops = new Map<number, string[]>();
    const ids = rows.map((r) => r[2]);
    for (const [frameId, reason] of this.stmt.scanDrops.all(this.cap.id, Math.min(...ids), Math.max(...ids)) as [number, string | null][]) {
      const list = drops.get(frameId) ?? [];
      list.push(reason ?? 'NOT_SPECIFIED');
      drops.set(frameId, list);
    }
    return rows.map(([position, no, frameId, iface, dir, timeNs, length, bytes]) => {
      const p = this.cap.points.get(iface);
      return { position, no: no - this.cap.base, frameId, machine: p?.machine ?? '', nic: p?.nic ?? '', dir, timeNs, length, bytes, drops: drops.get(frameId) ?? [] };
    });
  }

  /** Packet-list rows by FrameRow.no (any capture point), in the order given; unknown numbers are skipped. */
  rowsByNo(nos: readonly number[]): FrameRow[] {
    if (nos.length === 0) return [];
    this.flush();
    const rows = this.db
      .prepare(`SELECT ${ROW_COLUMNS} FROM frame WHERE capture = ? AND no IN (${nos.map(() => '?').join(',')})`)
      .raw(true)
      .all(this.cap.id, ...nos.map((n) => n + this.cap.base)) as RawRow[];
    const byNo = new Map(this.toRows(rows).map((r) => [r.no, r]));
    return nos.flatMap((n) => (byNo.has(n) ? [byNo.get(n)!] : []));
  }

  /** A frame by its FrameRow.no, with a copy of its bytes. */
  getFrame(no: number): { row: FrameRow; bytes: Uint8Array } | null {
    if (!Number.isSafeInteger(no) || no < 1) return null;
    this.flush();
    const r = this.stmt.get.get(this.cap.id, this.cap.base + no) as [...RawRow, Uint8Array] | undefined;
    if (!r) return null;
    return { row: this.toRows([r as unknown as RawRow])[0]!, bytes: new Uint8Array(r[ROW_BYTES]) };
  }

  /**
   * Every capture row of the current capture as the sink received it, in order: what copying a
   * trace into another store replays (trace-import.ts).
   */
  *replayFrames(): Iterable<FrameEvent> {
    this.flush();
    const rows = this.db
      .prepare(`SELECT frame_id, first, time_ns, interface, dir, bytes, bytes_of, no FROM frame WHERE capture = ? ORDER BY no`)
      .raw(true)
      .iterate(this.cap.id) as Iterable<[number, 0 | 1, number, number, 'rx' | 'tx', Uint8Array | null, number | null, number]>;
    const bytesOf = holderBytes(this.db);
    for (const [frameId, first, at, iface, dir, own, holder, no] of rows) {
      // The same array for a frame's copies, so the receiving store keeps its bytes once too.
      const bytes = bytesOf(no, own, holder);
      const p = this.cap.points.get(iface);
      yield { at, frameId, first: first === 1, machine: p?.machine ?? '?', nic: p?.nic ?? '?', dir, bytes };
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
    const sql = `SELECT time_ns, machine, type, reason, frame_id, text, data FROM kernel_event WHERE ${where.join(' AND ')} ORDER BY id LIMIT @limit OFFSET @offset`;
    const rows = this.db.prepare(sql).raw(true).all(params) as [number, string, KernelEventType, DropReason | null, number | null, string, string | null][];
    return rows.map(([at, machine, type, reason, frameId, text, data]) => {
      const e: KernelEvent = { at, machine, type, text };
      if (reason !== null) e.reason = reason;
      if (frameId !== null) e.frameId = frameId;
      if (data !== null) e.data = JSON.parse(data);
      return e;
    });
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
        for (const t of ['frame', 'kernel_event', 'interface', 'capture']) this.db.exec(`DELETE FROM ${t}`);
      }
      this.cap = CaptureState.create(this.db, meta);
    })();
    this.packer.forgetHolders();
  }

  exportPcapng(opts: PcapngExportOptions & ExportSelection = {}): Uint8Array {
    this.flush();
    return exportPcapng(this.db, this.cap, opts);
  }

  /** Classic pcap of the default view (each frame once): it has no interfaces or comments. */
  exportPcap(sel: ExportSelection = {}): Uint8Array {
    this.flush();
    return exportPcap(this.db, this.cap, sel);
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

  /** Rows with the first drop reason of each dropped frame (one query for the page). */
  private toRows(raw: RawRow[]): FrameRow[] {
    if (raw.length === 0) return [];
    const rows = raw.map((r) => this.toRow(r));
    if (this.cap.drops === 0) return rows;
    const ids = rows.map((r) => r.frameId);
    const drops = new Map<number, string>();
    for (const [frameId, reason] of this.stmt.scanDrops.all(this.cap.id, Math.min(...ids), Math.max(...ids)) as [number, string | null][]) {
      if (!drops.has(frameId)) drops.set(frameId, reason ?? 'NOT_SPECIFIED');
    }
    for (const r of rows) {
      const d = drops.get(r.frameId);
      if (d !== undefined) r.drop = d;
    }
    return rows;
  }

  private toRow(r: RawRow): FrameRow {
    const p = this.cap.points.get(r[4]);
    const row: FrameRow = {
      no: r[0] - this.cap.base,
      frameId: r[1],
      first: r[2] === 1,
      timeNs: r[3],
      machine: p?.machine ?? '?',
      nic: p?.nic ?? '?',
      dir: r[5],
      length: r[6],
      src: r[7],
      dst: r[8],
      protocol: r[9],
      info: r[10],
    };
    if (r[11] !== null) row.tcpFlags = r[11];
    if (r[12] !== null) row.icmpType = r[12];
    return row;
  }
}

/** A read-only open cannot migrate: the file must be a trace at this version's schema. */
function checkReadable(db: Database.Database): void {
  const meta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get();
  const row = meta ? (db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined) : undefined;
  if (!row) throw new Error('it has no trace schema (not written by Packet Lab)');
  if (Number(row.value) !== SCHEMA_VERSION) {
    throw new Error(`its trace schema is version ${row.value} and this Packet Lab reads version ${SCHEMA_VERSION} read-only (open it once without read-only to upgrade it)`);
  }
}

function checkRange(name: string, v: number): void {
  if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`listFrames: ${name} must be a non-negative integer, got ${v}`);
}
