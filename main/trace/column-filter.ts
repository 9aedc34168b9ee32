// A display filter compiled to the trace's columns (columns.ts): each row is tested on the few
// typed arrays the filter names, without its bytes. The fields and their occurrences are those of
// frameFields (shared/filter/eval.ts, both built on frameKeys); rows it cannot answer from columns
// (an ICMP error, whose quoted headers add occurrences) are handed back to be evaluated on their
// bytes. Filters on lab.drop_reason (kernel records, not columns) do not compile; nor, in a capture
// point's view, do the fields numbered per view (tcp.stream, tcp.seq, tcp.ack) or the protocols
// found from conversation state (ftp-data, http): the columns hold the default view's.
import { compare } from '../../shared/filter/eval';
import { APP_NAMES, Has } from '../../shared/filter/keys';
import type { FilterExpr } from '../../shared/filter/parser';
import { TcpFlag } from '../../shared/wire/tcp';
import type { ColumnArray, ColumnName } from './columns';

/** The loaded columns of one chunk (those the filter needs, and `has`). */
export type ChunkColumns = { [K in ColumnName]?: ColumnArray<K> };

/** What a row's fields need beyond the columns: the capture point names by interface id. */
export interface RowContext {
  machineOf(iface: number): string;
  nicOf(iface: number): string;
}

/** Some rows of a chunk: true/false, or 'bytes' when only the bytes can tell (Has.QUOTED). */
export type RowTest = (c: ChunkColumns, i: number) => boolean;

export interface CompiledFilter {
  /** Columns to load for each chunk. */
  columns: ColumnName[];
  test: RowTest;
}

interface FieldSpec {
  /** The layer bits a frame must have for the field to be present (0: always). */
  layer: number;
  columns: ColumnName[];
  /** The occurrences, in frameFields' order. */
  values(c: ChunkColumns, i: number, ctx: RowContext): (number | string)[] | number | string;
}

const col = <K extends ColumnName>(c: ChunkColumns, name: K): ColumnArray<K> => c[name] as ColumnArray<K>;
const one = (layer: number, name: ColumnName): FieldSpec => ({ layer, columns: [name], values: (c, i) => col(c, name)[i]! });
const pair = (layer: number, src: ColumnName, dst: ColumnName): FieldSpec => ({ layer, columns: [src, dst], values: (c, i) => [col(c, src)[i]!, col(c, dst)[i]!] });
const flag = (bit: number): FieldSpec => ({ layer: Has.TCP, columns: ['tcpFlags'], values: (c, i) => ((col(c, 'tcpFlags')[i]! & bit) !== 0 ? 1 : 0) });

const FIELDS: Record<string, FieldSpec> = {
  'frame.len': one(0, 'length'),
  'eth.src': one(Has.ETH, 'ethSrc'),
  'eth.dst': one(Has.ETH, 'ethDst'),
  // Wireshark lists eth.addr as the destination, then the source.
  'eth.addr': pair(Has.ETH, 'ethDst', 'ethSrc'),
  'eth.type': one(Has.ETH, 'ethType'),
  'arp.opcode': one(Has.ARP, 'arpOp'),
  'ip.src': one(Has.IP, 'ipSrc'),
  'ip.dst': one(Has.IP, 'ipDst'),
  'ip.addr': pair(Has.IP, 'ipSrc', 'ipDst'),
  'ip.proto': one(Has.IP, 'ipProto'),
  'ip.ttl': one(Has.IP, 'ttl'),
  'icmp.type': one(Has.ICMP, 'icmpType'),
  'icmp.code': one(Has.ICMP, 'icmpCode'),
  'tcp.srcport': one(Has.TCP, 'srcPort'),
  'tcp.dstport': one(Has.TCP, 'dstPort'),
  'tcp.port': pair(Has.TCP, 'srcPort', 'dstPort'),
  'tcp.stream': one(Has.TCP, 'stream'),
  'tcp.seq': one(Has.TCP, 'seq'),
  'tcp.ack': one(Has.TCP, 'ack'),
  'tcp.seq_raw': one(Has.TCP, 'seqRaw'),
  'tcp.ack_raw': one(Has.TCP, 'ackRaw'),
  'tcp.len': one(Has.TCP, 'tcpLen'),
  'tcp.window_size_value': one(Has.TCP, 'window'),
  'tcp.flags.syn': flag(TcpFlag.SYN),
  'tcp.flags.ack': flag(TcpFlag.ACK),
  'tcp.flags.reset': flag(TcpFlag.RST),
  'tcp.flags.fin': flag(TcpFlag.FIN),
  'tcp.flags.push': flag(TcpFlag.PSH),
  'udp.srcport': one(Has.UDP, 'srcPort'),
  'udp.dstport': one(Has.UDP, 'dstPort'),
  'udp.port': pair(Has.UDP, 'srcPort', 'dstPort'),
  'udp.length': one(Has.UDP, 'udpLength'),
  'lab.machine': { layer: 0, columns: ['iface'], values: (c, i, ctx) => ctx.machineOf(col(c, 'iface')[i]!) },
  'lab.nic': { layer: 0, columns: ['iface'], values: (c, i, ctx) => ctx.nicOf(col(c, 'iface')[i]!) },
  'lab.dir': { layer: 0, columns: ['dir'], values: (c, i) => (col(c, 'dir')[i] === 1 ? 'tx' : 'rx') },
};

const PROTOCOL_LAYER: Record<string, number> = { eth: Has.ETH, arp: Has.ARP, ip: Has.IP, icmp: Has.ICMP, tcp: Has.TCP, udp: Has.UDP };
const APP_CODE = new Map<string, number>(APP_NAMES.map((n, i) => [n, i]));

/** Fields and protocols whose values the columns hold for the default view only. */
const PER_VIEW = new Set(['tcp.stream', 'tcp.seq', 'tcp.ack', 'ftp-data', 'http']);

/**
 * The filter as a test on columns, or null when it names something the columns cannot answer.
 * Rows with Has.QUOTED must be evaluated on their bytes instead (the test is not asked about them).
 */
export function compileColumns(expr: FilterExpr | null, ctx: RowContext, pointView: boolean): CompiledFilter | null {
  const columns = new Set<ColumnName>(['has']);
  const build = (e: FilterExpr): RowTest | null => {
    switch (e.kind) {
      case 'and':
      case 'or': {
        const l = build(e.left);
        const r = build(e.right);
        if (!l || !r) return null;
        return e.kind === 'and' ? (c, i) => l(c, i) && r(c, i) : (c, i) => l(c, i) || r(c, i);
      }
      case 'not': {
        const x = build(e.expr);
        return x && ((c, i) => !x(c, i));
      }
      case 'has':
      case 'cmp': {
        const name = e.field.name;
        if (pointView && PER_VIEW.has(name)) return null;
        if (e.kind === 'has' && name in PROTOCOL_LAYER) {
          const bit = PROTOCOL_LAYER[name]!;
          return (c, i) => (col(c, 'has')[i]! & bit) !== 0;
        }
        if (e.kind === 'has' && APP_CODE.has(name)) {
          const code = APP_CODE.get(name)!;
          columns.add('app');
          return (c, i) => col(c, 'app')[i] === code;
        }
        const spec = FIELDS[name];
        if (!spec) return null; // lab.drop_reason
        for (const n of spec.columns) columns.add(n);
        const present: RowTest = spec.layer === 0 ? () => true : (c, i) => (col(c, 'has')[i]! & spec.layer) === spec.layer;
        if (e.kind === 'has') return present;
        const { op, value } = e;
        return (c, i) => {
          if (!present(c, i)) return false;
          const v = spec.values(c, i, ctx);
          if (!Array.isArray(v)) return op === '!=' ? !compare(v, '==', value) : compare(v, op, value);
          if (op === '!=') return v.every((x) => !compare(x, '==', value));
          return v.some((x) => compare(x, op, value));
        };
      }
    }
  };
  if (expr === null) return { columns: [...columns], test: () => true };
  const test = build(expr);
  return test ? { columns: [...columns], test } : null;
}
