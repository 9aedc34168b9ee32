// A kernel event's structured detail as stored (kernel_event.data). A delivery record repeats four
// fields of its own row (frameId, machine, atNs, summary = frame_id, machine, time_ns, text): a
// third of its JSON, and with one record per frame received, a third of a bulk transfer's kernel
// rows. When all four equal the row's, they are left out and the text is marked with a leading '~'
// (no JSON text starts with it); reading puts them back (as equal values; the keys' order may
// differ from the record's). Anything else is stored as plain JSON.
import type { KernelEvent } from '../../shared/trace';

const MARK = '~';

interface RowEcho {
  frameId?: unknown;
  machine?: unknown;
  atNs?: unknown;
  summary?: unknown;
}

export function packData(e: KernelEvent): string {
  const d = e.data;
  if (d === undefined) return '';
  if (typeof d === 'object' && d !== null && !Array.isArray(d)) {
    const { frameId, machine, atNs, summary, ...rest } = d as RowEcho;
    if (frameId === e.frameId && typeof frameId === 'number' && frameId >= 0 && machine === e.machine && atNs === e.at && summary === e.text) return MARK + JSON.stringify(rest);
  }
  return JSON.stringify(d);
}

export function unpackData(text: string, row: { frameId: number | null; machine: string; at: number; text: string }): unknown {
  if (!text.startsWith(MARK)) return JSON.parse(text);
  return { frameId: row.frameId, ...(JSON.parse(text.slice(1)) as object), summary: row.text, machine: row.machine, atNs: row.at };
}
