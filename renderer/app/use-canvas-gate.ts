// When the topology canvas may load. Its chunk (cytoscape) costs ~60-90 ms of main-thread work to
// evaluate and start; with frames to show at start (a trace opened with the app), that work would
// come before the packet list's first rows. So the canvas waits for the first status and, with frames
// to show, for those rows to be painted; at most WAIT_MS from the start (a host away, a failed page).
// A lab with no frames yet does not wait for rows.
import { useCallback, useEffect, useState } from 'react';
import type { LabStatus } from '../../shared/api/contract';

const WAIT_MS = 1000;

interface GateInput {
  /** null until the first status arrives. */
  frameCount: number | null;
  rowsShown: boolean;
  timedOut: boolean;
}

/** Whether the canvas is held back (until it is first released: the hook keeps it from then on). */
export function holdsCanvas(g: GateInput): boolean {
  if (g.timedOut) return false;
  return g.frameCount === null || (g.frameCount > 0 && !g.rowsShown);
}

export function useCanvasGate(status: LabStatus | null): { ready: boolean; onFirstRows(): void } {
  const [rowsShown, setRowsShown] = useState(false);
  const [timedOut, setTimedOut] = useState(false);
  const [released, setReleased] = useState(false);
  const frameCount = status?.frameCount ?? null;
  // Once released, frames arriving later do not take the canvas away.
  const held = !released && holdsCanvas({ frameCount, rowsShown, timedOut });
  useEffect(() => {
    if (!held) return;
    const t = setTimeout(() => setTimedOut(true), WAIT_MS);
    return () => clearTimeout(t);
  }, [held]);
  if (!held && !released) setReleased(true);
  const onFirstRows = useCallback(() => afterPaint(() => setRowsShown(true)), []);
  return { ready: !held, onFirstRows };
}

/**
 * Run `fn` once the next frame is painted: a task queued from that frame's animation callback runs
 * after its style, layout and paint. The list tells the gate from an effect, which can run before
 * the frame that shows the rows; the canvas's chunk, fetched and evaluated then, would delay it.
 */
export function afterPaint(fn: () => void, win: Pick<typeof globalThis, 'requestAnimationFrame' | 'setTimeout'> = globalThis): void {
  win.requestAnimationFrame(() => void win.setTimeout(fn, 0));
}
