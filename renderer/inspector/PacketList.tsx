// The packet list: virtualized (fixed row height, only visible rows rendered) and paged from
// api.listFrames in pages of LIST_PAGE_ROWS. Follows the end while the user is at the bottom.
import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { CapturePointRef, LabApi } from '../../shared/api/contract';
import type { FrameRow } from '../../shared/trace/frame-row';
import { formatSeconds } from '../util/format';
import { atEnd, contentTop, FramePageCache, prefetchRange, reportsFailure, ROW_HEIGHT, rowShift, scrollMap, scrollTopFor, scrollToRow, visibleRange } from './paging';
import { rowColour } from './protocol';

export interface PacketListProps {
  api: LabApi;
  /** Frames in the list (status.frameCount). */
  total: number;
  /** Changes when the trace starts over: cached pages are dropped. */
  epoch: number;
  selectedNo: number | null;
  /** The display filter applied ('' for none): the list shows the frames it selects. */
  filter: string;
  /** One capture point's rows instead of each frame once (null: the default view). */
  point: CapturePointRef | null;
  onSelect(row: FrameRow): void;
  onError(context: string, err: unknown): void;
  /** Called whenever loaded rows are shown again (after a new filter or trace too): it may repeat. */
  onFirstRows?(): void;
}

const COLUMNS = ['No.', 'Time', 'Machine:NIC', 'Source', 'Destination', 'Protocol', 'Length', 'Info'];
const HEAD_HEIGHT = 24;

export const PacketList = memo(function PacketList(props: PacketListProps) {
  const { api, epoch, selectedNo, filter, point, onSelect, onError, onFirstRows } = props;
  const pointNic = point?.nic;
  const pointMachine = point?.machine;
  // A filter or a capture point: only the backend knows how many rows the view has.
  const counted = filter !== '' || pointMachine !== undefined;
  const cacheRef = useRef(new FramePageCache());
  const cache = cacheRef.current;
  const bodyRef = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(0);
  const [, setVersion] = useState(0);
  const [pageTotal, setPageTotal] = useState(0);
  /** pageTotal as of now (a new view resets it before this render's effects read the state). */
  const pageTotalRef = useRef(0);
  pageTotalRef.current = pageTotal;
  const [selectedIndex, setSelectedIndex] = useState<number | null>(null);
  /** The rows rendered last: a page fetched ahead that fails is reported when it holds some of them. */
  const shownRows = useRef({ start: 0, end: 0 });
  // Filtered, only the backend knows how many frames match: its answers give the total.
  const total = counted ? pageTotal : Math.max(props.total, pageTotal);

  /**
   * Set by a layout effect that has just changed what the list shows (a new view, the end followed):
   * the render it causes fetches for that, not this render's stale range.
   */
  const rerendering = useRef(false);

  // A new trace or view: forget everything. Not at mount (nothing to forget, and touching scrollTop
  // would force a layout of the whole window before its first paint): the view the list started with.
  const view = JSON.stringify([epoch, filter, pointMachine, pointNic]);
  const viewShown = useRef(view);
  useLayoutEffect(() => {
    if (viewShown.current === view) return;
    viewShown.current = view;
    rerendering.current = true;
    cache.clear();
    setPageTotal(0);
    pageTotalRef.current = 0;
    setSelectedIndex(null);
    stick.current = true;
    if (bodyRef.current) bodyRef.current.scrollTop = 0;
    setScrollTop(0);
    setVersion((v) => v + 1);
  }, [view, cache]);

  /** Fetch one page (the filter's when one is applied) into the cache; its answer updates the total. */
  const fetchPage = useCallback(
    (page: number, ahead = false) => {
      const gen = cache.begin(page);
      const at = pointMachine !== undefined ? { point: pointNic !== undefined ? { machine: pointMachine, nic: pointNic } : { machine: pointMachine } } : {};
      api.listFrames({ offset: page * cache.pageSize, limit: cache.pageSize, ...(filter ? { filter } : {}), ...at }).then(
        (res) => {
          if (!cache.store(page, res.rows, gen)) return;
          setVersion((v) => v + 1);
          if (counted) setPageTotal(res.total);
          else if (res.total > 0) setPageTotal((t) => Math.max(t, res.total));
        },
        (err) => {
          cache.fail(page, gen);
          if (reportsFailure(page, ahead, shownRows.current, cache.pageSize)) onError(filter ? 'Filtering packets failed' : 'Loading packets failed', err);
        },
      );
    },
    [api, cache, filter, pointMachine, pointNic, counted, onError],
  );

  // Filtered and the lab has more frames: ask for the end again to learn how many now match.
  useEffect(() => {
    // The total is read, not watched: a new total comes with the frames of a new status. A new
    // filter or point starts from its first page (the ref, not the previous view's total).
    if (counted) fetchPage(Math.floor(pageTotalRef.current / cache.pageSize));
  }, [props.total, counted, fetchPage, cache]);

  useLayoutEffect(() => {
    const el = bodyRef.current;
    if (!el) return;
    // Its first report comes after the window's first layout (reading clientHeight here would force one).
    const ro = new ResizeObserver(() => setViewport(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // The sticky header scrolls with the body (horizontally too); rows start below it. Past
  // MAX_SPACER_PX of rows the scrollbar is compressed: rows are placed around the scroll position
  // at their content offset (paging.ts scrollMap).
  const map = scrollMap(total, viewport - HEAD_HEIGHT);

  /** The scroll map as last rendered: what the list's scroll position meant when the user last scrolled. */
  const shownMap = useRef(map);

  // Follow the end while at the bottom. Elsewhere, compressed, a new total changes what each scroll
  // pixel stands for: keep the rows the scroll position shows (read now, so a scroll not yet
  // rendered counts) where they are. Declared before the effect that updates shownMap, so it reads
  // the previous render's.
  useLayoutEffect(() => {
    const el = bodyRef.current;
    if (!el || viewport === 0) return;
    if (stick.current) el.scrollTop = el.scrollHeight;
    else if (map.spacer < map.content) el.scrollTop = scrollTopFor(map, contentTop(shownMap.current, el.scrollTop));
    if (el.scrollTop !== scrollTop) rerendering.current = true;
    setScrollTop(el.scrollTop);
  }, [total, viewport]);

  const shownTop = contentTop(map, scrollTop);
  const shift = rowShift(map, scrollTop, shownTop);
  // No rows before the list has a height (and has been moved to the end it follows).
  const { start, end } = viewport === 0 ? { start: 0, end: 0 } : visibleRange(shownTop, map.view, total);
  useLayoutEffect(() => {
    shownMap.current = map;
    shownRows.current = { start, end };
  });

  // Fetch missing pages, for the rows this render shows unless a render for other rows follows. A
  // layout effect, declared after the two that set `rerendering`, so the request is on its way before
  // the paint (a passive effect would wait for it).
  useLayoutEffect(() => {
    if (rerendering.current) {
      rerendering.current = false;
      return;
    }
    for (const page of cache.missing(start, end, total)) fetchPage(page);
    // Then the pages just beyond, so rows scrolled onto at a steady pace are there when they show.
    const near = prefetchRange(start, end, total);
    for (const page of cache.missing(near.start, near.end, total)) fetchPage(page, true);
  });

  const select = useCallback(
    (index: number) => {
      const row = cache.row(index);
      setSelectedIndex(index);
      if (row) onSelect(row);
    },
    [cache, onSelect],
  );

  const scrollIntoView = (index: number) => {
    const el = bodyRef.current;
    if (!el) return;
    const to = scrollToRow(map, el.scrollTop, index);
    if (to !== null) el.scrollTop = to;
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (total === 0) return;
    const page = Math.max(1, Math.floor(map.view / ROW_HEIGHT) - 1);
    const cur = selectedIndex ?? -1;
    const moves: Record<string, number> = {
      ArrowDown: cur + 1,
      ArrowUp: cur - 1,
      PageDown: cur + page,
      PageUp: cur - page,
      Home: 0,
      End: total - 1,
    };
    if (!(e.key in moves)) return;
    e.preventDefault();
    const next = Math.max(0, Math.min(total - 1, moves[e.key]));
    select(next);
    scrollIntoView(next);
  };

  // A frame picked elsewhere (a frame on the canvas): show it here when its page is loaded.
  useEffect(() => {
    if (selectedNo === null) return;
    const index = cache.indexOfNo(selectedNo);
    if (index === undefined || index === selectedIndex) return;
    setSelectedIndex(index);
    stick.current = false;
    scrollIntoView(index);
  }, [selectedNo]);

  // Keep the selection's detail in step once the row arrives (keyboard onto a row not yet loaded).
  const pendingRow = selectedIndex !== null ? cache.row(selectedIndex) : undefined;
  useEffect(() => {
    if (pendingRow && pendingRow.no !== selectedNo) onSelect(pendingRow);
    // Only when the row for the selected index first becomes available.
  }, [pendingRow?.no]);

  let anyLoaded = false;
  const rows = [];
  for (let i = start; i < end; i++) {
    const row = cache.row(i);
    const top = i * ROW_HEIGHT + shift;
    if (!row) {
      rows.push(
        <div key={`p${i}`} className="pl-row pl-loading" style={{ top }} role="row" aria-rowindex={i + 2}>
          <span role="gridcell">…</span>
        </div>,
      );
      continue;
    }
    anyLoaded = true;
    const selected = row.no === selectedNo;
    const colour = rowColour(row);
    rows.push(
      <div
        key={row.no}
        className={`pl-row ${colour.className}${selected ? ' selected' : ''}`}
        title={`Colouring rule: ${colour.rule}`}
        style={{ top }}
        role="row"
        aria-rowindex={i + 2}
        aria-selected={selected}
        data-testid="packet-row"
        data-no={row.no}
        onMouseDown={() => select(i)}
      >
        <span role="gridcell" className="num">{row.no}</span>
        <span role="gridcell" className="num">{formatSeconds(row.timeNs)}</span>
        <span role="gridcell" className="pl-point">
          {row.machine}:{row.nic}
        </span>
        <span role="gridcell">{row.src}</span>
        <span role="gridcell">{row.dst}</span>
        <span role="gridcell">{row.protocol}</span>
        <span role="gridcell" className="num">{row.length}</span>
        <span role="gridcell" title={`${row.machine}:${row.nic} ${row.dir}`}>{row.info}</span>
      </div>,
    );
  }

  useEffect(() => {
    if (anyLoaded) onFirstRows?.(); // the gate keeps the canvas once released: telling it again is harmless
  }, [anyLoaded, onFirstRows]);

  return (
    <section className="packet-list" aria-label="Packet list">
      <div
        className="pl-grid"
        role="grid"
        aria-rowcount={total + 1}
        aria-label="Packets"
        data-testid="packet-list"
        // The render's scroll position and the row it shows at the top: the UI benchmark reads them, since past MAX_SPACER_PX the one is not the other over ROW_HEIGHT.
        data-scroll-top={scrollTop}
        data-top-row={Math.floor(shownTop / ROW_HEIGHT)}
        tabIndex={0}
        onKeyDown={onKeyDown}
      >
        <div
          className="pl-body"
          ref={bodyRef}
          onScroll={(e) => {
            const el = e.currentTarget;
            stick.current = atEnd(map, el.scrollTop);
            setScrollTop(el.scrollTop);
          }}
        >
          <div className="pl-row pl-head" role="row" aria-rowindex={1}>
            {COLUMNS.map((c) => (
              <span key={c} role="columnheader" className={c === 'No.' || c === 'Time' || c === 'Length' ? 'num' : undefined}>
                {c}
              </span>
            ))}
          </div>
          <div className="pl-spacer" style={{ height: map.spacer }}>
            {rows}
          </div>
          {total === 0 && <div className="pl-empty muted">{filter ? 'No packets match the display filter.' : pointMachine !== undefined ? 'Nothing captured at this point yet.' : 'No packets yet. Press Run or Step.'}</div>}
        </div>
      </div>
    </section>
  );
});
