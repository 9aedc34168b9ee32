import { describe, expect, it } from 'vitest';
import { bucketize, ioRange } from './io-graph';

describe('I/O graph buckets', () => {
  it('start at the first frame`s whole interval and end at the last frame`s', () => {
    expect(ioRange(1_234_000_000, 3_500_000_000, 1e9)).toEqual({ startNs: 1e9, count: 3 });
    expect(ioRange(0, 0, 1e6)).toEqual({ startNs: 0, count: 1 });
  });

  it('count frames and bytes per interval, optionally only the picked frames', () => {
    const times = [1.2e9, 1.3e9, 2.0e9, 3.999e9];
    const lengths = [60, 1514, 66, 100];
    expect(bucketize(times, lengths, 4, 1e9, 1e9, 3)).toEqual({ frames: [2, 1, 1], bytes: [1574, 66, 100] });
    expect(bucketize(times, lengths, 4, 1e9, 1e9, 3, (i) => lengths[i]! > 64)).toEqual({ frames: [1, 1, 1], bytes: [1514, 66, 100] });
  });
});
