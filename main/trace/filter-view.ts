// A display filter applied to the trace's default view (each frame once, in capture order), or to
// one capture point's rows (a machine's NICs, or one NIC: what a capture there would hold): the
// frames it selects. Most filters are tested on the trace's columns (column-filter.ts: a few typed
// arrays per 2,000 frames, no bytes; lab.drop_reason from the drops of each chunk's frames); the
// others (in a capture point's view, the fields numbered per view) scan the frames' bytes in order
// with shared/filter's evaluator (the conversation state they need only exists in order). Either
// way the view resumes where it stopped as the lab adds frames, so a filter stays live on a running lab.
//
// A drop recorded after a frame was scanned (it was dropped further along its way) is missed by a
// view that has read that frame: a filter naming lab.drop_reason is stale once the trace has more
// drops than when it started (isStale), and its owner starts it again.
import { frameFields, keyFields, matches, TcpConversations } from '../../shared/filter/eval';
import { frameKeys, Has } from '../../shared/filter/keys';
import { parseFilter, type FilterError, type FilterExpr } from '../../shared/filter/parser';
import { compileColumns, type CompiledFilter } from './column-filter';
import { FIRST_ROW, type ColumnName } from './columns';
import { scratch } from './grow-buffer';
import type { CapturePointQuery, ScannedFrame, TraceStore } from './store';

const SCAN_BATCH = 2000;
/** Chunks whose columns a columnar filter loads at once (~2,000 rows each). */
const COLUMN_BATCH = 64;

export class FilterView {
  /** FrameRow.no of each selected frame, in order. */
  readonly matches: number[] = [];
  private readonly conv = new TcpConversations();
  private scanned = 0;
  /** The filter names lab.drop_reason (isStale). */
  private readonly namesDrops: boolean;

  private constructor(
    readonly text: string,
    private readonly expr: FilterExpr | null,
    /** Read one capture point's rows instead of the default view (each frame once). */
    readonly point: CapturePointQuery | null,
  ) {
    this.namesDrops = namesField(expr, 'lab.drop_reason');
  }

  /**
   * A filter ('' for none) on the default view, or on one capture point's rows. `scanBytes`: test
   * every frame on its bytes even where columns could answer (the reference the columns are held to).
   */
  static create(text: string, point: CapturePointQuery | null = null, opts: { scanBytes?: boolean } = {}): FilterView | FilterError {
    const p = parseFilter(text);
    if (!p.ok) return p.error;
    const v = new FilterView(text, p.expr, point);
    if (opts.scanBytes) v.compiled = null;
    return v;
  }

  /** Drops in the trace when this view started reading (isStale). */
  private dropsAtStart: number | null = null;

  /** A filter on lab.drop_reason that has read frames before the drops now known were recorded. */
  isStale(store: TraceStore): boolean {
    return this.dropsAtStart !== null && this.namesDrops && store.countDrops() !== this.dropsAtStart;
  }

  /** Whether this view is the one for that filter and point. */
  isFor(text: string, point: CapturePointQuery | null): boolean {
    return this.text === text && this.point?.machine === point?.machine && this.point?.nic === point?.nic;
  }

  /** advance(), then this view. */
  advanceTo(store: TraceStore): this {
    this.advance(store);
    return this;
  }

  /** The filter on columns (undefined: not compiled yet; null: it scans bytes). */
  private compiled: CompiledFilter | null | undefined;
  /** The drop reasons of the frames of the chunk being tested, by frame id (a filter naming lab.drop_reason). */
  private chunkDrops = new Map<number, string[]>();

  /** Read the frames the store has gained since the last call. */
  advance(store: TraceStore): void {
    this.dropsAtStart ??= store.countDrops();
    if (this.compiled === undefined) {
      const ctx = { machineOf: (id: number) => store.pointOf(id)?.machine ?? '', nicOf: (id: number) => store.pointOf(id)?.nic ?? '', dropsOf: (frameId: number) => this.chunkDrops.get(frameId) };
      this.compiled = compileColumns(this.expr, ctx, this.point !== null);
    }
    if (this.compiled) this.advanceColumns(store, this.compiled);
    else this.advanceBytes(store);
  }

  /** Which rows of the chunk being read passed the compiled filter (reused from chunk to chunk). */
  private readonly passed = scratch();

  /** Rows after FrameRow.no `afterNo` have not been tested (columnar path). */
  private afterNo = 0;

  private advanceColumns(store: TraceStore, f: CompiledFilter): void {
    const ids = this.point ? store.pointIds(this.point) : null;
    const names: ColumnName[] = ids ? [...f.columns, 'iface'] : f.columns;
    const total = store.countFrames({ allCapturePoints: true });
    while (this.afterNo < total) {
      const chunks = store.columnChunks(names, this.afterNo, COLUMN_BATCH);
      if (chunks.length === 0) break;
      for (const ch of chunks) {
        const has = ch.cols.has!;
        const iface = ch.cols.iface;
        if (this.namesDrops) this.chunkDrops = store.dropsOf(ch.cols.frameId!);
        const passed = this.passed(ch.rows);
        f.test(ch.cols, passed, ch.rows);
        const found = this.matches;
        // Row by row up to a row with quoted headers (an ICMP error: its quoted headers add
        // occurrences the columns do not hold), which is tested on its bytes; then on from there.
        let i = Math.max(0, this.afterNo + 1 - ch.firstNo);
        while (i < ch.rows) {
          i = ids ? collectAt(ids, iface!, has, passed, i, ch.rows, ch.firstNo, found) : collect(has, passed, i, ch.rows, ch.firstNo, found);
          if (i === ch.rows) break;
          if (this.bytesMatch(ch.row(i), ch.cols.frameId?.[i])) found.push(ch.firstNo + i);
          i++;
        }
        this.afterNo = ch.firstNo + ch.rows - 1;
      }
    }
  }

  /** A frame that needs no conversation state (an ICMP error) tested on its bytes (frameId: given when the filter names lab.drop_reason). */
  private bytesMatch(f: { machine: string; nic: string; dir: 'tx' | 'rx'; bytes: Uint8Array }, frameId: number | undefined): boolean {
    const drops = frameId === undefined ? undefined : this.chunkDrops.get(frameId);
    const ctx = { machine: f.machine, nic: f.nic, dir: f.dir, ...(drops ? { dropReasons: drops } : {}) };
    return matches(this.expr, keyFields(frameKeys(f.bytes, new TcpConversations()), ctx, f.bytes));
  }

  private advanceBytes(store: TraceStore): void {
    const total = store.countFrames({ allCapturePoints: this.point !== null });
    while (this.scanned < total) {
      const batch: ScannedFrame[] = this.point ? store.scanPoint(this.point, this.scanned, SCAN_BATCH) : store.scanFrames(this.scanned, SCAN_BATCH);
      if (batch.length === 0) {
        this.scanned = total; // no more rows at this point so far
        break;
      }
      for (const f of batch) {
        const fields = frameFields(f.bytes, { machine: f.machine, nic: f.nic, dir: f.dir, dropReasons: f.drops }, this.conv);
        if (matches(this.expr, fields)) this.matches.push(f.no);
        this.scanned = f.position;
      }
    }
  }
}

/**
 * Push firstNo + i for each row i from `start` of the default view (FIRST_ROW) that passed, up to
 * the first such row with quoted headers (Has.QUOTED), whose index it returns (n: none). A loop of
 * its own, over arrays of one type each, so that it compiles to a tight loop.
 */
function collect(has: Uint8Array, passed: Uint8Array, start: number, n: number, firstNo: number, found: number[]): number {
  for (let i = start; i < n; i++) {
    const h = has[i]!;
    if ((h & FIRST_ROW) === 0) continue;
    if ((h & Has.QUOTED) !== 0) return i;
    if (passed[i] === 1) found.push(firstNo + i);
  }
  return n;
}

/** collect() for a capture point's rows: those whose interface is one of `ids`. */
function collectAt(ids: ReadonlySet<number>, iface: Uint32Array, has: Uint8Array, passed: Uint8Array, start: number, n: number, firstNo: number, found: number[]): number {
  for (let i = start; i < n; i++) {
    if (!ids.has(iface[i]!)) continue;
    if ((has[i]! & Has.QUOTED) !== 0) return i;
    if (passed[i] === 1) found.push(firstNo + i);
  }
  return n;
}

/** Whether the filter tests or compares the field `name` anywhere. */
function namesField(e: FilterExpr | null, name: string): boolean {
  if (e === null) return false;
  switch (e.kind) {
    case 'and':
    case 'or':
      return namesField(e.left, name) || namesField(e.right, name);
    case 'not':
      return namesField(e.expr, name);
    case 'has':
    case 'cmp':
      return e.field.name === name;
  }
}
