// A display filter applied to the trace's default view (each frame once, in capture order), or to
// one capture point's rows (a machine's NICs, or one NIC: what a capture there would hold): the
// frames it selects, found by scanning the frames in order with shared/filter's evaluator (the
// conversation state it needs, tcp.stream and relative numbers, only exists in order). The scan
// resumes where it stopped as the lab adds frames, so a filter stays live on a running lab.
//
// A drop recorded after a frame was scanned (it was dropped further along its way) is missed by a
// view that has read that frame: a filter naming lab.drop_reason is stale once the trace has more
// drops than when it started (isStale), and its owner starts it again.
import { frameFields, matches, TcpConversations } from '../../shared/filter/eval';
import { parseFilter, type FilterError, type FilterExpr } from '../../shared/filter/parser';
import type { CapturePointQuery, ScannedFrame, TraceStore } from './store';

const SCAN_BATCH = 2000;

export class FilterView {
  /** FrameRow.no of each selected frame, in order. */
  readonly matches: number[] = [];
  private readonly conv = new TcpConversations();
  private scanned = 0;

  private constructor(
    readonly text: string,
    private readonly expr: FilterExpr | null,
    /** Read one capture point's rows instead of the default view (each frame once). */
    readonly point: CapturePointQuery | null,
  ) {}

  /** A filter ('' for none) on the default view, or on one capture point's rows. */
  static create(text: string, point: CapturePointQuery | null = null): FilterView | FilterError {
    const p = parseFilter(text);
    return p.ok ? new FilterView(text, p.expr, point) : p.error;
  }

  /** Drops in the trace when this view started reading (isStale). */
  private dropsAtStart: number | null = null;

  /** A filter on lab.drop_reason that has read frames before the drops now known were recorded. */
  isStale(store: TraceStore): boolean {
    return this.dropsAtStart !== null && this.text.includes('lab.drop_reason') && store.countDrops() !== this.dropsAtStart;
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

  /** Read the frames the store has gained since the last call. */
  advance(store: TraceStore): void {
    this.dropsAtStart ??= store.countDrops();
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
