// What the analyses need to know of a whole capture, kept up to date as the lab adds frames (like
// FilterView, it scans the default view in order and resumes): the frames of each TCP stream, the
// stream of each frame, and the conversation and endpoint tables.
import { CONV_KINDS, Decoder, TrafficTables } from '../../shared/analysis';
import type { TrafficStats } from '../../shared/api/analysis';
import type { TraceStore } from './store';

const SCAN_BATCH = 2000;

export class TraceIndex {
  private readonly decoder = new Decoder();
  private readonly tables = new TrafficTables();
  private readonly streams: number[][] = [];
  /** By position in the default view (0-based): FrameRow.no, and the TCP stream or -1. */
  private nos = new Float64Array(1024);
  private streamOf = new Int32Array(1024);
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
        this.streamOf[i] = d?.tcp ? d.tcp.stream : -1;
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

  /** The TCP stream of a frame of the default view (by FrameRow.no), if it is TCP. */
  streamOfFrame(no: number): number | undefined {
    let lo = 0;
    let hi = this.scanned - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.nos[mid]!;
      if (v === no) return this.streamOf[mid]! >= 0 ? this.streamOf[mid] : undefined;
      if (v < no) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
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
    const nos = new Float64Array(this.nos.length * 2);
    nos.set(this.nos);
    this.nos = nos;
    const s = new Int32Array(this.streamOf.length * 2);
    s.set(this.streamOf);
    this.streamOf = s;
  }
}
