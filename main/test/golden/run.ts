// A run of a scenario as the checks see it, and the helpers they share: connections in SYN order,
// role names, segment filters.
import { flagBits } from './flags';
import type { SsTable } from './ss';
import type { ConnRef, DatagramFilter, SegFilter, SegPick } from './statements';
import type { Datagram, NormalizedTrace, TcpConnection, TcpSegment } from './types';

export interface GoldenRun {
  /** The packets at the server's NIC (linux-truth captured on veth-srv). */
  trace: NormalizedTrace;
  /** ss tables with host/at/view (truth: the folder's snapshot files; ours: our `ss` at the same times). */
  ss?: readonly SsTable[];
  /** Server counters (nstat names or bare MIB names). */
  counters?: ReadonlyMap<string, number> | Readonly<Record<string, number>>;
  /** Program output by the truth folder's log file name ('clients.log', 'closed_port.client.log'). */
  logs?: Readonly<Record<string, string>>;
}

/** Connections ordered by their client's first SYN (those without a SYN last, by first packet). */
export function synOrder(trace: NormalizedTrace): TcpConnection[] {
  return [...trace.connections].sort((a, b) => (a.synAt ?? Infinity) - (b.synAt ?? Infinity) || a.index - b.index);
}

export class RefError extends Error {}

export function resolveConn(trace: NormalizedTrace, roles: Readonly<Record<string, number>>, ref: ConnRef): TcpConnection {
  const pos = typeof ref === 'number' ? ref : roles[ref];
  if (pos === undefined) throw new RefError(`unknown connection role '${String(ref)}'`);
  const c = synOrder(trace)[pos];
  if (!c) throw new RefError(`connection ${String(ref)} (#${pos} in SYN order) is not in the trace (${trace.connections.length} connections)`);
  return c;
}

export function resolveConns(trace: NormalizedTrace, roles: Readonly<Record<string, number>>, refs?: readonly ConnRef[]): TcpConnection[] {
  return refs ? refs.map((r) => resolveConn(trace, roles, r)) : synOrder(trace);
}

export function matches(s: TcpSegment, f: SegFilter): boolean {
  if (f.dir !== undefined && s.dir !== f.dir) return false;
  if (f.flags !== undefined) {
    const want = typeof f.flags === 'string' ? [f.flags] : f.flags;
    const bits = flagBits(s.flags);
    if (!want.some((w) => flagBits(w) === bits)) return false;
  }
  if (f.len === 'data' ? s.len === 0 : f.len !== undefined && s.len !== f.len) return false;
  if (f.after !== undefined && s.t < f.after) return false;
  if (f.before !== undefined && s.t >= f.before) return false;
  return true;
}

export function pickSegment(trace: NormalizedTrace, roles: Readonly<Record<string, number>>, p: SegPick): { conn: TcpConnection; seg: TcpSegment; at: number } | null {
  const conn = resolveConn(trace, roles, p.conn);
  const hits = conn.segments.filter((s) => matches(s, p.where));
  const seg = hits[p.nth ?? 0];
  return seg ? { conn, seg, at: conn.segments.indexOf(seg) } : null;
}

export function datagramServerPort(d: Datagram): number | undefined {
  if (d.kind === 'udp') return d.dir === 'C>S' ? d.dstPort : d.srcPort;
  return d.quote?.dstPort;
}

export function datagramMatches(d: Datagram, f: DatagramFilter): boolean {
  if (f.kind !== undefined && d.kind !== f.kind) return false;
  if (f.dir !== undefined && d.dir !== f.dir) return false;
  if (f.type !== undefined && (d.kind !== 'icmp' || d.type !== f.type)) return false;
  if (f.code !== undefined && (d.kind !== 'icmp' || d.code !== f.code)) return false;
  if (f.serverPort !== undefined && datagramServerPort(d) !== f.serverPort) return false;
  if (f.after !== undefined && d.t < f.after) return false;
  if (f.before !== undefined && d.t >= f.before) return false;
  return true;
}

export const describeFilter = (f: SegFilter): string =>
  [f.dir, f.flags === undefined ? undefined : typeof f.flags === 'string' ? `[${f.flags}]` : `[${f.flags.join('|')}]`, f.len === undefined ? undefined : f.len === 'data' ? 'with data' : `len ${f.len}`,
    f.after === undefined ? undefined : `t>=${f.after}`, f.before === undefined ? undefined : `t<${f.before}`]
    .filter((x) => x !== undefined)
    .join(' ') || 'any';

export const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(3));
