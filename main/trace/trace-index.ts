// What the analyses need to know of a whole capture, kept up to date as the lab adds frames (like
// FilterView, it scans the default view in order and resumes): the frames of each TCP stream, the
// stream, time and length of each frame (typed arrays: 24 bytes a frame), and the conversation and
// endpoint tables.
import { bucketize, CONV_KINDS, Decoder, ioRange, IO_MAX_BUCKETS, TrafficTables } from '../../shared/analysis';
import type { IoGraph, TrafficStats } from '../../shared/api/analysis';
import { doubled } from './grow-buffer';
import { lowerBound } from './chunks';
import type { TraceStore } from './store';

const SCAN_BATCH = 2000;

export class TraceIndex {
  private readonly decoder = new Decoder();
  private readonly tables = new TrafficTables();
  private readonly streams: number[][] = [];
  /** By position in the default view (0-based): FrameRow.no, time and length. */
  private nos = new Float64Array(1024);
  private times = new Float64Array(1024);
  private lengths = new Int32Array(1024);
  /** Earliest and latest frame time so far (a merged import need not be in time order). */
  private firstNs = Infinity;
  private lastNs = -Infinity;
  private scanned = 0;

  /** Read the frames the store has gained since the last call. */
  advance(store: TraceStore): this {
    const total = store.countFrames();
    while (this.scanned < total) {
      const batch = store.scanFrames(this.scanned, SCAN_BATCH);
      if (batch.length === 0) break;
      for (const f of batch) {
        const d = this.decoder.decode(f.bytes);
        this.tables.add(f.timeNs, f.length, d);
        const i = f.position - 1;
        if (i >= this.nos.length) this.grow();
        this.nos[i] = f.no;
        this.times[i] = f.timeNs;
        this.firstNs = Math.min(this.firstNs, f.timeNs);
        this.lastNs = Math.max(this.lastNs, f.timeNs);
        this.lengths[i] = f.length;
        if (d?.tcp) (this.streams[d.tcp.stream] ??= []).push(f.no);
        this.scanned = f.position;
      }
    }
    return this;
  }

  get streamCount(): number {
    return this.streams.length;
  }

  /** FrameRow.no of the frames of a TCP stream, in order. */
  streamFrames(stream: number): readonly number[] | undefined {
    return this.streams[stream];
  }

  /** Frames and bytes per interval over the default view; `only` (FrameRow.no) gives a second series. */
  ioGraph(intervalNs: number, only?: readonly number[]): IoGraph {
    const n = this.scanned;
    if (n === 0) return { startNs: 0, intervalNs, all: { frames: [], bytes: [] }, ...(only ? { selected: { frames: [], bytes: [] } } : {}) };
    const { startNs, count } = ioRange(this.firstNs, this.lastNs, intervalNs);
    if (count > IO_MAX_BUCKETS) throw new Error(`ioGraph: ${count} intervals of ${intervalNs / 1e6} ms; choose a longer interval (at most ${IO_MAX_BUCKETS} per graph)`);
    const all = bucketize(this.times, this.lengths, n, startNs, intervalNs, count);
    if (!only) return { startNs, intervalNs, all };
    const mask = new Uint8Array(n);
    for (const no of only) {
      const i = this.positionOf(no);
      if (i !== undefined) mask[i] = 1;
    }
    return { startNs, intervalNs, all, selected: bucketize(this.times, this.lengths, n, startNs, intervalNs, count, (i) => mask[i] === 1) };
  }

  /** Position (0-based) in the default view of frame `no` (FrameRow.no rises along it), if scanned. */
  private positionOf(no: number): number | undefined {
    const i = lowerBound(this.nos, no, this.scanned);
    return i < this.scanned && this.nos[i] === no ? i : undefined;
  }

  stats(): TrafficStats {
    const pick = <T>(f: (k: (typeof CONV_KINDS)[number]) => T) => Object.fromEntries(CONV_KINDS.map((k) => [k, f(k)])) as Record<(typeof CONV_KINDS)[number], T>;
    return {
      firstNs: this.tables.firstNs ?? 0,
      frames: this.scanned,
      conversations: pick((k) => this.tables.conversations(k)),
      endpoints: pick((k) => this.tables.endpoints(k)),
    };
  }

  private grow(): void {
    this.nos = doubled(this.nos);
    this.times = doubled(this.times);
    this.lengths = doubled(this.lengths);
  }
}
