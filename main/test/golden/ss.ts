// Parser for iproute2 `ss` output as the linux-truth folders hold it (-tan, -tanp, -tanpo, -tano,
// -ltn; with or without the State column, e.g. `ss -tan state time-wait`), and the snapshot files
// that interleave headings ("===== t=+0.7 s =====", "--- server ss -ltn", "### client ns: ...").
//
//   State     Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess
//   TIME-WAIT 0      0           10.0.0.1:42620     10.0.0.2:5000 timer:(timewait,57sec,0)
//   ESTAB     0      0           10.0.0.2:5020     10.0.0.1:33284 users:(("python3",pid=30691,fd=4),("python3",pid=30565,fd=4))

export interface SsAddr {
  /** As printed: '10.0.0.2', '0.0.0.0', '*', '[::]'. */
  addr: string;
  /** A number (-n), '*', or a service name when ss ran without -n ('ssh', 'http'). */
  port: number | string;
}

export interface SsUser {
  name: string;
  pid: number;
  fd: number;
}

export interface SsTimer {
  /** on, keepalive, timewait, persist, off ... */
  name: string;
  /** Time left in ms (ss prints 1916 ms as "1.916ms", 57 s as "57sec"); null if unreadable. */
  ms: number | null;
  /** Retransmissions (or keepalive probes) so far. */
  retrans: number;
  raw: string;
}

export interface SsRow {
  netid?: string;
  /** Absent when the output had no State column. */
  state?: string;
  recvQ: number;
  sendQ: number;
  local: SsAddr;
  peer: SsAddr;
  users?: SsUser[];
  timer?: SsTimer;
  /** Other columns (ino:, sk:, cgroup:, <-> ...). */
  extra: string[];
  raw: string;
}

export interface SsTable {
  /** The headings in effect ('===== ...' then '---'/'###' lines), outermost first. */
  headings: string[];
  /** The file it came from (set by whoever loads it; checks may select by it). */
  source?: string;
  /** Taken from the headings: which namespace, which ss options, when (seconds). */
  host?: 'server' | 'client';
  view?: string;
  at?: number;
  /** The header line's columns as printed. */
  header: string;
  rows: SsRow[];
}

export interface SsText {
  tables: SsTable[];
  /** Lines inside a table that did not parse as rows (should be none). */
  unparsed: string[];
}

/** Inverse of iproute2's print_ms_timer: "880ms", "1.916ms" (1 s 916 ms), "57sec", "2min", "1min30sec". */
export function parseSsDuration(s: string): number | null {
  const m = /^(?:(\d+)min)?(?:(\d+)(sec|\.))?(?:(\d+)ms)?$/.exec(s);
  if (!m || s === '') return null;
  return Number(m[1] ?? 0) * 60_000 + Number(m[2] ?? 0) * 1000 + Number(m[4] ?? 0);
}

export function parseSsTimer(tok: string): SsTimer | null {
  const m = /^timer:\(([^,()]+),([^,()]*),(\d+)\)$/.exec(tok);
  if (!m) return null;
  return { name: m[1]!, ms: parseSsDuration(m[2]!), retrans: Number(m[3]), raw: tok };
}

export function parseSsUsers(tok: string): SsUser[] | null {
  if (!tok.startsWith('users:(') || !tok.endsWith(')')) return null;
  const out: SsUser[] = [];
  const re = /\("((?:[^"\\]|\\.)*)",pid=(\d+),fd=(\d+)\)/g;
  for (let m = re.exec(tok); m; m = re.exec(tok)) out.push({ name: m[1]!, pid: Number(m[2]), fd: Number(m[3]) });
  return out;
}

export function parseSsAddr(s: string): SsAddr | null {
  const at = s.lastIndexOf(':');
  if (at <= 0) return null;
  const p = s.slice(at + 1);
  const port = /^\d+$/.test(p) ? Number(p) : /^(\*|[A-Za-z][\w.-]*)$/.test(p) ? p : null;
  return port === null ? null : { addr: s.slice(0, at), port };
}

/** Whitespace-separated tokens; parentheses and quotes keep their spaces (process names). */
function tokens(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '(') depth++;
    else if (!quoted && ch === ')') depth = Math.max(0, depth - 1);
    if (/\s/.test(ch) && depth === 0 && !quoted) {
      if (cur !== '') out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur !== '') out.push(cur);
  return out;
}

const STATES = new Set([
  'ESTAB', 'SYN-SENT', 'SYN-RECV', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT', 'UNCONN', 'CLOSE-WAIT', 'LAST-ACK', 'LISTEN', 'CLOSING', 'CLOSED', 'UNKNOWN',
]);

export interface SsColumns {
  netid: boolean;
  state: boolean;
}

/** Column layout from a header line, or null when the line is not an ss header. */
export function ssHeader(line: string): SsColumns | null {
  const t = line.trim();
  if (/^Netid\s+State\s+Recv-Q\s+Send-Q\b/.test(t)) return { netid: true, state: true };
  if (/^State\s+Recv-Q\s+Send-Q\b/.test(t)) return { netid: false, state: true };
  if (/^Recv-Q\s+Send-Q\s+Local/.test(t)) return { netid: false, state: false };
  return null;
}

export function parseSsRow(line: string, cols: SsColumns = { netid: false, state: true }): SsRow | null {
  const tok = tokens(line.trim());
  let i = 0;
  const row: Partial<SsRow> = { extra: [], raw: line.trimEnd() };
  if (cols.netid) row.netid = tok[i++];
  if (cols.state) {
    const st = tok[i++];
    if (st === undefined || !STATES.has(st)) return null;
    row.state = st;
  }
  const rq = tok[i++];
  const sq = tok[i++];
  if (rq === undefined || sq === undefined || !/^\d+$/.test(rq) || !/^\d+$/.test(sq)) return null;
  row.recvQ = Number(rq);
  row.sendQ = Number(sq);
  const local = parseSsAddr(tok[i++] ?? '');
  const peer = parseSsAddr(tok[i++] ?? '');
  if (!local || !peer) return null;
  row.local = local;
  row.peer = peer;
  for (; i < tok.length; i++) {
    const t = tok[i]!;
    const users = parseSsUsers(t);
    const timer = users ? null : parseSsTimer(t);
    if (users) row.users = users;
    else if (timer) row.timer = timer;
    else row.extra!.push(t);
  }
  return row as SsRow;
}

function headingInfo(headings: readonly string[], nth: number): Pick<SsTable, 'host' | 'view' | 'at'> {
  const text = headings.join(' ');
  const out: Pick<SsTable, 'host' | 'view' | 'at'> = {};
  const last = headings[headings.length - 1] ?? '';
  const host = /\b(server|client)\b/.exec(last) ?? /\b(server|client)\b/.exec(text);
  if (host) out.host = host[1] as 'server' | 'client';
  const views = [...last.matchAll(/ss\s+(-\w+)|\/\s*(-\w+)/g)].map((m) => m[1] ?? m[2]!);
  if (views.length > 0) out.view = views[Math.min(nth, views.length - 1)]!;
  const at = /\bt\s*[=~]\s*\+?(\d+(?:\.\d+)?)/.exec(text);
  if (at) out.at = Number(at[1]);
  return out;
}

/**
 * Every table in a text: snapshot files, single `ss` outputs, logs with embedded tables. Lines starting
 * with '=====' open a new outer heading; '---' and '###' lines an inner one. Other text ends a table.
 */
export function parseSs(text: string): SsText {
  const out: SsText = { tables: [], unparsed: [] };
  let outer: string | undefined;
  let inner: string | undefined;
  let underInner = 0;
  let table: SsTable | null = null;
  let cols: SsColumns | null = null;
  // A heading without a time ("### client ns: ss -tanpo") shares the time of the table before it.
  let lastAt: number | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    const t = line.trim();
    if (t.startsWith('=====')) {
      outer = t;
      inner = undefined;
      underInner = 0;
      table = null;
      lastAt = undefined;
      continue;
    }
    if (t.startsWith('---') || t.startsWith('###')) {
      inner = t;
      underInner = 0;
      table = null;
      continue;
    }
    const h = ssHeader(t);
    if (h) {
      const headings = [outer, inner].filter((x): x is string => x !== undefined);
      table = { headings, ...headingInfo(headings, underInner++), header: t, rows: [] };
      if (/\bat end\b/.test(inner ?? '')) delete table.at;
      else if (table.at === undefined && lastAt !== undefined) table.at = lastAt;
      lastAt = table.at;
      cols = h;
      out.tables.push(table);
      continue;
    }
    if (t === '') {
      table = null;
      continue;
    }
    if (table && cols) {
      const row = parseSsRow(line, cols);
      if (row) table.rows.push(row);
      else if (/^\s*[A-Z-]+\s+\d+\s+\d+\s/.test(line)) out.unparsed.push(line);
      else table = null; // prose after a table (logs)
    }
  }
  return out;
}

export interface SsQuery {
  host?: 'server' | 'client';
  view?: string;
  /** Snapshot time: the table whose `at` is within 0.5 s. */
  at?: number;
  heading?: RegExp;
  /** The table's source ends with this (a file name). */
  source?: string;
  /** Which of the matching tables (default 0). */
  nth?: number;
}

/** The table for a host/view/time/source. */
export function findSsTable(tables: readonly SsTable[], q: SsQuery): SsTable | undefined {
  const hits = tables.filter(
    (t) =>
      (q.host === undefined || t.host === q.host) &&
      (q.view === undefined || t.view === q.view) &&
      (q.at === undefined || (t.at !== undefined && Math.abs(t.at - q.at) <= 0.5)) &&
      (q.heading === undefined || t.headings.some((h) => q.heading!.test(h))) &&
      (q.source === undefined || (t.source ?? '').endsWith(q.source)),
  );
  return hits[q.nth ?? 0];
}
