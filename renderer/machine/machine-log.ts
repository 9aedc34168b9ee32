// The machine's Log tab (pure; see machine-log.test.ts): the lines fetched so far, appended page by
// page, keeping the newest LOG_KEEP; and a line's syslog tag split from its message for display.
import type { LogLine } from '../../shared/api';

/** Lines the Log tab keeps (the oldest go first; the host keeps them all in the trace). */
export const LOG_KEEP = 2000;

export interface LogView {
  machine: string;
  /** The newest lines, oldest first. */
  lines: LogLine[];
  /** How many lines of the machine's log have been fetched: the offset of the next fetch. */
  fetched: number;
}

export function emptyLog(machine: string): LogView {
  return { machine, lines: [], fetched: 0 };
}

/** The view after a page of lines fetched at view.fetched; the same view object when nothing came. */
export function appendLog(view: LogView, more: readonly LogLine[], keep = LOG_KEEP): LogView {
  if (more.length === 0) return view;
  const all = view.lines.concat(more);
  return { machine: view.machine, lines: all.length > keep ? all.slice(all.length - keep) : all, fetched: view.fetched + more.length };
}

/** Lines fetched but no longer kept. */
export function droppedLines(view: LogView): number {
  return view.fetched - view.lines.length;
}

export interface LogParts {
  /** The program that logged it, "ftpd", with its pid; absent for text without a syslog tag. */
  tag?: string;
  pid?: number;
  message: string;
}

/** `ftpd[412]: OK LOGIN: ...` -> tag "ftpd", pid 412, message "OK LOGIN: ...". */
export function splitLogText(text: string): LogParts {
  const m = /^([^\s[\]:]+)\[(\d+)\]: ?([\s\S]*)$/.exec(text);
  if (!m) return { message: text };
  return { tag: m[1]!, pid: Number(m[2]), message: m[3]! };
}
