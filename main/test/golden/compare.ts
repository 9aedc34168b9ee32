// Expected (a linux-truth capture, or a hand-written list) vs actual (our trace), with the README's
// tolerances: timing within ±10 % or ±20 ms, whichever is larger, of the time since an anchor (the
// connection's first packet by default). The result is a report a person can read in a failing test.
import { align } from './align';
import { datagramView, type ExpectedConnection, type ExpectedDatagram, type ExpectedSegment, type ExpectedTrace } from './expect';
import { sameFlags } from './flags';
import { formatDatagram, formatEndpoints, formatSegment, formatTime, table } from './format';
import type { NormalizedTrace } from './types';

/** Segment fields that can be compared (or ignored). 'seq' = relSeq, plus rawSeq on a 'first' base. */
export type SegField = 't' | 'flags' | 'seq' | 'ack' | 'len' | 'win' | 'options' | 'mss' | 'wscale' | 'sack';
export type DatagramField = 't' | 'len' | 'tos' | 'df' | 'port' | 'icmp' | 'quote';

export interface TimingOptions {
  /**
   * What times are measured from: 'connection' (its first packet; default), 'trace' (the trace
   * origin), 'previous' (the previous packet of the same list: gaps such as a delayed ACK), or an
   * explicit pair of times (seconds) in each trace's time base.
   */
  anchor?: 'connection' | 'trace' | 'previous' | { expected: number; actual: number };
  /** Relative tolerance (default 0.10). */
  rel?: number;
  /** Absolute tolerance in seconds (default 0.020). */
  abs?: number;
}

export type ConnectionMatch = 'syn-order' | 'client-port-order' | 'first-packet-order' | ReadonlyArray<readonly [number, number]>;

export interface CompareOptions {
  /** How expected and actual connections are paired (default 'syn-order'; or explicit [e, a] pairs). */
  match?: ConnectionMatch;
  /** Compare only these expected connections (indices after ordering); the rest are not reported. */
  only?: readonly number[];
  /** Timing check, or false to ignore times. */
  timing?: TimingOptions | false;
  /** Fields never compared. TS values and ISNs are never compared anyway. */
  ignore?: readonly SegField[];
  /** Fields ignored for particular segments. */
  ignoreWhen?: (s: ExpectedSegment, c: ExpectedConnection) => readonly SegField[];
  /** Ignore the window of segments without SYN (it depends on buffer auto-tuning). */
  ignoreDataWindow?: boolean;
  /** Compare UDP/ICMP datagrams (default true), ignoring these fields. */
  datagrams?: boolean | { ignore?: readonly DatagramField[] };
  /** Labels for the report header (e.g. 'linux a.pcap', 'sim'). */
  labels?: { expected?: string; actual?: string };
  /** Show matching rows too (default true: the context helps); at most this many rows per table. */
  showMatching?: boolean;
  maxRows?: number;
}

export interface Difference {
  /** 'connections', 'conn 2', 'datagrams'. */
  where: string;
  /** Index in the expected list (segment or datagram), when there is one. */
  e?: number;
  /** Index in the actual list, when there is one. */
  a?: number;
  field: SegField | DatagramField | 'missing' | 'extra' | 'count' | 'kind' | 'dir';
  expected: string;
  actual: string;
}

export interface GoldenDiff {
  ok: boolean;
  differences: Difference[];
  /** Empty when ok; else a table-like diff. */
  report: string;
}

const DEFAULT_TIMING: Required<Omit<TimingOptions, 'anchor'>> = { rel: 0.1, abs: 0.02 };

/** |actual - expected| within max(rel * |expected|, abs) (expected, actual: offsets from the anchor). */
export function withinTolerance(expected: number, actual: number, tol: { rel?: number; abs?: number } = {}): boolean {
  return Math.abs(actual - expected) <= toleranceFor(expected, tol) + 1e-9;
}

export function toleranceFor(expected: number, tol: { rel?: number; abs?: number } = {}): number {
  return Math.max((tol.rel ?? DEFAULT_TIMING.rel) * Math.abs(expected), tol.abs ?? DEFAULT_TIMING.abs);
}

function isNormalized(t: ExpectedTrace | NormalizedTrace): t is NormalizedTrace {
  return 'originNs' in t;
}

function toExpected(t: ExpectedTrace | NormalizedTrace): ExpectedTrace {
  if (!isNormalized(t)) return t;
  return { connections: t.connections, datagrams: t.datagrams.map(datagramView) };
}

/** Connection indices in matching order. */
function ordered(conns: readonly ExpectedConnection[], how: Exclude<ConnectionMatch, ReadonlyArray<readonly [number, number]>>): number[] {
  const idx = conns.map((_, i) => i);
  if (how === 'first-packet-order') return idx;
  if (how === 'client-port-order') return idx.sort((x, y) => (conns[x]!.client?.port ?? 0) - (conns[y]!.client?.port ?? 0) || x - y);
  const synAt = (c: ExpectedConnection): number => c.synAt ?? Number.POSITIVE_INFINITY;
  return idx.sort((x, y) => synAt(conns[x]!) - synAt(conns[y]!) || x - y);
}

function pairConnections(e: readonly ExpectedConnection[], a: readonly ExpectedConnection[], opts: CompareOptions): Array<[number | undefined, number | undefined]> {
  const m = opts.match ?? 'syn-order';
  let pairs: Array<[number | undefined, number | undefined]>;
  if (typeof m !== 'string') pairs = m.map(([x, y]) => [x, y]);
  else {
    const oe = ordered(e, m);
    const oa = ordered(a, m);
    pairs = [];
    for (let k = 0; k < Math.max(oe.length, oa.length); k++) pairs.push([oe[k], oa[k]]);
  }
  if (opts.only) {
    const only = new Set(opts.only);
    pairs = pairs.filter(([x]) => x !== undefined && only.has(x));
  }
  return pairs;
}

interface Timing {
  /** The anchor time for item i of a list (a connection's segments; datagrams: 'connection' = the first). */
  list: (l: ReadonlyArray<{ t?: number }>, i: number, side: 'e' | 'a') => number | undefined;
  tol: { rel: number; abs: number };
}

function offset(l: ReadonlyArray<{ t?: number }>, i: number, timing: Timing, side: 'e' | 'a'): number | undefined {
  const anc = timing.list(l, i, side);
  const t = l[i]?.t;
  return anc === undefined || t === undefined ? undefined : t - anc;
}

function timingOf(opts: CompareOptions): Timing | null {
  if (opts.timing === false) return null;
  const t = opts.timing ?? {};
  const tol = { rel: t.rel ?? DEFAULT_TIMING.rel, abs: t.abs ?? DEFAULT_TIMING.abs };
  const anchor = t.anchor ?? 'connection';
  // A hand-written list whose first item has no time counts its times from 0.
  const firstOf = (l: ReadonlyArray<{ t?: number }>): number | undefined => l[0]?.t ?? 0;
  const prevOf = (l: ReadonlyArray<{ t?: number }>, i: number): number | undefined => (i > 0 ? l[i - 1]!.t : l[i]?.t);
  if (anchor === 'connection') return { list: firstOf, tol };
  if (anchor === 'previous') return { list: prevOf, tol };
  if (anchor === 'trace') return { list: () => 0, tol };
  return { list: (_l, _i, side) => (side === 'e' ? anchor.expected : anchor.actual), tol };
}

/** The fields of `a` that differ from those given in `e` (times excepted), as "field: actual vs expected". */
export function segmentDifferences(e: ExpectedSegment, a: ExpectedSegment, ignore: readonly SegField[] = []): string[] {
  const out: string[] = [];
  if (e.dir !== a.dir) out.push(`dir: ${a.dir} vs ${e.dir}`);
  compareSegment(e, a, new Set(ignore), (f, ev, av) => out.push(`${f}: ${av} vs ${ev}`));
  return out;
}

function compareSegment(
  e: ExpectedSegment, a: ExpectedSegment, skip: ReadonlySet<SegField>, push: (field: SegField, ev: string, av: string) => void,
): void {
  const on = (f: SegField): boolean => !skip.has(f);
  if (on('flags') && !sameFlags(e.flags, a.flags)) push('flags', e.flags, a.flags);
  if (on('seq')) {
    if (e.relSeq !== undefined && e.relSeq !== a.relSeq) push('seq', `${e.relSeq}`, `${a.relSeq}`);
    if (e.seqBase === 'first' && e.rawSeq !== undefined && e.rawSeq !== a.rawSeq) push('seq', `raw ${e.rawSeq}`, `raw ${a.rawSeq}`);
  }
  if (on('ack') && e.relAck !== undefined && e.relAck !== a.relAck) push('ack', `${e.relAck}`, `${a.relAck}`);
  if (on('len') && e.len !== undefined && e.len !== a.len) push('len', `${e.len}`, `${a.len}`);
  if (on('win') && e.win !== undefined && e.win !== a.win) push('win', `${e.win}`, `${a.win}`);
  if (on('options') && e.options !== undefined && (a.options ?? []).join(',') !== e.options.join(',')) push('options', e.options.join(',') || 'none', (a.options ?? []).join(',') || 'none');
  if (on('mss') && e.mss !== undefined && e.mss !== a.mss) push('mss', `${e.mss}`, `${a.mss}`);
  if (on('wscale') && e.wscale !== undefined && e.wscale !== a.wscale) push('wscale', `${e.wscale}`, `${a.wscale}`);
  if (on('sack') && e.sackBlocks !== undefined && e.sackBlocks !== a.sackBlocks) push('sack', `${e.sackBlocks}`, `${a.sackBlocks}`);
}

interface Section {
  title: string;
  rows: string[][];
  diffs: number;
}

function compareConnection(
  where: string, ec: ExpectedConnection, ac: ExpectedConnection, opts: CompareOptions, timing: Timing | null, out: Difference[],
): Section {
  const pairs = align(ec.segments, ac.segments, (s) => `${s.dir}|${s.flags}`, (s) => `${s.dir}|${s.flags}`);
  const rows: string[][] = [['', 'e', 'a', 'dir', 'expected', 'actual', 'differences']];
  let diffs = 0;
  for (const p of pairs) {
    const es = p.e === undefined ? undefined : ec.segments[p.e];
    const as = p.a === undefined ? undefined : ac.segments[p.a];
    const notes: string[] = [];
    const push = (field: Difference['field'], ev: string, av: string, note?: string): void => {
      const d: Difference = { where, field, expected: ev, actual: av };
      if (p.e !== undefined) d.e = p.e;
      if (p.a !== undefined) d.a = p.a;
      out.push(d);
      notes.push(note ?? `${field}: ${av} vs ${ev}`);
    };
    const eOff = es?.t !== undefined && timing ? offset(ec.segments, p.e!, timing, 'e') : undefined;
    const aOff = as?.t !== undefined && timing ? offset(ac.segments, p.a!, timing, 'a') : undefined;
    if (es && as) {
      const skip = new Set<SegField>(opts.ignore ?? []);
      for (const f of opts.ignoreWhen?.(es, ec) ?? []) skip.add(f);
      if (opts.ignoreDataWindow && !es.flags.includes('S')) skip.add('win');
      if (es.dir !== as.dir) push('dir', es.dir, as.dir);
      compareSegment(es, as, skip, push);
      if (!skip.has('t') && eOff !== undefined && aOff !== undefined && timing && !withinTolerance(eOff, aOff, timing.tol)) {
        push('t', formatTime(eOff), formatTime(aOff), `t: ${formatTime(aOff)} vs ${formatTime(eOff)} (±${toleranceFor(eOff, timing.tol).toFixed(3)})`);
      }
    } else if (es) push('missing', formatSegment(es), '', 'missing');
    else if (as) push('extra', '', formatSegment(as), 'extra');
    diffs += notes.length;
    if (notes.length > 0 || opts.showMatching !== false) {
      const text = (s: ExpectedSegment | undefined, off: number | undefined): string => (s ? `${formatSegment(s)}${off === undefined ? '' : ` ${formatTime(off)}`}` : '');
      const same = es && as && notes.length === 0;
      rows.push([notes.length > 0 ? '!' : '', p.e === undefined ? '-' : `${p.e}`, p.a === undefined ? '-' : `${p.a}`, (es ?? as)!.dir, text(es, eOff), same ? '=' : text(as, aOff), notes.join('; ')]);
    }
  }
  const label = ec.label ? ` "${ec.label}"` : '';
  return { title: `${where}${label}: expected ${formatEndpoints(ec.client, ec.server)}, actual ${formatEndpoints(ac.client, ac.server)}: ${diffs} difference${diffs === 1 ? '' : 's'}`, rows, diffs };
}

function compareDatagrams(e: readonly ExpectedDatagram[], a: readonly ExpectedDatagram[], opts: CompareOptions, timing: Timing | null, out: Difference[]): Section {
  const ignore = new Set(typeof opts.datagrams === 'object' ? (opts.datagrams.ignore ?? []) : []);
  const key = (d: ExpectedDatagram): string => `${d.dir}|${d.kind}|${d.type ?? ''}/${d.code ?? ''}`;
  const pairs = align(e, a, key, key);
  const rows: string[][] = [['', 'e', 'a', 'dir', 'expected', 'actual', 'differences']];
  let diffs = 0;
  for (const p of pairs) {
    const ed = p.e === undefined ? undefined : e[p.e];
    const ad = p.a === undefined ? undefined : a[p.a];
    const notes: string[] = [];
    const push = (field: Difference['field'], ev: string, av: string, note?: string): void => {
      const d: Difference = { where: 'datagrams', field, expected: ev, actual: av };
      if (p.e !== undefined) d.e = p.e;
      if (p.a !== undefined) d.a = p.a;
      out.push(d);
      notes.push(note ?? `${field}: ${av} vs ${ev}`);
    };
    const eOff = ed?.t !== undefined && timing ? offset(e, p.e!, timing, 'e') : undefined;
    const aOff = ad?.t !== undefined && timing ? offset(a, p.a!, timing, 'a') : undefined;
    if (ed && ad) {
      const on = (f: DatagramField): boolean => !ignore.has(f);
      if (ed.kind !== ad.kind) push('kind', ed.kind, ad.kind);
      if (ed.dir !== ad.dir) push('dir', ed.dir, ad.dir);
      if (on('len') && ed.len !== undefined && ed.len !== ad.len) push('len', `${ed.len}`, `${ad.len}`);
      if (on('tos') && ed.tos !== undefined && ed.tos !== ad.tos) push('tos', `${ed.tos}`, `${ad.tos}`);
      if (on('df') && ed.df !== undefined && ed.df !== ad.df) push('df', `${ed.df}`, `${ad.df}`);
      if (on('port') && ed.serverPort !== undefined && ed.serverPort !== ad.serverPort) push('port', `${ed.serverPort}`, `${ad.serverPort}`);
      if (on('icmp') && (ed.type !== undefined || ed.code !== undefined) && (ed.type !== ad.type || ed.code !== ad.code)) push('icmp', `${ed.type}/${ed.code}`, `${ad.type}/${ad.code}`);
      if (on('quote') && ed.quote) {
        const aq: Record<string, number | undefined> = ad.quote ?? {};
        const keys = (Object.keys(ed.quote) as Array<keyof typeof ed.quote>).filter((k) => ed.quote![k] !== undefined && ed.quote![k] !== aq[k]);
        if (keys.length > 0) push('quote', keys.map((k) => `${k} ${ed.quote![k]}`).join(', '), keys.map((k) => `${k} ${aq[k] ?? '-'}`).join(', '));
      }
      if (on('t') && timing && eOff !== undefined && aOff !== undefined && !withinTolerance(eOff, aOff, timing.tol)) {
        push('t', formatTime(eOff), formatTime(aOff), `t: ${formatTime(aOff)} vs ${formatTime(eOff)} (±${toleranceFor(eOff, timing.tol).toFixed(3)})`);
      }
    } else if (ed) push('missing', formatDatagram(ed), '', 'missing');
    else if (ad) push('extra', '', formatDatagram(ad), 'extra');
    diffs += notes.length;
    if (notes.length > 0 || opts.showMatching !== false) {
      const text = (d: ExpectedDatagram | undefined, off: number | undefined): string => (d ? `${formatDatagram(d)}${off === undefined ? '' : ` ${formatTime(off)}`}` : '');
      rows.push([notes.length > 0 ? '!' : '', p.e === undefined ? '-' : `${p.e}`, p.a === undefined ? '-' : `${p.a}`, (ed ?? ad)!.dir, text(ed, eOff), ed && ad && notes.length === 0 ? '=' : text(ad, aOff), notes.join('; ')]);
    }
  }
  return { title: `datagrams: ${e.length} expected, ${a.length} actual: ${diffs} difference${diffs === 1 ? '' : 's'}`, rows, diffs };
}

/** Compare a whole trace: connections (paired per opts.match) and datagrams. */
export function compareTraces(expected: ExpectedTrace | NormalizedTrace, actual: NormalizedTrace | ExpectedTrace, opts: CompareOptions = {}): GoldenDiff {
  const e = toExpected(expected);
  const a = toExpected(actual);
  const timing = timingOf(opts);
  const differences: Difference[] = [];
  const sections: Section[] = [];
  const pairs = pairConnections(e.connections, a.connections, opts);
  const countE = opts.only ? opts.only.length : e.connections.length;
  const countA = opts.only ? pairs.filter(([, y]) => y !== undefined).length : a.connections.length;
  if (countE !== countA) differences.push({ where: 'connections', field: 'count', expected: `${countE}`, actual: `${countA}` });
  for (const [x, y] of pairs) {
    const ec = x === undefined ? undefined : e.connections[x];
    const ac = y === undefined ? undefined : a.connections[y];
    if (ec && ac) {
      sections.push(compareConnection(`conn ${x}`, ec, ac, opts, timing, differences));
    } else if (ec) {
      differences.push({ where: `conn ${x}`, field: 'missing', expected: formatEndpoints(ec.client, ec.server), actual: '' });
      sections.push({ title: `conn ${x}: missing in actual (expected ${formatEndpoints(ec.client, ec.server)}, ${ec.segments.length} segments, first ${ec.segments[0] ? formatSegment(ec.segments[0]) : '-'})`, rows: [], diffs: 1 });
    } else if (ac) {
      differences.push({ where: `conn ${y}`, field: 'extra', expected: '', actual: formatEndpoints(ac.client, ac.server) });
      sections.push({ title: `actual conn ${y}: not expected (${formatEndpoints(ac.client, ac.server)}, ${ac.segments.length} segments, first ${ac.segments[0] ? formatSegment(ac.segments[0]) : '-'})`, rows: [], diffs: 1 });
    }
  }
  if (opts.datagrams !== false && (e.datagrams !== undefined || (a.datagrams?.length ?? 0) > 0)) {
    const s = compareDatagrams(e.datagrams ?? [], a.datagrams ?? [], opts, timing, differences);
    if (s.rows.length > 1 || s.diffs > 0) sections.push(s);
  }
  const ok = differences.length === 0;
  return { ok, differences, report: ok ? '' : render(differences.length, sections, opts, countE, countA) };
}

function render(total: number, sections: readonly Section[], opts: CompareOptions, countE: number, countA: number): string {
  const le = opts.labels?.expected ?? 'expected';
  const la = opts.labels?.actual ?? 'actual';
  const lines: string[] = [`golden comparison: ${total} difference${total === 1 ? '' : 's'} (expected = ${le}, actual = ${la}; ${countE} vs ${countA} connections)`];
  const max = opts.maxRows ?? 200;
  for (const s of sections) {
    if (s.diffs === 0) continue;
    lines.push('', s.title);
    if (s.rows.length > 1) {
      const body = table(s.rows.slice(0, max + 1), 80).map((l) => `  ${l}`);
      lines.push(...body);
      if (s.rows.length > max + 1) lines.push(`  … ${s.rows.length - max - 1} more rows`);
    }
  }
  return lines.join('\n');
}

/** compareTraces, throwing an Error whose message is the report when they differ. */
export function assertTracesMatch(expected: ExpectedTrace | NormalizedTrace, actual: NormalizedTrace | ExpectedTrace, opts: CompareOptions = {}): void {
  const d = compareTraces(expected, actual, opts);
  if (!d.ok) throw new Error(d.report);
}
