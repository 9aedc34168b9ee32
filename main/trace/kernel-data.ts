// A kernel event's structured detail as stored (kernel_data.data, once per distinct text, which
// kernel_event.data_id names). A delivery record repeats four
// fields of its own row (frameId, machine, atNs, summary = frame_id, machine, time_ns, text): a
// third of its JSON, and with one record per frame received, a third of a bulk transfer's kernel
// rows. When all four equal the row's, they are left out and the text is marked with a leading '~'
// (no JSON text starts with it); reading puts them back (as equal values; the keys' order may
// differ from the record's). Anything else is stored as plain JSON.
import type { KernelEvent } from '../../shared/trace';

import type { Delivery, LookupStep, SocketOwner } from '../../shared/api/kernel-view';

const MARK = '~';

interface RowEcho {
  frameId?: unknown;
  machine?: unknown;
  atNs?: unknown;
  summary?: unknown;
}

/** Cached texts kept before the cache starts afresh (a lab with many sockets must not grow it without bound). */
const MAX_CACHED = 1024;

/**
 * packData with a memory: the segments of one connection are delivered with the same lookup
 * steps, socket, owners and queue, so a delivery record equal to the last one stored for its
 * socket (on its machine) reuses that text instead of building it again (JSON.stringify was the
 * simulation thread's largest trace cost in a bulk transfer). The same text is stored either way.
 */
export class DataPacker {
  private readonly last = new Map<string, Map<number, { data: Delivery; text: string }>>();
  private cached = 0;

  pack(e: KernelEvent): string {
    if (e.type !== 'deliver' || !echoesRow(e, e.data)) return packData(e);
    const d = e.data as Delivery;
    const inode = d.socket?.inode;
    if (typeof inode !== 'number') return packData(e);
    let bySocket = this.last.get(e.machine);
    if (!bySocket) this.last.set(e.machine, (bySocket = new Map()));
    const prev = bySocket.get(inode);
    if (prev && sameDelivery(prev.data, d)) return prev.text;
    const text = packEcho(d);
    if (!prev && ++this.cached > MAX_CACHED) {
      this.last.clear();
      this.cached = 1;
      this.last.set(e.machine, (bySocket = new Map()));
    }
    bySocket.set(inode, { data: d, text });
    return text;
  }
}

export function packData(e: KernelEvent): string {
  const d = e.data;
  if (d === undefined) return '';
  return echoesRow(e, d) ? packEcho(d) : JSON.stringify(d);
}

/** A record that echoes its row, without the echoed fields (MARK says they are the row's). */
function packEcho(d: RowEcho): string {
  const { frameId: _f, machine: _m, atNs: _a, summary: _s, ...rest } = d;
  return MARK + JSON.stringify(rest);
}

function echoesRow(e: KernelEvent, d: unknown): d is RowEcho {
  if (typeof d !== 'object' || d === null || Array.isArray(d)) return false;
  const { frameId, machine, atNs, summary } = d as RowEcho;
  return frameId === e.frameId && typeof frameId === 'number' && frameId >= 0 && machine === e.machine && atNs === e.at && summary === e.text;
}

/**
 * Every field of a delivery record and of what it holds, as sameDelivery treats it: the row's echo
 * (left out of the stored text), compared, or required absent. The compiler holds these lists to
 * the types, so a field added to Delivery does not compile until it is handled here and in
 * sameDelivery (kernel-data.test.ts changes each listed field and expects a difference).
 */
export const DELIVERY_FIELDS = {
  frameId: 'echo',
  machine: 'echo',
  atNs: 'echo',
  summary: 'echo',
  protocol: 'compared',
  steps: 'compared',
  socket: 'compared',
  queue: 'compared',
  reply: 'compared',
  stateChange: 'absent',
  drop: 'absent',
} as const satisfies Record<keyof Delivery, 'echo' | 'compared' | 'absent'>;
export const SOCKET_FIELDS = ['inode', 'kind', 'local', 'peer', 'state', 'owners'] as const satisfies readonly (keyof NonNullable<Delivery['socket']>)[];
export const STEP_FIELDS = ['table', 'key', 'hit'] as const satisfies readonly (keyof LookupStep)[];
export const OWNER_FIELDS = ['pid', 'name', 'fd'] as const satisfies readonly (keyof SocketOwner)[];
type Exhaustive<Listed, All> = [All] extends [Listed] ? true : never;
const _lists: [Exhaustive<(typeof SOCKET_FIELDS)[number], keyof NonNullable<Delivery['socket']>>, Exhaustive<(typeof STEP_FIELDS)[number], keyof LookupStep>, Exhaustive<(typeof OWNER_FIELDS)[number], keyof SocketOwner>] = [true, true, true];
void _lists;

/**
 * True when two delivery records have the same stored text (their echoes aside): plain field
 * reads, about a tenth of building the text. A record with a state change or a drop is never
 * taken as equal (those are one-offs).
 */
export function sameDelivery(a: Delivery, b: Delivery): boolean {
  if (a.protocol !== b.protocol || a.queue !== b.queue || a.reply !== b.reply) return false;
  if (a.stateChange !== undefined || b.stateChange !== undefined || a.drop !== undefined || b.drop !== undefined) return false;
  const sa = a.steps;
  const sb = b.steps;
  if (sa.length !== sb.length) return false;
  for (let i = 0; i < sa.length; i++) if (sa[i]!.table !== sb[i]!.table || sa[i]!.key !== sb[i]!.key || sa[i]!.hit !== sb[i]!.hit) return false;
  const x = a.socket;
  const y = b.socket;
  if (x === undefined || y === undefined) return x === y;
  if (x.inode !== y.inode || x.kind !== y.kind || x.local !== y.local || x.peer !== y.peer || x.state !== y.state || x.owners.length !== y.owners.length) return false;
  for (let i = 0; i < x.owners.length; i++) {
    const o = x.owners[i]!;
    const p = y.owners[i]!;
    if (o.pid !== p.pid || o.name !== p.name || o.fd !== p.fd) return false;
  }
  return true;
}

export function unpackData(text: string, row: { frameId: number | null; machine: string; at: number; text: string }): unknown {
  if (!text.startsWith(MARK)) return JSON.parse(text);
  return { frameId: row.frameId, ...(JSON.parse(text.slice(1)) as object), summary: row.text, machine: row.machine, atNs: row.at };
}
