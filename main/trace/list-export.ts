// The packet list as text: CSV as Wireshark's File -> Export Packet Dissections -> As CSV writes it
// (every field quoted, RFC 4180 doubling of quotes, CRLF line ends) with the lab's Machine:NIC
// column, and JSON (an array of FrameRow with the time also in seconds).
import type { FrameRow } from '../../shared/trace';
import type { TraceStore } from './store';

export const LIST_COLUMNS = ['No.', 'Time', 'Machine:NIC', 'Source', 'Destination', 'Protocol', 'Length', 'Info'] as const;

/** Lab time in seconds with every nanosecond (no floating-point rounding). */
export function secondsText(ns: number): string {
  const sign = ns < 0 ? '-' : '';
  const a = Math.abs(ns);
  return `${sign}${Math.floor(a / 1e9)}.${String(a % 1e9).padStart(9, '0')}`;
}

const quote = (v: string | number) => `"${String(v).replace(/"/g, '""')}"`;

export function listCsv(rows: Iterable<FrameRow>): string {
  const lines = [LIST_COLUMNS.map(quote).join(',')];
  for (const r of rows) lines.push([r.no, secondsText(r.timeNs), `${r.machine}:${r.nic}`, r.src, r.dst, r.protocol, r.length, r.info].map(quote).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export function listJson(rows: Iterable<FrameRow>): string {
  const out: string[] = [];
  for (const r of rows) out.push(JSON.stringify({ ...r, time: secondsText(r.timeNs) }));
  return `[\n${out.join(',\n')}\n]\n`;
}

/** The packet list's rows in order: the default view, or only the given frames (FrameRow.no). */
export function* listRows(store: TraceStore, only?: readonly number[]): Iterable<FrameRow> {
  if (only) {
    for (let i = 0; i < only.length; i += 1000) yield* store.rowsByNo(only.slice(i, i + 1000));
    return;
  }
  for (let offset = 0; ; offset += 10_000) {
    const page = store.listFrames({ offset, limit: 10_000 });
    if (page.length === 0) return;
    yield* page;
  }
}
