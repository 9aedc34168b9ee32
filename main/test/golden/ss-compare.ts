// Socket-table rows compared across runs: ephemeral ports, pids and timer values legitimately differ,
// so rows are reduced to a canonical text first, then compared as multisets (ss prints hash order).
import { withinTolerance } from './compare';
import type { SsAddr, SsRow } from './ss';
import type { NormalizedTrace } from './types';

export interface SsCanonOptions {
  /** The ephemeral range (default Linux's 32768-60999): such ports print as EPH(even)/EPH(odd). */
  ephemeral?: readonly [number, number];
  /** Names for particular ports (e.g. each client's port -> 'c1'); they win over the rules above. */
  portRoles?: ReadonlyMap<number, string>;
  /** Ports kept literally even inside the ephemeral range. */
  keepPorts?: readonly number[];
  /** users:(...): 'fds' (default: the fds and how many processes), 'full' (names too), 'none'. */
  users?: 'none' | 'fds' | 'full';
  /** timer:(...): 'name+retrans' (default), 'name', 'none'. Time left is compared apart (timerTolerance). */
  timer?: 'none' | 'name' | 'name+retrans';
  /** Compare Recv-Q/Send-Q (default true). */
  queues?: boolean;
}

export interface SsCompareOptions extends SsCanonOptions {
  /** Time left on paired timers within ±rel or ±abs ms (default: not compared). */
  timerTolerance?: { rel?: number; absMs?: number };
}

export interface SsDiff {
  ok: boolean;
  /** Canonical rows expected but not found / found but not expected. */
  missing: string[];
  extra: string[];
  /** Timer differences of paired rows. */
  timers: string[];
  report: string;
}

function port(a: SsAddr, o: SsCanonOptions): string {
  if (typeof a.port === 'string') return a.port;
  const role = o.portRoles?.get(a.port);
  if (role !== undefined) return role;
  if (o.keepPorts?.includes(a.port)) return String(a.port);
  const [lo, hi] = o.ephemeral ?? [32768, 60999];
  if (a.port >= lo && a.port <= hi) return a.port % 2 === 0 ? 'EPH(even)' : 'EPH(odd)';
  return String(a.port);
}

/** One row as comparable text, e.g. "ESTAB 0 0 10.0.0.2:5010 10.0.0.1:c1 users:(fd=4,fd=4;2 procs)". */
export function canonicalSsRow(r: SsRow, o: SsCanonOptions = {}): string {
  const parts: string[] = [];
  if (r.state !== undefined) parts.push(r.state);
  if (o.queues !== false) parts.push(String(r.recvQ), String(r.sendQ));
  parts.push(`${r.local.addr}:${port(r.local, o)}`, `${r.peer.addr}:${port(r.peer, o)}`);
  const users = o.users ?? 'fds';
  if (r.users && users !== 'none') {
    const fds = r.users.map((u) => (users === 'full' ? `"${u.name}",fd=${u.fd}` : `fd=${u.fd}`)).sort();
    const procs = new Set(r.users.map((u) => u.pid)).size;
    parts.push(`users:(${fds.join(',')};${procs} proc${procs === 1 ? '' : 's'})`);
  }
  const timer = o.timer ?? 'name+retrans';
  if (r.timer && timer !== 'none') parts.push(timer === 'name' ? `timer:(${r.timer.name})` : `timer:(${r.timer.name},${r.timer.retrans})`);
  return parts.join(' ');
}

/** Client port -> 'c1', 'c2' ... in the order the connections started (SYN order). */
export function clientPortRoles(trace: NormalizedTrace, prefix = 'c'): Map<number, string> {
  const roles = new Map<number, string>();
  const conns = [...trace.connections].sort((a, b) => (a.synAt ?? Infinity) - (b.synAt ?? Infinity) || a.index - b.index);
  for (const c of conns) if (!roles.has(c.client.port)) roles.set(c.client.port, `${prefix}${roles.size + 1}`);
  return roles;
}

/** Expected rows vs actual rows, order ignored. */
export function compareSsRows(expected: readonly SsRow[], actual: readonly SsRow[], opts: SsCompareOptions = {}, expectedOpts: SsCanonOptions = opts): SsDiff {
  const ek = expected.map((r) => canonicalSsRow(r, expectedOpts));
  const ak = actual.map((r) => canonicalSsRow(r, opts));
  const pool = new Map<string, number[]>();
  ak.forEach((k, i) => pool.set(k, [...(pool.get(k) ?? []), i]));
  const missing: string[] = [];
  const timers: string[] = [];
  const lines: string[] = [];
  ek.forEach((k, i) => {
    const hit = pool.get(k);
    const j = hit?.shift();
    if (j === undefined) {
      missing.push(k);
      lines.push(`- ${k}`);
      return;
    }
    const et = expected[i]!.timer;
    const at = actual[j]!.timer;
    let note = '';
    if (opts.timerTolerance && et?.ms != null && at?.ms != null) {
      const tol = { rel: opts.timerTolerance.rel ?? 0.1, abs: (opts.timerTolerance.absMs ?? 20) / 1000 };
      if (!withinTolerance(et.ms / 1000, at.ms / 1000, tol)) {
        note = `   timer ${at.raw} vs ${et.raw}`;
        timers.push(`${k}: ${at.raw} vs ${et.raw}`);
      }
    }
    lines.push(`${note ? '!' : ' '} ${k}${note}`);
  });
  const extra = [...pool.values()].flat().sort((x, y) => x - y).map((j) => ak[j]!);
  for (const k of extra) lines.push(`+ ${k}`);
  const ok = missing.length === 0 && extra.length === 0 && timers.length === 0;
  const head = `ss rows: ${missing.length} missing (-), ${extra.length} unexpected (+), ${timers.length} timer difference(s) (!); order ignored, EPH = an ephemeral port`;
  return { ok, missing, extra, timers, report: ok ? '' : [head, ...lines].join('\n') };
}
