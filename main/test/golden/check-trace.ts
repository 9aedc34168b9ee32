// Evaluation of the statements about packets (TCP segments and datagrams).
import { compareTraces, segmentDifferences, withinTolerance } from './compare';
import { seg, type ExpectedConnection } from './expect';
import {
  datagramMatches, describeFilter, fmt, matches, pickSegment, resolveConn, resolveConns, synOrder, type GoldenRun,
} from './run';
import type { Statement, Tolerance } from './statements';
import type { Datagram, NormalizedTrace, TcpConnection, TcpSegment } from './types';

export interface Verdict {
  ok: boolean;
  /** What was found: enough to see why a check failed. */
  detail: string;
}

type Roles = Readonly<Record<string, number>>;
const pass = (detail: string): Verdict => ({ ok: true, detail });
const fail = (detail: string): Verdict => ({ ok: false, detail });
const tol = (t?: Tolerance): { rel: number; abs: number } => ({ rel: t?.rel ?? 0.1, abs: t?.abs ?? 0.02 });

function segments(st: Extract<Statement, { kind: 'segments' }>, trace: NormalizedTrace, roles: Roles): Verdict {
  const conns = st.conn === 'each' ? synOrder(trace) : [resolveConn(trace, roles, st.conn)];
  const exp: ExpectedConnection = { segments: st.expect.map(seg) };
  const n = exp.segments.length;
  const reports: string[] = [];
  for (const c of conns) {
    const all = c.segments;
    const part = st.match === 'exact' ? all : st.match === 'prefix' ? all.slice(0, n) : all.slice(Math.max(0, all.length - n));
    const d = compareTraces({ connections: [exp] }, { connections: [{ ...c, segments: part }] }, { timing: st.timing ?? false, match: [[0, 0]], datagrams: false });
    if (!d.ok) reports.push(`connection ${c.client.port}>${c.server.port} (${st.match}):\n${d.report}`);
  }
  return reports.length === 0 ? pass(`${conns.length} connection(s) as expected`) : fail(reports.join('\n'));
}

function count(st: Extract<Statement, { kind: 'count' }>, trace: NormalizedTrace, roles: Roles): Verdict {
  const conns = resolveConns(trace, roles, st.conns);
  const groups = st.each ? conns.map((c) => [c]) : [conns];
  const counts = groups.map((g) => g.reduce((n, c) => n + c.segments.filter((s) => matches(s, st.where)).length, 0));
  const good = (n: number): boolean => (st.equals === undefined || n === st.equals) && (st.min === undefined || n >= st.min) && (st.max === undefined || n <= st.max);
  const want = [st.equals !== undefined ? `= ${st.equals}` : '', st.min !== undefined ? `>= ${st.min}` : '', st.max !== undefined ? `<= ${st.max}` : ''].filter(Boolean).join(', ');
  const detail = `${describeFilter(st.where)}: ${counts.join(', ')} (want ${want}${st.each ? ' each' : ''})`;
  return counts.every(good) ? pass(detail) : fail(detail);
}

function offsets(st: Extract<Statement, { kind: 'offsets' }>, trace: NormalizedTrace, roles: Roles): Verdict {
  const c = resolveConn(trace, roles, st.conn);
  const hits = c.segments.filter((s) => matches(s, st.where));
  const base = st.from === 'connection' ? c.segments[0]?.t : hits[0]?.t;
  const got = base === undefined ? [] : hits.map((s) => s.t - base);
  const t = tol(st.tolerance);
  const bad = got.length !== st.offsets.length || st.offsets.some((o, i) => !withinTolerance(o, got[i]!, t));
  const detail = `${describeFilter(st.where)} at +${got.map(fmt).join(', +')} s; want +${st.offsets.map(fmt).join(', +')} (±${t.rel * 100} % or ±${t.abs * 1000} ms)`;
  return bad ? fail(detail) : pass(detail);
}

function gap(st: Extract<Statement, { kind: 'gap' }>, trace: NormalizedTrace, roles: Roles): Verdict {
  const from = pickSegment(trace, roles, st.from);
  if (!from) return fail(`no segment ${describeFilter(st.from.where)} (#${st.from.nth ?? 0})`);
  const to = from.conn.segments.slice(from.at + 1).find((s) => matches(s, st.to));
  if (!to) return fail(`no ${describeFilter(st.to)} after the ${describeFilter(st.from.where)} at +${fmt(from.seg.t)}`);
  const g = to.t - from.seg.t;
  const t = tol(st.tolerance);
  const detail = `${describeFilter(st.to)} ${fmt(g * 1000)} ms after ${describeFilter(st.from.where)}; want ${fmt(st.seconds * 1000)} ms (±${t.rel * 100} % or ±${t.abs * 1000} ms)`;
  return withinTolerance(st.seconds, g, t) ? pass(detail) : fail(detail);
}

function order(st: Extract<Statement, { kind: 'order' }>, trace: NormalizedTrace, roles: Roles): Verdict {
  const a = pickSegment(trace, roles, st.first);
  const b = pickSegment(trace, roles, st.then);
  if (!a || !b) return fail(`segment not found: ${!a ? describeFilter(st.first.where) : describeFilter(st.then.where)}`);
  const detail = `${describeFilter(st.first.where)} of ${String(st.first.conn)} at +${fmt(a.seg.t)}, ${describeFilter(st.then.where)} of ${String(st.then.conn)} at +${fmt(b.seg.t)}`;
  return a.seg.i < b.seg.i ? pass(detail) : fail(detail);
}

function all(st: Extract<Statement, { kind: 'all' }>, trace: NormalizedTrace, roles: Roles): Verdict {
  const want = seg(st.expect);
  const filter = { ...st.where, dir: want.dir, flags: want.flags };
  const { t: _t, ...fields } = want;
  const bad: string[] = [];
  let n = 0;
  for (const c of resolveConns(trace, roles, st.conns)) {
    for (const s of c.segments.filter((x) => matches(x, filter))) {
      n++;
      const d = segmentDifferences(fields, s);
      if (d.length > 0) bad.push(`conn ${c.client.port} +${fmt(s.t)}: ${d.join('; ')}`);
    }
  }
  if (n === 0) return fail(`no ${describeFilter(filter)} segment`);
  return bad.length === 0 ? pass(`${n} segment(s) like "${st.expect}"`) : fail(bad.join('\n'));
}

function sameLayout(st: Extract<Statement, { kind: 'sameLayout' }>, trace: NormalizedTrace, roles: Roles): Verdict {
  const layouts = new Map<string, number>();
  for (const c of resolveConns(trace, roles, st.conns)) {
    for (const s of c.segments.filter((x) => matches(x, st.where))) {
      const k = `<${s.options.join(',')}> mss ${s.mss} wscale ${s.wscale} win ${s.win}`;
      layouts.set(k, (layouts.get(k) ?? 0) + 1);
    }
  }
  const detail = [...layouts].map(([k, n]) => `${n} x ${k}`).join('; ') || 'none';
  return layouts.size === 1 ? pass(detail) : fail(detail);
}

function clientPorts(st: Extract<Statement, { kind: 'clientPorts' }>, trace: NormalizedTrace): Verdict {
  const ports = synOrder(trace).filter((c) => st.serverPort === undefined || c.server.port === st.serverPort).map((c) => c.client.port);
  const bad: string[] = [];
  if (ports.length === 0) bad.push('no connection');
  if (st.parity) for (const p of ports) if ((p % 2 === 0) !== (st.parity === 'even')) bad.push(`${p} is not ${st.parity}`);
  if (st.range) for (const p of ports) if (p < st.range[0] || p > st.range[1]) bad.push(`${p} outside ${st.range[0]}-${st.range[1]}`);
  if (st.distinct && new Set(ports).size !== ports.length) bad.push('ports repeat');
  if (st.increasing && ports.some((p, i) => i > 0 && p <= ports[i - 1]!)) bad.push('not increasing');
  const detail = `client ports ${ports.join(', ')}${bad.length ? `: ${bad.join('; ')}` : ''}`;
  return bad.length === 0 ? pass(detail) : fail(detail);
}

/** The next sequence number after a segment (SYN and FIN count one). */
const seqEnd = (s: TcpSegment): number => (s.rawSeq + s.len + (s.flags.includes('S') ? 1 : 0) + (s.flags.includes('F') ? 1 : 0)) >>> 0;

function rstRules(st: Extract<Statement, { kind: 'rstRules' }>, trace: NormalizedTrace, roles: Roles): Verdict {
  const bad: string[] = [];
  let n = 0;
  for (const c of resolveConns(trace, roles, st.conns)) {
    c.segments.forEach((s, i) => {
      if (!s.flags.includes('R')) return;
      n++;
      const where = `conn ${c.client.port} +${fmt(s.t)} ${s.dir} ${s.flags}`;
      const before = c.segments.slice(0, i);
      const peer = before.filter((x) => x.dir !== s.dir);
      const mine = before.filter((x) => x.dir === s.dir);
      if (!s.flags.includes('.')) {
        const acked = [...peer].reverse().find((x) => x.relAck !== null);
        if (acked && s.rawSeq !== acked.rawAck) bad.push(`${where}: seq ${s.rawSeq} is not the peer's ACK ${acked.rawAck}`);
      } else {
        const next = peer.reduce<number | undefined>((m, x) => (m === undefined || ((seqEnd(x) - m) | 0) > 0 ? seqEnd(x) : m), undefined);
        if (next !== undefined && s.rawAck !== next) bad.push(`${where}: ack ${s.rawAck} is not the peer's next seq ${next}`);
        if (mine.length === 0 && s.rawSeq !== 0) bad.push(`${where}: no socket, yet seq ${s.rawSeq} (Linux: 0)`);
      }
      const reply = c.segments.slice(i + 1).find((x) => x.dir !== s.dir);
      if (reply) bad.push(`${where}: answered by ${reply.dir} ${reply.flags} at +${fmt(reply.t)}`);
    });
  }
  if (n === 0) return fail('no RST in these connections');
  return bad.length === 0 ? pass(`${n} RST(s) follow the rules`) : fail(bad.join('\n'));
}

function icmpQuotes(st: Extract<Statement, { kind: 'icmpQuotes' }>, trace: NormalizedTrace): Verdict {
  const within = (st.withinMs ?? 20) / 1000;
  const bad: string[] = [];
  const errors = trace.datagrams.filter((d): d is Extract<Datagram, { kind: 'icmp' }> => d.kind === 'icmp' && d.type === 3);
  for (const e of errors) {
    const q = e.quote;
    const where = `ICMP ${e.type}/${e.code} at +${fmt(e.t)}`;
    if (!q) {
      bad.push(`${where}: no quote`);
      continue;
    }
    if (q.quotedBytes !== q.ipTotalLength) bad.push(`${where}: quotes ${q.quotedBytes} of ${q.ipTotalLength} bytes`);
    const src = [...trace.datagrams].reverse().find((d) => d.i < e.i && d.kind === 'udp' && d.dir !== e.dir && d.srcPort === q.srcPort && d.dstPort === q.dstPort && 28 + d.len === q.ipTotalLength);
    if (!src) bad.push(`${where}: quoted datagram ${q.srcPort}>${q.dstPort} (${q.ipTotalLength} B) not seen before it`);
    else if (e.t - src.t > within) bad.push(`${where}: ${fmt((e.t - src.t) * 1000)} ms after its datagram`);
  }
  if (errors.length === 0) return fail('no ICMP destination unreachable');
  return bad.length === 0 ? pass(`${errors.length} ICMP error(s) quote their datagram whole`) : fail(bad.join('\n'));
}

function startOffsets(st: Extract<Statement, { kind: 'startOffsets' }>, trace: NormalizedTrace, roles: Roles): Verdict {
  const conns: TcpConnection[] = st.conns.map((r) => resolveConn(trace, roles, r));
  const t0 = conns[0]?.segments[0]?.t ?? 0;
  const got = conns.map((c) => (c.segments[0]?.t ?? NaN) - t0);
  const t = tol(st.tolerance);
  const bad = st.offsets.some((o, i) => !withinTolerance(o, got[i]!, t));
  const detail = `connections start at +${got.map(fmt).join(', +')} s; want +${st.offsets.map(fmt).join(', +')}`;
  return bad ? fail(detail) : pass(detail);
}

export function checkTrace(st: Statement, run: GoldenRun, roles: Roles): Verdict | null {
  const trace = run.trace;
  switch (st.kind) {
    case 'segments': return segments(st, trace, roles);
    case 'all': return all(st, trace, roles);
    case 'count': return count(st, trace, roles);
    case 'offsets': return offsets(st, trace, roles);
    case 'gap': return gap(st, trace, roles);
    case 'order': return order(st, trace, roles);
    case 'sameLayout': return sameLayout(st, trace, roles);
    case 'startOffsets': return startOffsets(st, trace, roles);
    case 'clientPorts': return clientPorts(st, trace);
    case 'rstRules': return rstRules(st, trace, roles);
    case 'icmpQuotes': return icmpQuotes(st, trace);
    case 'connections': {
      const n = trace.connections.filter((c) => st.serverPort === undefined || c.server.port === st.serverPort).length;
      const detail = `${n} connection(s)${st.serverPort === undefined ? '' : ` to port ${st.serverPort}`}; want ${st.count}`;
      return n === st.count ? pass(detail) : fail(detail);
    }
    case 'datagrams': {
      const n = trace.datagrams.filter((d) => datagramMatches(d, st.where)).length;
      const detail = `${n} datagram(s) matching ${JSON.stringify(st.where)}; want ${st.equals}`;
      return n === st.equals ? pass(detail) : fail(detail);
    }
    case 'datagramsAll': {
      const hits = trace.datagrams.filter((d) => datagramMatches(d, st.where));
      const bad = hits.filter((d) => Object.entries(st.expect).some(([k, v]) => (d as unknown as Record<string, unknown>)[k] !== v));
      const detail = `${hits.length} datagram(s), ${bad.length} differ from ${JSON.stringify(st.expect)}${bad.length ? `: first at +${fmt(bad[0]!.t)}` : ''}`;
      return hits.length > 0 && bad.length === 0 ? pass(detail) : fail(detail);
    }
    default:
      return null;
  }
}
