// The I/O graph's numbers (Wireshark's Statistics -> I/O Graph): frames and bytes per interval of
// trace time, from the first frame's interval on. Bucket i covers [start + i*interval, start +
// (i+1)*interval); start is the first frame's time rounded down to a whole interval, so buckets
// line up with round times as Wireshark's do.

export interface IoSeries {
  frames: number[];
  bytes: number[];
}

/** Intervals offered (ns): 1 ms to 10 s, as Wireshark's I/O graph offers. */
export const IO_INTERVALS_NS = [1e6, 10e6, 100e6, 1e9, 10e9] as const;
/** At most this many buckets per graph: a finer interval over a long trace is refused. */
export const IO_MAX_BUCKETS = 10_000;

/** The bucket range for frames spanning [firstNs, lastNs]. */
export function ioRange(firstNs: number, lastNs: number, intervalNs: number): { startNs: number; count: number } {
  const startNs = Math.floor(firstNs / intervalNs) * intervalNs;
  return { startNs, count: Math.floor((lastNs - startNs) / intervalNs) + 1 };
}

/** Count frames (times and lengths given per frame, in any order) into count buckets from startNs. */
export function bucketize(times: ArrayLike<number>, lengths: ArrayLike<number>, n: number, startNs: number, intervalNs: number, count: number, pick?: (i: number) => boolean): IoSeries {
  const frames = new Array<number>(count).fill(0);
  const bytes = new Array<number>(count).fill(0);
  for (let i = 0; i < n; i++) {
    if (pick && !pick(i)) continue;
    const b = Math.floor((times[i]! - startNs) / intervalNs);
    if (b < 0 || b >= count) continue;
    frames[b]!++;
    bytes[b]! += lengths[i]!;
  }
  return { frames, bytes };
}
