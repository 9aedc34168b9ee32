// Write packed batches (batch.ts): prepared statements made once, one transaction per call (one
// batch, or those the writer thread groups).
// A batch's frames become one chunk (schema V9): a frame_chunk row with the frames' bytes (each
// once), and one frame_column row per column (columns.ts). Each frame's keys are computed once, in
// capture order, from its first capture point's row; its copies at other capture points share
// them. Kernel events stay one row each; their data texts are stored once each (kernel_data, V11).
// Runs on the writer thread, or on the store's own thread for in-memory databases.
import type Database from 'better-sqlite3';
import { TcpConversations } from '../../shared/filter/eval';
import { emptyKeys, frameKeys } from '../../shared/filter/keys';
import { FRAME_FIELDS, KERNEL_FIELDS, KERNEL_STRINGS, type PackedBatch } from './batch';
import { allocColumns, COLUMN_NAMES, columnBlob, copyKeys, FIRST_ROW, setKeys, type Columns } from './columns';

/** Rows per multi-row INSERT: one statement step for many rows is cheaper than one per row. */
const ROWS_PER_INSERT = 16;

const insert = (table: string, columns: string, params: number, rows: number): string =>
  `INSERT INTO ${table} (${columns}) VALUES ${Array.from({ length: rows }, () => `(${Array(params).fill('?').join(', ')})`).join(', ')}`;

const KERNEL_COLUMNS = 'capture, time_ns, machine, type, reason, frame_id, text, data_id';
const KERNEL_PARAMS = 8;
const INSERT_INTERFACE = 'INSERT INTO interface (id, capture, machine, nic) VALUES (?, ?, ?, ?)';
const INSERT_CHUNK = 'INSERT INTO frame_chunk (capture, first_no, rows, first_pos, view_rows, bytes) VALUES (?, ?, ?, ?, ?, ?)';
const INSERT_COLUMN = 'INSERT INTO frame_column (capture, chunk, name, data) VALUES (?, ?, ?, ?)';
const INSERT_DATA = 'INSERT INTO kernel_data (data) VALUES (?)';
const DATA_ID = 'SELECT data_id FROM kernel_data WHERE data = ?';

/** Rows of one shape gathered into block inserts of ROWS_PER_INSERT. */
class RowBlocks {
  private readonly one: Database.Statement;
  private readonly block: Database.Statement;
  readonly params: unknown[];
  private filled = 0;

  constructor(db: Database.Database, table: string, columns: string, readonly width: number) {
    this.one = db.prepare(insert(table, columns, width, 1));
    this.block = db.prepare(insert(table, columns, width, ROWS_PER_INSERT));
    this.params = new Array(width * ROWS_PER_INSERT);
  }

  /** Where the next row's parameters go in `params`. */
  next(): number {
    return this.filled * this.width;
  }

  /** The row at next() is filled. */
  added(): void {
    if (++this.filled === ROWS_PER_INSERT) {
      this.block.run(this.params);
      this.filled = 0;
    }
  }

  flush(): void {
    for (let j = 0; j < this.filled; j++) this.one.run(this.params.slice(j * this.width, (j + 1) * this.width));
    this.filled = 0;
  }

  /** Forget rows not yet run (their transaction failed). */
  clear(): void {
    this.filled = 0;
  }
}

/** The first capture points' rows of a recent batch, by frame id: their copies may land in a later batch. */
interface Previous {
  cols: Columns;
  rowOf: Map<number, number>;
}

/** Recent batches whose first captures a copy can still find (a frame held in a deep switch queue). */
const RECENT_BATCHES = 4;

export class BatchWriter {
  /** The kernel-event statements, prepared when first needed: migrate-v9.ts writes frames with this writer at schema 9, before kernel_data exists. */
  private kernelStmts: { rows: RowBlocks; data: Database.Statement; dataId: Database.Statement } | null = null;
  private readonly interfaceStmt: Database.Statement;
  private readonly chunkStmt: Database.Statement;
  private readonly columnStmt: Database.Statement;
  private readonly writeTx: (batches: readonly PackedBatch[]) => void;
  /** The conversations of the capture being written (tcp.stream, relative numbers, FTP/HTTP), fed each frame once, in order. */
  private conv: { capture: number; tcp: TcpConversations; recent: Previous[] } | null = null;
  private readonly keys = emptyKeys();

  constructor(private readonly db: Database.Database) {
    this.interfaceStmt = db.prepare(INSERT_INTERFACE);
    this.chunkStmt = db.prepare(INSERT_CHUNK);
    this.columnStmt = db.prepare(INSERT_COLUMN);
    this.writeTx = db.transaction((batches: readonly PackedBatch[]) => {
      for (const b of batches) {
        for (const p of b.interfaces) this.interfaceStmt.run(p.id, b.capture, p.machine, p.nic);
        const written = this.writeFrames(b);
        if (written) {
          // Found by the copies in the next batches, this transaction's included.
          const recent = this.conv!.recent; // writeFrames set this capture's state
          recent.push(written);
          if (recent.length > RECENT_BATCHES) recent.shift();
        }
        this.writeKernels(b);
      }
    });
  }

  /**
   * Write the batches in one transaction: all of them or (on an error, which is thrown) none. One
   * commit for several batches costs less than one each: a commit rewrites the last, partly filled
   * page of every b-tree it adds to (writer-thread.ts groups the batches that wait).
   */
  write(batches: readonly PackedBatch[]): void {
    const before = this.conv;
    const recent = before ? [...before.recent] : [];
    try {
      this.writeTx(batches);
    } catch (err) {
      // The batches are lost: their rows are never found as first captures. The conversations keep
      // what they saw: numbering streams afresh would repeat numbers already stored.
      this.conv = before;
      if (before) before.recent = recent;
      this.kernelStmts?.rows.clear();
      throw err;
    }
  }

  private state(b: PackedBatch): NonNullable<BatchWriter['conv']> {
    if (b.startsCapture || this.conv?.capture !== b.capture) this.conv = { capture: b.capture, tcp: new TcpConversations(), recent: [] };
    return this.conv;
  }

  /** Copy the keys of this frame's first capture in a recent batch into row i; false when none is known. */
  private copyFromEarlier(state: NonNullable<BatchWriter['conv']>, frameId: number, cols: Columns, i: number): boolean {
    for (let k = state.recent.length - 1; k >= 0; k--) {
      const row = state.recent[k]!.rowOf.get(frameId);
      if (row === undefined) continue;
      copyKeys(state.recent[k]!.cols, row, cols, i);
      return true;
    }
    return false;
  }

  /** The batch's frames as a chunk; its first captures for the batches after it (null: none). */
  private writeFrames(b: PackedBatch): Previous | null {
    const n = b.frameCount;
    if (n === 0) return null;
    const f = b.frames;
    const state = this.state(b);
    const cols = allocColumns(n);
    const rowOf = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const r = i * FRAME_FIELDS;
      const frameId = f[r + 1]!;
      const pos = f[r + 2]!;
      const off = f[r + 6]!;
      const len = f[r + 7]!;
      const holder = f[r + 8]!;
      cols.frameId[i] = frameId;
      cols.pos[i] = pos;
      cols.at[i] = f[r + 3]!;
      cols.iface[i] = f[r + 4]!;
      cols.dir[i] = f[r + 5]!;
      cols.offset[i] = off;
      cols.length[i] = len;
      if (pos > 0) rowOf.set(frameId, i);
      if (holder !== i) {
        // A copy of a frame met earlier in this batch.
        copyKeys(cols, holder, cols, i);
      } else if (pos > 0) {
        // The frame's first capture.
        setKeys(cols, i, frameKeys(b.bytes, state.tcp, this.keys, off, off + len));
      } else {
        // A copy with bytes of its own (a routed hop), or in a later batch: its frame's keys when
        // the first capture is known; else numbered as a frame of its own.
        const first = rowOf.get(frameId);
        if (first !== undefined) copyKeys(cols, first, cols, i);
        else if (!this.copyFromEarlier(state, frameId, cols, i)) setKeys(cols, i, frameKeys(b.bytes, new TcpConversations(), this.keys, off, off + len));
      }
      cols.has[i] = (cols.has[i]! & ~FIRST_ROW) | (pos > 0 ? FIRST_ROW : 0);
    }
    const chunk = f[0]!;
    this.chunkStmt.run(b.capture, chunk, n, b.viewBefore, b.viewRows, b.bytes);
    for (const name of COLUMN_NAMES) this.columnStmt.run(b.capture, chunk, name, columnBlob(cols[name]));
    return { cols, rowOf };
  }

  private writeKernels(b: PackedBatch): void {
    if (b.kernelCount === 0) return;
    const s = b.kernelStrings;
    const refs = b.kernelRefs;
    if (refs.length !== b.kernelCount * KERNEL_STRINGS) throw new Error(`kernel batch: ${refs.length} string indexes for ${b.kernelCount} events`);
    for (let i = 0; i < refs.length; i++) if (!(refs[i]! >= 0 && refs[i]! < s.length)) throw new Error(`kernel batch: string index ${refs[i]} of event ${Math.floor(i / KERNEL_STRINGS)} is outside its ${s.length} strings`);
    const stmts = (this.kernelStmts ??= { rows: new RowBlocks(this.db, 'kernel_event', KERNEL_COLUMNS, KERNEL_PARAMS), data: this.db.prepare(INSERT_DATA), dataId: this.db.prepare(DATA_ID).pluck() });
    const rows = stmts.rows;
    // The data_id of each distinct data text of the batch (0: not looked up yet), stored if new.
    // Looked up per batch, not remembered across batches: a failed batch's rows are rolled back,
    // and a reset deletes kernel_data on another connection.
    const dataIds = new Float64Array(s.length);
    const dataIdOf = (x: number): number | null => {
      if (!s[x]) return null;
      if (dataIds[x] === 0) dataIds[x] = (stmts.dataId.get(s[x]) as number | undefined) ?? Number(stmts.data.run(s[x]).lastInsertRowid);
      return dataIds[x]!;
    };
    for (let i = 0; i < b.kernelCount; i++) {
      const at = b.kernelNums[i * KERNEL_FIELDS]!;
      const frameId = b.kernelNums[i * KERNEL_FIELDS + 1]!;
      const j = i * KERNEL_STRINGS;
      const p = rows.params;
      let k = rows.next();
      p[k++] = b.capture;
      p[k++] = at;
      p[k++] = s[refs[j]!];
      p[k++] = s[refs[j + 1]!];
      p[k++] = s[refs[j + 2]!] || null;
      p[k++] = frameId < 0 ? null : frameId;
      p[k++] = s[refs[j + 3]!];
      p[k] = dataIdOf(refs[j + 4]!);
      rows.added();
    }
    rows.flush();
  }
}

