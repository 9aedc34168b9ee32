// nstat output ("#kernel", then "Name  value  rate" lines) -> counters, and a comparison that accepts
// nstat's names (TcpExtListenOverflows, TcpPassiveOpens) or the bare MIB field names our stack uses
// (ListenOverflows, PassiveOpens).

export interface Nstat {
  /** nstat name -> value. */
  counters: Map<string, number>;
  /** Lines that were neither blank, a '#' comment nor a counter. */
  unparsed: string[];
}

export function parseNstat(text: string): Nstat {
  const out: Nstat = { counters: new Map(), unparsed: [] };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([A-Za-z][A-Za-z0-9_]*)\s+(\d+)(?:\s+[\d.]+)?$/.exec(line);
    if (m) out.counters.set(m[1]!, Number(m[2]));
    else out.unparsed.push(raw);
  }
  return out;
}

// Longer prefixes first: TcpExt before Tcp, IcmpMsg before Icmp, UdpLite before Udp.
const MIBS = ['TcpExt', 'IpExt', 'IcmpMsg', 'UdpLite', 'Tcp', 'Udp', 'Icmp', 'Ip', 'MPTcpExt'];

/** 'TcpExtListenOverflows' -> { mib: 'TcpExt', field: 'ListenOverflows' }; a bare field has no mib. */
export function splitCounterName(name: string): { mib?: string; field: string } {
  for (const mib of MIBS) {
    if (name.startsWith(mib) && name.length > mib.length && /[A-Z]/.test(name[mib.length]!)) return { mib, field: name.slice(mib.length) };
  }
  return { field: name };
}

/** Look a counter up by nstat name or bare field name, whichever form `counters` uses. */
export function counterValue(counters: ReadonlyMap<string, number> | Readonly<Record<string, number>>, name: string): number | undefined {
  const get = (k: string): number | undefined => (counters instanceof Map ? counters.get(k) : (counters as Record<string, number>)[k]);
  const direct = get(name);
  if (direct !== undefined) return direct;
  const want = splitCounterName(name);
  const keys = counters instanceof Map ? [...counters.keys()] : Object.keys(counters);
  for (const k of keys) {
    const have = splitCounterName(k);
    if (have.field === want.field && (have.mib === undefined || want.mib === undefined || have.mib === want.mib)) return get(k);
  }
  return undefined;
}

export interface CounterDiff {
  ok: boolean;
  rows: Array<{ name: string; expected: number; actual: number | undefined }>;
  report: string;
}

/** Each expected counter must have the same value in `actual` (absent counts as a difference). */
export function compareCounters(
  expected: ReadonlyMap<string, number> | Readonly<Record<string, number>>,
  actual: ReadonlyMap<string, number> | Readonly<Record<string, number>>,
  names?: readonly string[],
): CounterDiff {
  const keys = names ?? (expected instanceof Map ? [...expected.keys()] : Object.keys(expected));
  const rows: CounterDiff['rows'] = [];
  for (const name of keys) {
    const e = counterValue(expected, name);
    if (e === undefined) throw new Error(`counter ${name} is not in the expected set`);
    rows.push({ name, expected: e, actual: counterValue(actual, name) });
  }
  const bad = rows.filter((r) => r.actual !== r.expected);
  const width = Math.max(...rows.map((r) => r.name.length), 4);
  const report = bad.length === 0 ? '' : [
    `counters: ${bad.length} of ${rows.length} differ`,
    ...rows.map((r) => `${r.actual === r.expected ? ' ' : '!'} ${r.name.padEnd(width)}  expected ${String(r.expected).padStart(4)}  actual ${r.actual === undefined ? 'absent' : String(r.actual).padStart(4)}`),
  ].join('\n');
  return { ok: bad.length === 0, rows, report };
}
