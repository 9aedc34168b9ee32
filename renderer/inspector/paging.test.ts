import { describe, expect, it } from 'vitest';
import type { FrameRow } from '../../shared/trace/frame-row';
import { FramePageCache, isAtBottom, pagesFor, visibleRange } from './paging';

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

describe('isAtBottom', () => {
  it('allows half a row of slack', () => {
    expect(isAtBottom(800, 200, 1000)).toBe(true);
    expect(isAtBottom(791, 200, 1000)).toBe(true);
    expect(isAtBottom(780, 200, 1000)).toBe(false);
    expect(isAtBottom(0, 200, 100)).toBe(true);
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
