// The port map's model: a machine's ports in use, grouped by IANA range (RFC 6335 section 6), with
// Linux's ephemeral range laid over them, and marks placed on one scale per range without hiding
// each other. Pure; see ports.test.ts.
import { portRange, type PortRange, type SocketRow } from '../../shared/api';
import { ssState } from './kernel-format';

/** What a mark's colour says, strongest first when one port has several uses. */
export type PortCategory = 'listen' | 'established' | 'other' | 'udp' | 'timewait';

export const CATEGORY_LABEL: Record<PortCategory, string> = {
  listen: 'LISTEN',
  established: 'ESTABLISHED',
  other: 'other TCP state',
  udp: 'UDP',
  timewait: 'TIME_WAIT',
};

const CATEGORY_ORDER: PortCategory[] = ['listen', 'established', 'other', 'udp', 'timewait'];

export interface PortUse {
  port: number;
  range: PortRange;
  category: PortCategory;
  /** Inside net.ipv4.ip_local_port_range. */
  ephemeral: boolean;
  /** How many table rows use it. */
  count: number;
  /** Tooltip: "5010/tcp: LISTEN, 2 ESTAB, 1 SYN-RECV · server(412)". */
  title: string;
}

export interface RangeSpec {
  id: PortRange;
  name: string;
  lo: number;
  hi: number;
}

export const RANGES: readonly RangeSpec[] = [
  { id: 'well-known', name: 'Well-known', lo: 0, hi: 1023 },
  { id: 'registered', name: 'Registered', lo: 1024, hi: 49151 },
  { id: 'dynamic', name: 'Dynamic', lo: 49152, hi: 65535 },
];

function categoryOf(row: SocketRow): PortCategory {
  if (row.proto === 'udp') return 'udp';
  if (row.kind === 'timewait' || row.state === 'TIME_WAIT') return 'timewait';
  if (row.state === 'LISTEN') return 'listen';
  if (row.state === 'ESTABLISHED') return 'established';
  return 'other';
}

/**
 * Local ports in use by TCP and UDP sockets (ICMP ids and unix sockets are not ports), one entry
 * per port number, coloured by its strongest use.
 */
export function portUses(sockets: readonly SocketRow[], ephemeral: readonly [number, number]): PortUse[] {
  const byPort = new Map<number, SocketRow[]>();
  for (const r of sockets) {
    if ((r.proto !== 'tcp' && r.proto !== 'udp') || r.localPort === 0) continue;
    const list = byPort.get(r.localPort) ?? [];
    list.push(r);
    byPort.set(r.localPort, list);
  }
  const out: PortUse[] = [];
  for (const [port, rows] of [...byPort.entries()].sort(([a], [b]) => a - b)) {
    const cats = new Set(rows.map(categoryOf));
    const category = CATEGORY_ORDER.find((c) => cats.has(c)) ?? 'other';
    const isEphemeral = port >= ephemeral[0] && port <= ephemeral[1];
    out.push({ port, range: portRange(port), category, ephemeral: isEphemeral, count: rows.length, title: portTitle(port, rows, isEphemeral) });
  }
  return out;
}

function portTitle(port: number, rows: readonly SocketRow[], isEphemeral: boolean): string {
  const parts: string[] = [];
  for (const proto of ['tcp', 'udp'] as const) {
    const counts = new Map<string, number>();
    for (const r of rows) if (r.proto === proto) counts.set(ssState(r.state), (counts.get(ssState(r.state)) ?? 0) + 1);
    if (counts.size === 0) continue;
    const states = [...counts.entries()].map(([s, n]) => (n === 1 ? s : `${n} ${s}`)).join(', ');
    parts.push(`${port}/${proto}: ${states}`);
  }
  const owners = [...new Set(rows.flatMap((r) => r.owners.map((o) => `${o.name}(${o.pid})`)))];
  return [parts.join('; '), owners.length ? owners.join(', ') : '', isEphemeral ? 'in the ephemeral range' : ''].filter(Boolean).join(' · ');
}

/** Position of a port on its range's scale, 0..1. */
export function scaleX(port: number, range: Pick<RangeSpec, 'lo' | 'hi'>): number {
  return (port - range.lo) / (range.hi - range.lo);
}

/** The part of a range covered by the ephemeral range, as 0..1 fractions, or null. */
export function ephemeralBand(range: Pick<RangeSpec, 'lo' | 'hi'>, ephemeral: readonly [number, number]): { from: number; to: number } | null {
  const lo = Math.max(range.lo, ephemeral[0]);
  const hi = Math.min(range.hi, ephemeral[1]);
  if (lo > hi) return null;
  return { from: scaleX(lo, range), to: scaleX(hi, range) };
}

export interface PlacedMark {
  use: PortUse;
  x: number;
  /** Row on the scale (0 at the top): marks closer than minGap go to the next free lane. */
  lane: number;
}

/**
 * Place marks on a range's scale. Ports closer than `minGap` (a fraction of the scale, e.g. a
 * mark's width over the scale's width) go to the next lane; when all `lanes` are taken near a
 * point, the mark goes to the lane whose last mark is farthest behind (they may then touch).
 */
export function placeMarks(uses: readonly PortUse[], range: Pick<RangeSpec, 'lo' | 'hi'>, minGap: number, lanes = 3): PlacedMark[] {
  const lastX: number[] = [];
  const out: PlacedMark[] = [];
  for (const use of [...uses].sort((a, b) => a.port - b.port)) {
    const x = scaleX(use.port, range);
    let lane = lastX.findIndex((lx) => x - lx >= minGap);
    if (lane < 0) {
      if (lastX.length < lanes) lane = lastX.length;
      else lane = lastX.indexOf(Math.min(...lastX));
    }
    lastX[lane] = x;
    out.push({ use, x, lane });
  }
  return out;
}

export interface RangeView {
  spec: RangeSpec;
  uses: PortUse[];
  band: { from: number; to: number } | null;
}

/** The three ranges with their ports in use and the ephemeral overlay. */
export function portRanges(uses: readonly PortUse[], ephemeral: readonly [number, number]): RangeView[] {
  return RANGES.map((spec) => ({ spec, uses: uses.filter((u) => u.range === spec.id), band: ephemeralBand(spec, ephemeral) }));
}

/** Default net.ipv4.ip_local_port_range (Linux af_inet.c). */
export const DEFAULT_EPHEMERAL: readonly [number, number] = [32768, 60999];
