// Packet-list virtualization and paging math (pure; see paging.test.ts).
import { LIST_PAGE_ROWS, type FrameQuery } from '../../shared/api/contract';
import type { FrameRow } from '../../shared/trace/frame-row';

export const ROW_HEIGHT = 20;
/** Rows rendered beyond each edge of the viewport. */
const OVERSCAN = 10;
/** Rows beyond the rendered ones whose pages the list fetches ahead (half a page each way). */
export const PREFETCH_ROWS = LIST_PAGE_ROWS / 2;

/** Row indices [start, end) to render for a scroll position, with overscan rows on each side. */
export function visibleRange(
  scrollTop: number,
  viewportHeight: number,
  total: number,
  rowHeight = ROW_HEIGHT,
  overscan = OVERSCAN,
): { start: number; end: number } {
  if (total <= 0 || viewportHeight <= 0) return { start: 0, end: Math.max(0, Math.min(total, overscan)) };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const last = Math.ceil((Math.max(0, scrollTop) + viewportHeight) / rowHeight);
  return { start: Math.max(0, first - overscan), end: Math.min(total, last + overscan) };
}

/**
 * The tallest scroll spacer the list makes. Browsers cap an element's height (Chromium near 33.5M px,
 * Firefox near 17.9M), which at 20 px a row is about 1.67M (900k) rows; past this height the
 * scrollbar is compressed: one pixel of scrolling moves (content - view) / (spacer - view) pixels of
 * rows. Every row stays reachable while that is less than the viewport less a row: 10M rows in a
 * 40 px viewport.
 */
export const MAX_SPACER_PX = 15_000_000;

/**
 * How the scroll position maps to the rows: `content` px of rows (total x row height) shown through a
 * spacer of `spacer` px, in a viewport of `view` px. Uncompressed (spacer = content) it is the identity.
 */
export interface ScrollMap {
  content: number;
  spacer: number;
  view: number;
}

export function scrollMap(total: number, view: number, rowHeight = ROW_HEIGHT, maxSpacer = MAX_SPACER_PX): ScrollMap {
  const content = Math.max(0, total) * rowHeight;
  return { content, spacer: Math.min(content, maxSpacer), view: Math.max(0, view) };
}

/** The content offset (px from the first row's top) at the top of the viewport for a scroll position. */
export function contentTop(m: ScrollMap, scrollTop: number): number {
  const range = m.spacer - m.view;
  const contentRange = m.content - m.view;
  if (range <= 0 || contentRange <= 0) return 0;
  const top = Math.min(Math.max(0, scrollTop), range);
  return m.spacer === m.content ? top : (top * contentRange) / range;
}

/**
 * The scroll position that shows content offset `top` at the viewport's top, rounded to whole
 * pixels the way `round` says (floor: the offset or just above it; ceil: just below): browsers keep
 * scrollTop in whole pixels, and compressed, one pixel is more than one row's worth of content.
 */
export function scrollTopFor(m: ScrollMap, top: number, round: (x: number) => number = Math.round): number {
  const range = m.spacer - m.view;
  const contentRange = m.content - m.view;
  if (range <= 0 || contentRange <= 0) return 0;
  const t = Math.min(Math.max(0, top), contentRange);
  return Math.min(range, Math.max(0, round(m.spacer === m.content ? t : (t * range) / contentRange)));
}

/**
 * The scroll position that brings row `index` fully into view moving as little as possible, or null
 * when it is in view already.
 */
export function scrollToRow(m: ScrollMap, scrollTop: number, index: number, rowHeight = ROW_HEIGHT): number | null {
  const shown = contentTop(m, scrollTop);
  const top = index * rowHeight;
  // Above: put its top at the viewport's top (rounded down: at or above it). Below: its bottom at the
  // viewport's bottom (rounded up: at or below it).
  if (top < shown) return scrollTopFor(m, top, Math.floor);
  if (top + rowHeight > shown + m.view) return scrollTopFor(m, top + rowHeight - m.view, Math.ceil);
  return null;
}

/** Page indices covering rows [start, end). */
export function pagesFor(start: number, end: number, pageSize = LIST_PAGE_ROWS): number[] {
  if (end <= start) return [];
  const pages: number[] = [];
  for (let p = Math.floor(start / pageSize); p <= Math.floor((end - 1) / pageSize); p++) pages.push(p);
  return pages;
}

/** Rows whose pages are fetched after those of the rendered rows [start, end): PREFETCH_ROWS more each way (none when no rows are rendered). */
export function prefetchRange(start: number, end: number, total: number): { start: number; end: number } {
  if (end <= start) return { start, end };
  return { start: Math.max(0, start - PREFETCH_ROWS), end: Math.min(total, end + PREFETCH_ROWS) };
}

/**
 * The pages a list opened at the end of `total` rows asks for first (its rows' and prefetchRange's),
 * the last page first, for a list no taller than `maxViewportHeight`: what is asked for ahead of the
 * list on a cold start (api/ahead.ts). None for a list without a height (it shows no rows).
 */
export function pagesAtEnd(total: number, maxViewportHeight: number): FrameQuery[] {
  if (maxViewportHeight <= 0) return [];
  const shown = visibleRange(Math.max(0, total * ROW_HEIGHT - maxViewportHeight), maxViewportHeight, total);
  const near = prefetchRange(shown.start, shown.end, total);
  return pagesFor(near.start, near.end)
    .reverse()
    .map((p) => ({ offset: p * LIST_PAGE_ROWS, limit: LIST_PAGE_ROWS }));
}

/**
 * Whether a failed page is reported: always, unless it was fetched ahead of the rows; then only when
 * it holds some of the rows shown as it fails (else it is retried, and reported, when they come into view).
 */
export function reportsFailure(page: number, ahead: boolean, shown: { start: number; end: number }, pageSize = LIST_PAGE_ROWS): boolean {
  return !ahead || pagesFor(shown.start, shown.end, pageSize).includes(page);
}

/** True when the viewport shows the last row (within half a row of content, compressed or not). */
export function atEnd(m: ScrollMap, scrollTop: number, rowHeight = ROW_HEIGHT): boolean {
  return contentTop(m, scrollTop) + m.view >= m.content - rowHeight / 2;
}

/**
 * Where rows sit in the spacer beyond their content offset: compressed, the rows in view are placed
 * around the scroll position (whole pixels: no shimmering text); 0 when not compressed.
 */
export function rowShift(m: ScrollMap, scrollTop: number, shown = contentTop(m, scrollTop)): number {
  return Math.round(Math.min(Math.max(0, scrollTop), Math.max(0, m.spacer - m.view)) - shown);
}

/**
 * Pages of rows fetched from listFrames, keyed by page index. A page shorter than LIST_PAGE_ROWS is
 * refetched once the total grows past it (frames append while the lab runs). `generation` changes
 * on clear(), so replies to requests made before a reset are dropped.
 */
export class FramePageCache {
  private readonly pages = new Map<number, FrameRow[]>();
  private readonly inFlight = new Set<number>();
  private gen = 0;

  constructor(
    readonly pageSize = LIST_PAGE_ROWS,
    private readonly maxPages = 64,
  ) {}

  get generation(): number {
    return this.gen;
  }

  clear(): void {
    this.pages.clear();
    this.inFlight.clear();
    this.gen++;
  }

  row(index: number): FrameRow | undefined {
    const page = this.pages.get(Math.floor(index / this.pageSize));
    return page?.[index % this.pageSize];
  }

  /** The list index of the cached row with frame number `no` (a frame picked elsewhere), if cached. */
  indexOfNo(no: number): number | undefined {
    for (const [p, rows] of this.pages) {
      const i = rows.findIndex((r) => r.no === no);
      if (i >= 0) return p * this.pageSize + i;
    }
    return undefined;
  }

  /** Pages that must be requested to show rows [start, end) of `total`. */
  missing(start: number, end: number, total: number): number[] {
    return pagesFor(start, Math.min(end, total), this.pageSize).filter((p) => {
      if (this.inFlight.has(p)) return false;
      const rows = this.pages.get(p);
      if (!rows) return true;
      const expected = Math.min(this.pageSize, total - p * this.pageSize);
      return rows.length < expected;
    });
  }

  /** Marks a page requested; returns the generation to pass back to store(). */
  begin(page: number): number {
    this.inFlight.add(page);
    return this.gen;
  }

  /** Stores a reply; false when it belongs to an older generation (dropped). */
  store(page: number, rows: FrameRow[], generation: number): boolean {
    if (generation !== this.gen) return false;
    this.inFlight.delete(page);
    this.pages.delete(page);
    this.pages.set(page, rows);
    this.evict(page);
    return true;
  }

  /** A request failed: allow it to be retried. */
  fail(page: number, generation: number): void {
    if (generation === this.gen) this.inFlight.delete(page);
  }

  /** Drops pages past `total` (the list shrank without a reset being noticed). */
  truncate(total: number): void {
    for (const p of [...this.pages.keys()]) {
      if (p * this.pageSize >= total) this.pages.delete(p);
    }
  }

  get size(): number {
    return this.pages.size;
  }

  /** Keeps at most maxPages, dropping the ones farthest from the page just stored. */
  private evict(near: number): void {
    while (this.pages.size > this.maxPages) {
      let far = -1;
      let farDist = -1;
      for (const p of this.pages.keys()) {
        const d = Math.abs(p - near);
        if (d > farDist) {
          far = p;
          farDist = d;
        }
      }
      this.pages.delete(far);
    }
  }
}
