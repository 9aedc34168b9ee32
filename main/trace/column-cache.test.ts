import { describe, expect, it, vi } from 'vitest';
import { ColumnCache } from './column-cache';
import { FilterView } from './filter-view';
import { TraceStore } from './store';
import { tinyLab } from './test-lab';

const col = (bytes: number) => new Uint8Array(bytes);

describe('ColumnCache', () => {
  it('keeps columns by capture, chunk and name, and drops the least recently used past its budget', () => {
    const cache = new ColumnCache(300);
    const a = col(100);
    const b = col(100);
    cache.set(1, 1, 'has', a);
    cache.set(1, 2001, 'has', b);
    cache.set(1, 1, 'srcPort', col(100));
    expect([cache.get(1, 1, 'has'), cache.get(2, 1, 'has'), cache.get(1, 1, 'dstPort'), cache.bytes]).toEqual([a, undefined, undefined, 300]);
    // (1, 1, has) was used last: (1, 2001, has) is the least recently used and goes first.
    cache.set(1, 4001, 'has', col(150));
    expect([cache.get(1, 2001, 'has'), cache.get(1, 1, 'srcPort'), cache.get(1, 1, 'has'), cache.bytes]).toEqual([undefined, undefined, a, 250]);
  });

  it('replaces a column set again, keeps none larger than the budget, and forgets everything on clear()', () => {
    const cache = new ColumnCache(300);
    cache.set(1, 1, 'has', col(100));
    const again = col(200);
    cache.set(1, 1, 'has', again);
    expect([cache.get(1, 1, 'has'), cache.bytes]).toEqual([again, 200]);
    cache.set(1, 2001, 'has', col(301));
    expect([cache.get(1, 2001, 'has'), cache.get(1, 1, 'has'), cache.bytes]).toEqual([undefined, again, 200]);
    cache.clear();
    expect([cache.get(1, 1, 'has'), cache.bytes]).toEqual([undefined, 0]);
  });
});

describe("the trace's use of the cache", () => {
  it('keeps the columns a filter reads, not those the check at open reads', () => {
    const store = TraceStore.open(':memory:');
    for (const f of tinyLab().frames) store.frame(f);
    const kept = vi.spyOn(ColumnCache.prototype, 'set');
    try {
      store.verify();
      expect(kept).not.toHaveBeenCalled();
      (FilterView.create('icmp') as FilterView).advance(store);
      expect(new Set(kept.mock.calls.map((c) => c[2]))).toEqual(new Set(['has']));
    } finally {
      kept.mockRestore();
      store.close();
    }
  });

  it("gives the packet list a column a filter read: one decode of a chunk's column, not two", () => {
    const store = TraceStore.open(':memory:');
    for (const f of tinyLab().frames) store.frame(f);
    (FilterView.create('tcp.seq > 0') as FilterView).advance(store);
    const found = vi.spyOn(ColumnCache.prototype, 'get');
    try {
      // A page's summaries read each row's seq: from the cache the filter filled, found there.
      expect(store.listFrames({ offset: 0, limit: 50 }).length).toBeGreaterThan(0);
      expect(found.mock.results.some((r, k) => found.mock.calls[k]![2] === 'seq' && r.value !== undefined)).toBe(true);
    } finally {
      found.mockRestore();
      store.close();
    }
  });
});
