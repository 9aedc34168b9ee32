// How the machine views stay current without timers of their own: fetch when what they show changes
// (the deps: machine, trace epoch...) and again on each status event the host sends, at most 4 times
// a second (RefreshGate). When the lab is paused and nothing changes, nothing is fetched.
import { useEffect, useRef } from 'react';
import type { LabStatus } from '../../shared/api';
import { browserClock, RefreshGate } from '../util/refresh-gate';

export const MACHINE_REFRESH_MS = 250;

/**
 * `makeFetch(live)` builds the fetch for the current deps (null: nothing to fetch); `live()` turns
 * false once the deps change, so a late answer is dropped.
 */
export function useStatusRefresh(makeFetch: ((live: () => boolean) => () => Promise<void>) | null, status: LabStatus | null, deps: readonly unknown[]): void {
  const gate = useRef<RefreshGate | null>(null);
  const seenStatus = useRef<LabStatus | null>(null);
  const statusNow = useRef(status);
  statusNow.current = status;

  useEffect(() => {
    if (!makeFetch) {
      gate.current = null;
      return;
    }
    let live = true;
    const g = new RefreshGate(makeFetch(() => live), MACHINE_REFRESH_MS, browserClock);
    gate.current = g;
    seenStatus.current = statusNow.current;
    g.request(true);
    return () => {
      live = false;
      g.dispose();
      if (gate.current === g) gate.current = null;
    };
    // The caller's deps decide when the fetch starts over (makeFetch is a new closure each render).
  }, deps);

  useEffect(() => {
    if (status === seenStatus.current) return;
    seenStatus.current = status;
    gate.current?.request();
  }, [status]);
}

/**
 * `status`, kept as it was while the trace it describes is the same (frames, capture rows, lab):
 * for views of the trace (I/O graph, statistics), which a moving clock alone does not change, so
 * a running lab without traffic fetches nothing.
 */
export function useTraceStatus(status: LabStatus | null): LabStatus | null {
  const kept = useRef(status);
  if (!sameTrace(kept.current, status)) kept.current = status;
  return kept.current;
}

/** Whether two statuses describe the same trace: the same lab, frames and capture rows. */
export function sameTrace(a: LabStatus | null, b: LabStatus | null): boolean {
  return a?.frameCount === b?.frameCount && a?.captureCount === b?.captureCount && a?.labName === b?.labName;
}
