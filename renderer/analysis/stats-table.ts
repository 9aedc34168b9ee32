// The Conversations and Endpoints tables (Wireshark's Statistics dialogs): columns, cells, sorting,
// and the display filter that shows one conversation or endpoint.
import type { ConvKind, Conversation, Endpoint, TrafficStats } from '../../shared/api';

export type StatsView = 'conversations' | 'endpoints';

export interface StatsColumn {
  title: string;
  numeric: boolean;
}

export interface StatsRow {
  key: string;
  cells: (string | number)[];
  /** Shows this conversation or endpoint in the packet list. */
  filter: string;
  /** TCP conversations: the stream (to follow it or draw its flow). */
  stream?: number;
}

const withPorts = (k: ConvKind) => k === 'tcp' || k === 'udp';
const addrField = (k: ConvKind) => (k === 'eth' ? 'eth.addr' : 'ip.addr');

export function statsColumns(view: StatsView, kind: ConvKind): StatsColumn[] {
  const c = (title: string, numeric = true) => ({ title, numeric });
  if (view === 'endpoints') {
    return [c('Address', false), ...(withPorts(kind) ? [c('Port')] : []), c('Packets'), c('Bytes'), c('Tx Packets'), c('Tx Bytes'), c('Rx Packets'), c('Rx Bytes')];
  }
  return [
    c('Address A', false), ...(withPorts(kind) ? [c('Port A')] : []), c('Address B', false), ...(withPorts(kind) ? [c('Port B')] : []),
    c('Packets'), c('Bytes'), c('Packets A → B'), c('Bytes A → B'), c('Packets B → A'), c('Bytes B → A'), c('Rel Start'), c('Duration'),
  ];
}

/** Rounded to the microsecond, as Wireshark's conversation table prints (%.6f), not truncated as the time column is. */
const seconds = (ns: number) => (ns / 1e9).toFixed(6);

function convRow(kind: ConvKind, c: Conversation, firstNs: number): StatsRow {
  const ports = withPorts(kind);
  const cells: (string | number)[] = [c.a, ...(ports ? [c.portA!] : []), c.b, ...(ports ? [c.portB!] : [])];
  cells.push(c.framesAtoB + c.framesBtoA, c.bytesAtoB + c.bytesBtoA, c.framesAtoB, c.bytesAtoB, c.framesBtoA, c.bytesBtoA, seconds(c.startNs - firstNs), seconds(c.endNs - c.startNs));
  const f = addrField(kind);
  const filter =
    kind === 'tcp' && c.stream !== undefined
      ? `tcp.stream == ${c.stream}`
      : ports
        ? `${f} == ${c.a} && ${kind}.port == ${c.portA} && ${f} == ${c.b} && ${kind}.port == ${c.portB}`
        : `${f} == ${c.a} && ${f} == ${c.b}`;
  return { key: `${kind}:${c.stream ?? ''}:${cells.slice(0, 4).join('|')}`, cells, filter, ...(c.stream !== undefined ? { stream: c.stream } : {}) };
}

function endpointRow(kind: ConvKind, e: Endpoint): StatsRow {
  const ports = withPorts(kind);
  const cells: (string | number)[] = [e.address, ...(ports ? [e.port!] : []), e.txFrames + e.rxFrames, e.txBytes + e.rxBytes, e.txFrames, e.txBytes, e.rxFrames, e.rxBytes];
  const filter = ports ? `${addrField(kind)} == ${e.address} && ${kind}.port == ${e.port}` : `${addrField(kind)} == ${e.address}`;
  return { key: `${kind}:${e.address}:${e.port ?? ''}`, cells, filter };
}

export function statsRows(stats: TrafficStats, view: StatsView, kind: ConvKind): StatsRow[] {
  return view === 'conversations' ? stats.conversations[kind].map((c) => convRow(kind, c, stats.firstNs)) : stats.endpoints[kind].map((e) => endpointRow(kind, e));
}

/** Rows sorted by a column (numbers numerically, addresses by their text), stable. */
export function sortRows(rows: StatsRow[], column: number, descending: boolean): StatsRow[] {
  const sign = descending ? -1 : 1;
  return rows
    .map((r, i) => ({ r, i }))
    .sort((x, y) => {
      const a = x.r.cells[column]!;
      const b = y.r.cells[column]!;
      const na = Number(a);
      const nb = Number(b);
      const d = Number.isFinite(na) && Number.isFinite(nb) ? na - nb : String(a).localeCompare(String(b), undefined, { numeric: true });
      return d !== 0 ? sign * d : x.i - y.i;
    })
    .map((x) => x.r);
}
