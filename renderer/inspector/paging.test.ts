import { describe, expect, it } from 'vitest';
import type { FrameRow } from '../../shared/trace/frame-row';
import { atEnd, contentTop, FramePageCache, MAX_SPACER_PX, pagesAtEnd, pagesFor, PREFETCH_ROWS, prefetchRange, reportsFailure, rowShift, scrollMap, scrollTopFor, scrollToRow, visibleRange } from './paging';

const row = (i: number): FrameRow => ({
  no: i + 1,
  frameId: i,
  first: true,
  timeNs: i * 1000,
  machine: 'h',
  nic: 'eth0',
  dir: 'tx',
  length: 60,
  src: 'a',
  dst: 'b',
  protocol: 'TCP',
  info: '',
});
const rows = (from: number, n: number) => Array.from({ length: n }, (_, k) => row(from + k));

describe('visibleRange', () => {
  it('covers the viewport plus overscan, clipped to the list', () => {
    expect(visibleRange(0, 200, 1000, 20, 10)).toEqual({ start: 0, end: 20 });
    expect(visibleRange(2000, 200, 1000, 20, 10)).toEqual({ start: 90, end: 120 });
    expect(visibleRange(19_900, 200, 1000, 20, 10)).toEqual({ start: 985, end: 1000 });
  });
  it('handles partial rows and empty lists', () => {
    expect(visibleRange(10, 30, 1000, 20, 0)).toEqual({ start: 0, end: 2 });
    expect(visibleRange(0, 200, 0)).toEqual({ start: 0, end: 0 });
    expect(visibleRange(0, 0, 5, 20, 10)).toEqual({ start: 0, end: 5 });
  });
});

describe('pagesFor', () => {
  it('lists the pages that hold rows [start, end)', () => {
    expect(pagesFor(0, 0)).toEqual([]);
    expect(pagesFor(0, 200)).toEqual([0]);
    expect(pagesFor(0, 201)).toEqual([0, 1]);
    expect(pagesFor(190, 430)).toEqual([0, 1, 2]);
    expect(pagesFor(400, 401)).toEqual([2]);
  });
});

describe('atEnd', () => {
  it('allows half a row of slack, in rows (content), not in scroll pixels', () => {
    const m = scrollMap(50, 200); // 1,000 px of rows
    expect(atEnd(m, 800)).toBe(true);
    expect(atEnd(m, 791)).toBe(true);
    expect(atEnd(m, 780)).toBe(false);
    expect(atEnd(scrollMap(5, 200), 0)).toBe(true);
    // Compressed, 5M rows: one scroll pixel is ~6.7 px of rows; 10 px short of the end is ~3 rows.
    const big = scrollMap(5_000_000, 400);
    expect(atEnd(big, big.spacer - big.view)).toBe(true);
    expect(atEnd(big, big.spacer - big.view - 1)).toBe(true);
    expect(atEnd(big, big.spacer - big.view - 10)).toBe(false);
  });
});

describe('FramePageCache', () => {
  it('requests missing pages once, then serves rows', () => {
    const c = new FramePageCache(200);
    expect(c.missing(150, 250, 1000)).toEqual([0, 1]);
    const g0 = c.begin(0);
    const g1 = c.begin(1);
    expect(c.missing(150, 250, 1000)).toEqual([]);
    expect(c.store(0, rows(0, 200), g0)).toBe(true);
    expect(c.store(1, rows(200, 200), g1)).toBe(true);
    expect(c.row(199)?.no).toBe(200);
    expect(c.row(200)?.no).toBe(201);
    expect(c.row(400)).toBeUndefined();
    expect([c.indexOfNo(201), c.indexOfNo(5000)]).toEqual([200, undefined]);
    expect(c.missing(150, 250, 1000)).toEqual([]);
  });
  it('never asks past the total', () => {
    const c = new FramePageCache(200);
    expect(c.missing(0, 500, 150)).toEqual([0]);
    expect(c.missing(0, 500, 0)).toEqual([]);
  });
  it('refetches a short last page when frames are appended', () => {
    const c = new FramePageCache(200);
    c.store(0, rows(0, 150), c.begin(0));
    expect(c.missing(0, 150, 150)).toEqual([]);
    expect(c.missing(100, 180, 180)).toEqual([0]);
    c.store(0, rows(0, 200), c.begin(0));
    expect(c.missing(100, 230, 230)).toEqual([1]);
  });
  it('drops replies from before a clear (reset)', () => {
    const c = new FramePageCache(200);
    const g = c.begin(0);
    c.clear();
    expect(c.store(0, rows(0, 200), g)).toBe(false);
    expect(c.row(0)).toBeUndefined();
    expect(c.missing(0, 10, 10)).toEqual([0]);
  });
  it('allows a retry after a failure', () => {
    const c = new FramePageCache(200);
    const g = c.begin(3);
    expect(c.missing(600, 610, 1000)).toEqual([]);
    c.fail(3, g);
    expect(c.missing(600, 610, 1000)).toEqual([3]);
  });
  it('evicts the pages farthest from the one just stored', () => {
    const c = new FramePageCache(10, 3);
    for (const p of [0, 1, 2, 9]) c.store(p, rows(p * 10, 10), c.begin(p));
    expect(c.size).toBe(3);
    expect(c.row(0)).toBeUndefined();
    expect(c.row(95)?.no).toBe(96);
  });
  it('truncates pages beyond a smaller total', () => {
    const c = new FramePageCache(10);
    for (const p of [0, 1, 2]) c.store(p, rows(p * 10, 10), c.begin(p));
    c.truncate(15);
    expect(c.size).toBe(2);
  });
});

describe('scrollMap: lists taller than a browser lets an element be', () => {
  const view = 400;
  it('is the identity up to MAX_SPACER_PX of rows', () => {
    const m = scrollMap(100_000, view);
    expect(m).toEqual({ content: 2_000_000, spacer: 2_000_000, view });
    for (const s of [0, 1, 12_345, 1_999_600]) {
      expect(contentTop(m, s)).toBe(s);
      expect(scrollTopFor(m, s)).toBe(s);
    }
    expect(contentTop(m, 5_000_000)).toBe(1_999_600); // past the end: the last rows
    expect(scrollToRow(m, 0, 5)).toBeNull();
    expect(scrollToRow(m, 0, 20)).toBe(20 * 20 + 20 - view); // below: its bottom at the viewport's bottom
    expect(scrollToRow(m, 4000, 10)).toBe(200); // above: its top at the viewport's top
  });

  it('compresses 5,000,000 rows (100M px) into MAX_SPACER_PX: the top shows row 0, the end shows the last row at the bottom', () => {
    const total = 5_000_000;
    const m = scrollMap(total, view);
    expect(m.spacer).toBe(MAX_SPACER_PX);
    expect(contentTop(m, 0)).toBe(0);
    const end = m.spacer - view;
    expect(contentTop(m, end)).toBe(total * 20 - view);
    expect(visibleRange(contentTop(m, end), view, total, 20, 0)).toEqual({ start: total - 20, end: total });
    // Monotonic, and one pixel moves less than a viewport (no row can be skipped over by scrolling).
    let last = -1;
    for (let s = 0; s <= end; s += 997) {
      const t = contentTop(m, s);
      expect(t).toBeGreaterThan(last);
      expect(contentTop(m, s + 1) - t).toBeLessThan(view);
      last = t;
    }
  });

  it('places rows at the viewport: the row at the content top is at the scroll position, the first row at 0, the last one at the spacer end', () => {
    for (const total of [50_000, 2_000_000, 5_000_000]) {
      const m = scrollMap(total, view);
      const end = m.spacer - view;
      for (const s of [0, 1, 12_345, Math.floor(end / 2), end - 211, end - 50, end - 1, end]) {
        const shift = rowShift(m, s);
        expect(Number.isInteger(shift)).toBe(true);
        // Content offset t is drawn at spacer pixel t + shift: the content top at the scroll position (within rounding).
        expect(Math.abs(contentTop(m, s) + shift - s)).toBeLessThanOrEqual(0.5);
      }
      expect(rowShift(m, 0)).toBe(0); // row 0 right under the header
      expect((total - 1) * 20 + 20 + rowShift(m, end)).toBe(m.spacer); // the last row ends where the spacer does
      if (m.spacer === m.content) expect(rowShift(m, 777)).toBe(0);
    }
  });

  it('brings any row of a compressed list fully into view, from above and from below, with whole-pixel scroll positions', () => {
    const total = 3_000_000;
    const m = scrollMap(total, view);
    for (let i = 0; i < total; i += 7919) {
      for (const from of [0, m.spacer - view]) {
        const to = scrollToRow(m, from, i) ?? from;
        expect(Number.isInteger(to)).toBe(true);
        const shown = contentTop(m, to);
        expect(i * 20).toBeGreaterThanOrEqual(shown);
        expect(i * 20 + 20).toBeLessThanOrEqual(shown + view);
      }
    }
    const last = scrollToRow(m, 0, total - 1)!;
    expect(last).toBe(m.spacer - view);
  });
});

describe('prefetchRange', () => {
  it('reaches PREFETCH_ROWS beyond the rendered rows, within the list', () => {
    expect(prefetchRange(500, 540, 10_000)).toEqual({ start: 500 - PREFETCH_ROWS, end: 540 + PREFETCH_ROWS });
    expect(prefetchRange(10, 40, 90)).toEqual({ start: 0, end: 90 });
    // A list without a height renders no rows, and fetches nothing ahead of them.
    expect(prefetchRange(0, 0, 500)).toEqual({ start: 0, end: 0 });
  });
});

describe('pagesAtEnd', () => {
  // What PacketList asks for at the end of the list (view: its height below the header): the pages
  // of its rows, then those of the rows within PREFETCH_ROWS of them.
  const listAsks = (total: number, view: number): number[] => {
    const map = scrollMap(total, view);
    // Scrolled to the end (compressed past MAX_SPACER_PX: the spacer's end).
    const { start, end } = visibleRange(contentTop(map, map.spacer - map.view), map.view, total);
    return [...new Set([...pagesFor(start, end), ...pagesFor(Math.max(0, start - PREFETCH_ROWS), Math.min(total, end + PREFETCH_ROWS))])].sort((a, b) => a - b);
  };
  const pagesOf = (total: number, height: number): number[] => pagesAtEnd(total, height).map((q) => q.offset / 200);

  it('is what a list as tall as the bound asks for, and holds what a shorter list asks for', () => {
    for (const total of [1, 63, 199, 200, 201, 350, 1_000_000, 1_000_063]) {
      expect([...pagesOf(total, 876)].sort((a, b) => a - b)).toEqual(listAsks(total, 876));
      for (const view of [20, 437]) for (const p of listAsks(total, view)) expect(pagesOf(total, 876)).toContain(p);
      expect(pagesOf(total, 876)[0]).toBe(Math.floor((total - 1) / 200)); // the last page first
    }
  });
  it('asks for whole pages of LIST_PAGE_ROWS', () => {
    expect(pagesAtEnd(1_000_063, 900)).toEqual([
      { offset: 1_000_000, limit: 200 },
      { offset: 999_800, limit: 200 },
    ]);
    expect(pagesAtEnd(0, 900)).toEqual([]);
    expect(pagesAtEnd(1_000, 0)).toEqual([]); // no height: no rows shown
  });
});

describe('reportsFailure', () => {
  it("reports a page the list needs, and a page fetched ahead only when it holds rows shown", () => {
    const none = { start: 0, end: 0 };
    expect(reportsFailure(0, false, none)).toBe(true); // a filter's count, asked before any row shows
    expect(reportsFailure(5, false, { start: 0, end: 30 })).toBe(true);
    expect(reportsFailure(1, true, { start: 180, end: 230 })).toBe(true);
    expect(reportsFailure(0, true, { start: 180, end: 230 })).toBe(true);
    expect(reportsFailure(2, true, { start: 180, end: 230 })).toBe(false);
    expect(reportsFailure(1, true, { start: 180, end: 200 })).toBe(false);
    expect(reportsFailure(0, true, none)).toBe(false);
  });
});
