// Running checks: the packet statements (check-trace.ts) plus socket tables, counters and logs.
// A run without the artefact a check needs reports it as skipped, not failed, so a stack can be
// tested on packets first.
import { checkTrace, type Verdict } from './check-trace';
import { compareCounters, counterValue } from './nstat';
import { findSsTable, type SsQuery } from './ss';
import { canonicalSsRow, clientPortRoles } from './ss-compare';
import { fmt, matches, RefError, resolveConns, type GoldenRun } from './run';
import type { Check, Statement } from './statements';

export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface CheckResult {
  id: string;
  refs: readonly string[];
  text: string;
  status: CheckStatus;
  detail: string;
}

type Roles = Readonly<Record<string, number>>;

function ss(st: Extract<Statement, { kind: 'ss' }>, run: GoldenRun): Verdict | string {
  if (!run.ss) return 'no ss snapshots in this run';
  const q: SsQuery = {};
  if (st.host !== undefined) q.host = st.host;
  if (st.at !== undefined) q.at = st.at;
  if (st.view !== undefined) q.view = st.view;
  if (st.source !== undefined) q.source = st.source;
  if (st.nth !== undefined) q.nth = st.nth;
  const table = findSsTable(run.ss, q);
  const where = `${st.host ?? ''} ss${st.view ? ` ${st.view}` : ''}${st.at === undefined ? '' : ` at +${st.at} s`}${st.source ? ` in ${st.source}${st.nth ? ` #${st.nth}` : ''}` : ''}`.trim();
  if (!table) return { ok: false, detail: `no ${where} snapshot` };
  const rows = table.rows.map((r) => canonicalSsRow(r, { ...st.canon, portRoles: clientPortRoles(run.trace) }));
  const bad: string[] = [];
  if (st.exact) {
    const left = [...rows];
    for (const want of st.exact) {
      const i = left.indexOf(want);
      if (i < 0) bad.push(`missing: ${want}`);
      else left.splice(i, 1);
    }
    for (const extra of left) bad.push(`unexpected: ${extra}`);
  }
  for (const want of st.contains ?? []) if (!rows.includes(want)) bad.push(`missing: ${want}`);
  for (const state of st.noState ?? []) for (const r of table.rows) if (r.state === state) bad.push(`unexpected ${state} row: ${r.raw.trim()}`);
  const shown = rows.length ? rows.join(' | ') : '(no rows)';
  return bad.length === 0 ? { ok: true, detail: `${where}: ${shown}` } : { ok: false, detail: `${where}: ${bad.join('; ')}\n  rows: ${shown}` };
}

function artefacts(st: Statement, run: GoldenRun, roles: Roles): Verdict | string {
  switch (st.kind) {
    case 'ss':
      return ss(st, run);
    case 'counters': {
      if (!run.counters) return 'no counters in this run';
      const d = compareCounters(st.equals, run.counters);
      return { ok: d.ok, detail: d.ok ? Object.entries(st.equals).map(([k, v]) => `${k} ${v}`).join(', ') : d.report };
    }
    case 'counterIsCount': {
      if (!run.counters) return 'no counters in this run';
      const n = resolveConns(run.trace, roles, st.conns).reduce((a, c) => a + c.segments.filter((s) => matches(s, st.where)).length, 0);
      const v = counterValue(run.counters, st.counter);
      return { ok: v === n, detail: `${st.counter} = ${v ?? 'absent'}; matching segments in the trace: ${fmt(n)}` };
    }
    case 'log': {
      const text = run.logs?.[st.file];
      if (text === undefined) return `no log ${st.file} in this run`;
      const line = text.split('\n').find((l) => new RegExp(st.pattern).test(l));
      return line !== undefined ? { ok: true, detail: `${st.file}: ${line.trim()}` } : { ok: false, detail: `${st.file} has no line matching /${st.pattern}/` };
    }
    default:
      return 'unknown statement kind';
  }
}

export function runCheck(check: Check, run: GoldenRun, roles: Roles = {}): CheckResult {
  const base = { id: check.id, refs: check.refs, text: check.text };
  try {
    const v = checkTrace(check.statement, run, roles) ?? artefacts(check.statement, run, roles);
    if (typeof v === 'string') return { ...base, status: 'skip', detail: v };
    return { ...base, status: v.ok ? 'pass' : 'fail', detail: v.detail };
  } catch (e) {
    if (e instanceof RefError) return { ...base, status: 'fail', detail: e.message };
    throw e;
  }
}

export interface ChecksReport {
  ok: boolean;
  results: CheckResult[];
  /** One line per check (FAIL first, with details), for a failing test's message. */
  report: string;
}

export function runChecks(checks: readonly Check[], run: GoldenRun, roles: Roles = {}, title = 'checks'): ChecksReport {
  const results = checks.map((c) => runCheck(c, run, roles));
  const fails = results.filter((r) => r.status === 'fail');
  const skips = results.filter((r) => r.status === 'skip');
  const line = (r: CheckResult): string => `${r.status.toUpperCase().padEnd(4)} ${r.id} [${r.refs.join(', ')}] ${r.text}`;
  const lines = [
    `${title}: ${results.length - fails.length - skips.length} passed, ${fails.length} failed, ${skips.length} skipped`,
    ...fails.flatMap((r) => [line(r), ...r.detail.split('\n').map((d) => `       ${d}`)]),
    ...skips.map((r) => `${line(r)} (${r.detail})`),
  ];
  return { ok: fails.length === 0, results, report: lines.join('\n') };
}
