// A display filter compiled to the trace's columns (columns.ts): each row is tested on the few
// typed arrays the filter names, without its bytes. The fields and their occurrences are those of
// frameFields (shared/filter/eval.ts, both built on frameKeys); rows it cannot answer from columns
// (an ICMP error, whose quoted headers add occurrences) are handed back to be evaluated on their
// bytes. lab.drop_reason (kernel records, not columns) is the drops of the row's frame id, which the
// caller looks up for each chunk (RowContext.dropsOf). In a capture point's view, the
// fields numbered per view (tcp.stream, tcp.seq, tcp.ack) and the protocols found from
// conversation state (ftp-data, http) do not compile: the columns hold the default view's.
import { compare, isSubnet, numericOperand, occurrencesMatch } from '../../shared/filter/eval';
import { prefixMask } from '../../shared/wire/address';
import { APP_CODE, Has } from '../../shared/filter/keys';
import type { CmpOp, FilterExpr, Value } from '../../shared/filter/parser';
import { TcpFlag } from '../../shared/wire/tcp';
import type { ColumnArray, ColumnName } from './columns';

/** The loaded columns of one chunk (those the filter needs, and `has`). */
export type ChunkColumns = { [K in ColumnName]?: ColumnArray<K> };

/** What a row's fields need beyond the columns: the capture point names by interface id, a frame's drop reasons. */
export interface RowContext {
  machineOf(iface: number): string;
  nicOf(iface: number): string;
  /** The reasons the frame was dropped for (lab.drop_reason's occurrences), or undefined. */
  dropsOf(frameId: number): readonly string[] | undefined;
}

/** A test of row i of the chunk it was bound to. */
export type RowTest = (i: number) => boolean;
/** Bind a test to one chunk's columns (the arrays are looked up once per chunk, not per row). */
export type ChunkTest = (c: ChunkColumns) => RowTest;

export interface CompiledFilter {
  /** Columns to load for each chunk. */
  columns: ColumnName[];
  bind: ChunkTest;
}

type Occurrences = (i: number) => number | string | readonly [number, number];

interface FieldSpec {
  /** The layer bits a frame must have for the field to be present (0: always). */
  layer: number;
  columns: ColumnName[];
  /** The occurrences of row i, in frameFields' order (a pair for ip.addr, tcp.port...). */
  bind(c: ChunkColumns, ctx: RowContext): Occurrences;
  /** The single numeric occurrence of row i (fields that are one number: the fast path). */
  number?(c: ChunkColumns): (i: number) => number;
  /** `columns` are a pair's two numeric columns (ip.addr, tcp.port...), in bind's order: the pairs' fast path. */
  pair?: true;
}

const col = <K extends ColumnName>(c: ChunkColumns, name: K): ColumnArray<K> => c[name] as ColumnArray<K>;
const one = (layer: number, name: ColumnName): FieldSpec => {
  const value = (c: ChunkColumns) => {
    const a = col(c, name);
    return (i: number) => a[i]!;
  };
  return { layer, columns: [name], bind: value, number: value };
};
const pair = (layer: number, src: ColumnName, dst: ColumnName): FieldSpec => ({
  layer,
  columns: [src, dst],
  pair: true,
  bind: (c) => {
    const s = col(c, src);
    const d = col(c, dst);
    return (i) => [s[i]!, d[i]!] as const;
  },
});
const flag = (bit: number): FieldSpec => {
  const value = (c: ChunkColumns) => {
    const f = col(c, 'tcpFlags');
    return (i: number) => ((f[i]! & bit) !== 0 ? 1 : 0);
  };
  return { layer: Has.TCP, columns: ['tcpFlags'], bind: value, number: value };
};
const lab = (column: 'iface' | 'dir', text: (v: number, ctx: RowContext) => string): FieldSpec => ({
  layer: 0,
  columns: [column],
  bind: (c, ctx) => {
    const a = col(c, column);
    return (i) => text(a[i]!, ctx);
  },
});

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
  'lab.machine': lab('iface', (v, ctx) => ctx.machineOf(v)),
  'lab.nic': lab('iface', (v, ctx) => ctx.nicOf(v)),
  'lab.dir': lab('dir', (v) => (v === 1 ? 'tx' : 'rx')),
};

/** `v op value` for a number v, decided once per filter (what compare() decides per call), or null for other values. */
function numberTest(op: CmpOp, value: Value): ((v: number) => boolean) | null {
  if (value.kind === 'string') return null;
  if (isSubnet(op, value)) {
    const mask = prefixMask(value.prefix);
    const net = (value.addr & mask) >>> 0;
    return op === '==' ? (v) => ((v & mask) >>> 0) === net : (v) => ((v & mask) >>> 0) !== net;
  }
  const w = numericOperand(value);
  switch (op) {
    case '==':
      return (v) => v === w;
    case '!=':
      return (v) => v !== w;
    case '<':
      return (v) => v < w;
    case '>':
      return (v) => v > w;
    case '<=':
      return (v) => v <= w;
    case '>=':
      return (v) => v >= w;
    default:
      return null; // contains on a number: compare() says false
  }
}

const PROTOCOL_LAYER: Record<string, number> = { eth: Has.ETH, arp: Has.ARP, ip: Has.IP, icmp: Has.ICMP, tcp: Has.TCP, udp: Has.UDP };

/** Fields and protocols whose values the columns hold for the default view only. */
const PER_VIEW = new Set(['tcp.stream', 'tcp.seq', 'tcp.ack', 'ftp-data', 'http']);

/**
 * The filter as a test on columns, or null when it names something the columns cannot answer.
 * Rows with Has.QUOTED must be evaluated on their bytes instead (the test is not asked about them).
 */
export function compileColumns(expr: FilterExpr | null, ctx: RowContext, pointView: boolean): CompiledFilter | null {
  const columns = new Set<ColumnName>(['has']);
  const build = (e: FilterExpr): ChunkTest | null => {
    switch (e.kind) {
      case 'and':
      case 'or': {
        const l = build(e.left);
        const r = build(e.right);
        if (!l || !r) return null;
        return e.kind === 'and'
          ? (c) => {
              const a = l(c);
              const b = r(c);
              return (i) => a(i) && b(i);
            }
          : (c) => {
              const a = l(c);
              const b = r(c);
              return (i) => a(i) || b(i);
            };
      }
      case 'not': {
        const x = build(e.expr);
        return x && ((c) => {
          const a = x(c);
          return (i) => !a(i);
        });
      }
      case 'has':
      case 'cmp': {
        const name = e.field.name;
        if (pointView && PER_VIEW.has(name)) return null;
        if (e.kind === 'has' && name in PROTOCOL_LAYER) return layerTest(PROTOCOL_LAYER[name]!);
        if (e.kind === 'has' && APP_CODE.has(name)) {
          const code = APP_CODE.get(name)!;
          columns.add('app');
          return (c) => {
            const app = col(c, 'app');
            return (i) => app[i] === code;
          };
        }
        if (name === 'lab.drop_reason') {
          columns.add('frameId');
          const cmp = e.kind === 'cmp' ? e : null;
          return (c) => {
            const id = col(c, 'frameId');
            return (i) => {
              const reasons = ctx.dropsOf(id[i]!);
              return reasons !== undefined && (!cmp || occurrencesMatch(reasons, cmp.op, cmp.value));
            };
          };
        }
        const spec = FIELDS[name];
        if (!spec) return null;
        for (const n of spec.columns) columns.add(n);
        if (e.kind === 'has') return layerTest(spec.layer);
        const { op, value } = e;
        const layer = spec.layer;
        const num = numberTest(op, value);
        if (num && spec.number) {
          const get = spec.number;
          return (c) => {
            const has = col(c, 'has');
            const v = get(c);
            return (i) => (has[i]! & layer) === layer && num(v(i));
          };
        }
        if (num && spec.pair) {
          // Wireshark's meaning for two occurrences: != when both differ, any other test when either passes.
          const [src, dst] = spec.columns as [ColumnName, ColumnName];
          const both = op === '!=';
          return (c) => {
            const has = col(c, 'has');
            const s = col(c, src);
            const d = col(c, dst);
            return both ? (i) => (has[i]! & layer) === layer && num(s[i]!) && num(d[i]!) : (i) => (has[i]! & layer) === layer && (num(s[i]!) || num(d[i]!));
          };
        }
        return (c) => {
          const has = col(c, 'has');
          const occ = spec.bind(c, ctx);
          return (i) => {
            if ((has[i]! & layer) !== layer) return false;
            const v = occ(i);
            if (typeof v !== 'object') return op === '!=' ? !compare(v, '==', value) : compare(v, op, value);
            return occurrencesMatch(v, op, value);
          };
        };
      }
    }
  };
  if (expr === null) return { columns: [...columns], bind: () => () => true };
  const bind = build(expr);
  return bind ? { columns: [...columns], bind } : null;
}

/** The frame has these layers (0: always). */
function layerTest(bits: number): ChunkTest {
  return (c) => {
    const has = col(c, 'has');
    return (i) => (has[i]! & bits) === bits;
  };
}
