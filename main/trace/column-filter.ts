// A display filter compiled to the trace's columns (columns.ts): each row is tested on the few
// typed arrays the filter names, without its bytes. The fields and their occurrences are those of
// frameFields (shared/filter/eval.ts, both built on frameKeys); rows it cannot answer from columns
// (an ICMP error, whose quoted headers add occurrences) are handed back to be evaluated on their
// bytes. lab.drop_reason (kernel records, not columns) is the drops of the row's frame id, which the
// caller looks up for each chunk (RowContext.dropsOf). In a capture point's view, the
// fields numbered per view (tcp.stream, tcp.seq, tcp.ack) and the protocols found from
// conversation state (ftp-data, http) do not compile: the columns hold the default view's.
import { isSubnet, numericOperand, occurrenceMatches, occurrencesMatch } from '../../shared/filter/eval';
import { prefixMask } from '../../shared/wire/address';
import { APP_CODE, Has } from '../../shared/filter/keys';
import type { CmpOp, FilterExpr, Value } from '../../shared/filter/parser';
import { TcpFlag } from '../../shared/wire/tcp';
import type { ColumnArray, ColumnName } from './columns';
import { scratch } from './grow-buffer';

/** The loaded columns of one chunk (those the filter needs, and `has`). */
export type ChunkColumns = { [K in ColumnName]?: ColumnArray<K> };

/** What a row's fields need beyond the columns: the capture point names by interface id, a frame's drop reasons. */
export interface RowContext {
  machineOf(iface: number): string;
  nicOf(iface: number): string;
  /** The reasons the frame was dropped for (lab.drop_reason's occurrences), or undefined. */
  dropsOf(frameId: number): readonly string[] | undefined;
}

/** A test of row i of the chunk it was bound to (fields that are not numbers: names, drop reasons). */
type RowTest = (i: number) => boolean;

/**
 * Test the first `n` rows of one chunk at once: out[i] = 1 where row i passes, else 0. A whole
 * chunk per call, each comparison a tight loop over its typed array: a function call per row and
 * per node of the filter cost more than the columns' reading.
 */
export type ChunkEval = (c: ChunkColumns, out: Uint8Array, n: number) => void;

export interface CompiledFilter {
  /** Columns to load for each chunk. */
  columns: ColumnName[];
  test: ChunkEval;
}

type Occurrences = (i: number) => number | string | readonly [number, number];

interface FieldSpec {
  /** The layer bits a frame must have for the field to be present (0: always). */
  layer: number;
  columns: ColumnName[];
  /** The occurrences of row i, in frameFields' order (a pair for ip.addr, tcp.port...). */
  bind(c: ChunkColumns, ctx: RowContext): Occurrences;
  /**
   * The single numeric occurrence of each of the first n rows (fields that are one number: the fast
   * path): a column, or the field's own scratch rows, valid until its next call (read at once).
   */
  values?(c: ChunkColumns, n: number): ArrayLike<number>;
  /** `columns` are a pair's two numeric columns (ip.addr, tcp.port...), in bind's order: the pairs' fast path. */
  pair?: true;
}

const col = <K extends ColumnName>(c: ChunkColumns, name: K): ColumnArray<K> => c[name] as ColumnArray<K>;
const one = (layer: number, name: ColumnName): FieldSpec => ({
  layer,
  columns: [name],
  bind: (c) => {
    const a = col(c, name);
    return (i) => a[i]!;
  },
  values: (c) => col(c, name),
});
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
  const rows = scratch();
  return {
    layer: Has.TCP,
    columns: ['tcpFlags'],
    bind: (c) => {
      const f = col(c, 'tcpFlags');
      return (i) => ((f[i]! & bit) !== 0 ? 1 : 0);
    },
    values: (c, n) => {
      const f = col(c, 'tcpFlags');
      const bits = rows(n);
      for (let i = 0; i < n; i++) bits[i] = (f[i]! & bit) !== 0 ? 1 : 0;
      return bits;
    },
  };
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

/** `v op value` for numbers v, decided once per filter (what compare() decides per call): an operator and operand, or a subnet. */
type NumTest = { op: '==' | '!=' | '<' | '>' | '<=' | '>='; w: number; mask?: undefined } | { op: '==' | '!='; w: number; mask: number };

function numberTest(op: CmpOp, value: Value): NumTest | null {
  if (value.kind === 'string') return null;
  if (isSubnet(op, value)) {
    const mask = prefixMask(value.prefix);
    return { op: op === '==' ? '==' : '!=', w: (value.addr & mask) >>> 0, mask };
  }
  if (op === 'contains') return null; // contains on a number: compare() says false
  return { op, w: numericOperand(value) };
}

/**
 * out[i] = 1 where row i has the layer bits and `t` holds for v[i]. One loop per operator, so the
 * comparison is inlined rather than called per row.
 */
function compareInto(out: Uint8Array, n: number, has: ArrayLike<number>, layer: number, v: ArrayLike<number>, t: NumTest): void {
  const w = t.w;
  if (t.mask !== undefined) {
    const mask = t.mask;
    const eq = t.op === '==' ? 1 : 0;
    for (let i = 0; i < n; i++) out[i] = (has[i]! & layer) === layer && (((v[i]! & mask) >>> 0 === w ? 1 : 0) === eq) ? 1 : 0;
    return;
  }
  switch (t.op) {
    case '==':
      for (let i = 0; i < n; i++) out[i] = (has[i]! & layer) === layer && v[i] === w ? 1 : 0;
      return;
    case '!=':
      for (let i = 0; i < n; i++) out[i] = (has[i]! & layer) === layer && v[i] !== w ? 1 : 0;
      return;
    case '<':
      for (let i = 0; i < n; i++) out[i] = (has[i]! & layer) === layer && v[i]! < w ? 1 : 0;
      return;
    case '>':
      for (let i = 0; i < n; i++) out[i] = (has[i]! & layer) === layer && v[i]! > w ? 1 : 0;
      return;
    case '<=':
      for (let i = 0; i < n; i++) out[i] = (has[i]! & layer) === layer && v[i]! <= w ? 1 : 0;
      return;
    case '>=':
      for (let i = 0; i < n; i++) out[i] = (has[i]! & layer) === layer && v[i]! >= w ? 1 : 0;
      return;
  }
}

/** A per-row test run over the chunk (fields that are not numbers). */
function rows(bind: (c: ChunkColumns) => RowTest): ChunkEval {
  return (c, out, n) => {
    const test = bind(c);
    for (let i = 0; i < n; i++) out[i] = test(i) ? 1 : 0;
  };
}

const PROTOCOL_LAYER: Record<string, number> = { eth: Has.ETH, arp: Has.ARP, ip: Has.IP, icmp: Has.ICMP, tcp: Has.TCP, udp: Has.UDP };

/** Fields and protocols whose values the columns hold for the default view only. */
const PER_VIEW = new Set(['tcp.stream', 'tcp.seq', 'tcp.ack', 'ftp-data', 'http']);

/**
 * The filter as a test on columns, or null when it names something the columns cannot answer.
 * Rows with Has.QUOTED must be evaluated on their bytes instead: the test answers for every row of
 * a chunk, and its answer is not used for them, nor for rows outside the view being read.
 */
export function compileColumns(expr: FilterExpr | null, ctx: RowContext, pointView: boolean): CompiledFilter | null {
  const columns = new Set<ColumnName>(['has']);
  const build = (e: FilterExpr): ChunkEval | null => {
    switch (e.kind) {
      case 'and':
      case 'or': {
        const l = build(e.left);
        const r = build(e.right);
        if (!l || !r) return null;
        const right = scratch();
        return e.kind === 'and'
          ? (c, out, n) => {
              const b = right(n);
              l(c, out, n);
              r(c, b, n);
              for (let i = 0; i < n; i++) out[i]! &= b[i]!;
            }
          : (c, out, n) => {
              const b = right(n);
              l(c, out, n);
              r(c, b, n);
              for (let i = 0; i < n; i++) out[i]! |= b[i]!;
            };
      }
      case 'not': {
        const x = build(e.expr);
        return (
          x &&
          ((c, out, n) => {
            x(c, out, n);
            for (let i = 0; i < n; i++) out[i]! ^= 1;
          })
        );
      }
      case 'has':
      case 'cmp': {
        const name = e.field.name;
        if (pointView && PER_VIEW.has(name)) return null;
        if (e.kind === 'has' && name in PROTOCOL_LAYER) return layerTest(PROTOCOL_LAYER[name]!);
        if (e.kind === 'has' && APP_CODE.has(name)) {
          const code = APP_CODE.get(name)!;
          columns.add('app');
          return (c, out, n) => {
            const app = col(c, 'app');
            for (let i = 0; i < n; i++) out[i] = app[i] === code ? 1 : 0;
          };
        }
        if (name === 'lab.drop_reason') {
          columns.add('frameId');
          const cmp = e.kind === 'cmp' ? e : null;
          return rows((c) => {
            const id = col(c, 'frameId');
            return (i) => {
              const reasons = ctx.dropsOf(id[i]!);
              return reasons !== undefined && (!cmp || occurrencesMatch(reasons, cmp.op, cmp.value));
            };
          });
        }
        const spec = FIELDS[name];
        if (!spec) return null;
        for (const n of spec.columns) columns.add(n);
        if (e.kind === 'has') return layerTest(spec.layer);
        const { op, value } = e;
        const layer = spec.layer;
        const num = numberTest(op, value);
        if (num && spec.values) {
          const values = spec.values;
          return (c, out, n) => compareInto(out, n, col(c, 'has'), layer, values(c, n), num);
        }
        if (num && spec.pair) {
          // Wireshark's meaning for two occurrences: != when both differ, any other test when either passes.
          const [src, dst] = spec.columns as [ColumnName, ColumnName];
          const both = op === '!=';
          const second = scratch();
          return (c, out, n) => {
            const has = col(c, 'has');
            const d = second(n);
            compareInto(out, n, has, layer, col(c, src), num);
            compareInto(d, n, has, layer, col(c, dst), num);
            if (both) for (let i = 0; i < n; i++) out[i]! &= d[i]!;
            else for (let i = 0; i < n; i++) out[i]! |= d[i]!;
          };
        }
        return rows((c) => {
          const has = col(c, 'has');
          const occ = spec.bind(c, ctx);
          return (i) => {
            if ((has[i]! & layer) !== layer) return false;
            const v = occ(i);
            if (typeof v !== 'object') return occurrenceMatches(v, op, value);
            return occurrencesMatch(v, op, value);
          };
        });
      }
    }
  };
  if (expr === null) return { columns: [...columns], test: (_c, out, n) => out.fill(1, 0, n) };
  const test = build(expr);
  return test ? { columns: [...columns], test } : null;
}

/** The frame has these layers (0: always). */
function layerTest(bits: number): ChunkEval {
  return (c, out, n) => {
    const has = col(c, 'has');
    for (let i = 0; i < n; i++) out[i] = (has[i]! & bits) === bits ? 1 : 0;
  };
}
