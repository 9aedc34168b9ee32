// The socket table's model: rows grouped as the kernel relates them (children and request socks
// under the listener they were born from), listen-queue gauges, and row identity for highlighting.
// Pure; see sockets.test.ts.
import type { SocketRow } from '../../shared/api';
import { parseEndpoint } from './kernel-format';

/**
 * Where a child of a listener is in the passive open (inet_connection_sock.c):
 * 'syn'      a request sock (SYN_RECV) in the SYN queue, waiting for the final ACK;
 * 'accept'   a full socket in the accept queue, not yet accept()ed;
 * 'accepted' returned by accept() (or a TIME_WAIT entry left behind by one).
 */
export type ChildStage = 'syn' | 'accept' | 'accepted';

export interface SocketLine {
  /** Stable identity across refreshes (React key, highlight target). */
  key: string;
  row: SocketRow;
  /** 0: top level; 1: under its listener. */
  depth: 0 | 1;
  /** Set on listeners that are shown with their children and queues. */
  listener?: ListenerInfo;
  /** Set on lines under a listener. */
  stage?: ChildStage;
  /** Set on lines under a listener: its key. */
  parentKey?: string;
  /** Set on the last line of a listener's group (draws the tree connector). */
  lastChild?: boolean;
}

export interface ListenerInfo {
  syn: QueueGauge;
  accept: QueueGauge;
  children: number;
}

/** Identity of a row: its inode, or for inode-less entries (request socks, TIME_WAIT) the 4-tuple. */
export function socketKey(row: Pick<SocketRow, 'inode' | 'kind' | 'proto' | 'localAddr' | 'localPort' | 'peerAddr' | 'peerPort'>): string {
  if (row.inode > 0) return `i${row.inode}`;
  return `${row.kind}:${row.proto}:${row.localAddr >>> 0}:${row.localPort}>${row.peerAddr >>> 0}:${row.peerPort}`;
}

const PROTO_ORDER: Record<SocketRow['proto'], number> = { tcp: 0, udp: 1, icmp: 2, raw: 3, unix: 4 };
const STAGE_ORDER: Record<ChildStage, number> = { syn: 0, accept: 1, accepted: 2 };

function isListener(row: SocketRow): boolean {
  return row.kind === 'socket' && row.state === 'LISTEN';
}

function stageOf(row: SocketRow): ChildStage {
  if (row.kind === 'request') return 'syn';
  if (row.queued) return 'accept';
  return 'accepted';
}

/** Top level: by protocol, listeners first and TIME_WAIT last, then local port, address, peer. */
function compareTop(a: SocketRow, b: SocketRow): number {
  const rank = (r: SocketRow) => (isListener(r) ? 0 : r.kind === 'timewait' ? 2 : 1);
  return (
    PROTO_ORDER[a.proto] - PROTO_ORDER[b.proto] ||
    rank(a) - rank(b) ||
    a.localPort - b.localPort ||
    (a.localAddr >>> 0) - (b.localAddr >>> 0) ||
    (a.peerAddr >>> 0) - (b.peerAddr >>> 0) ||
    a.peerPort - b.peerPort ||
    a.inode - b.inode
  );
}

/** Children in the order of the passive open: SYN queue, accept queue, accepted; then by peer. */
function compareChild(a: SocketRow, b: SocketRow): number {
  return (
    STAGE_ORDER[stageOf(a)] - STAGE_ORDER[stageOf(b)] ||
    (a.kind === 'timewait' ? 1 : 0) - (b.kind === 'timewait' ? 1 : 0) ||
    (a.peerAddr >>> 0) - (b.peerAddr >>> 0) ||
    a.peerPort - b.peerPort ||
    a.inode - b.inode
  );
}

/**
 * Flatten the machine's sockets into table lines: each listener followed by the rows whose
 * `parent` is its inode (request socks and children: same local port, their own 4-tuples).
 * Rows whose listener is gone (closed) stay at the top level.
 */
export function socketLines(sockets: readonly SocketRow[]): SocketLine[] {
  const listeners = new Map<number, SocketRow>();
  for (const r of sockets) if (isListener(r) && r.inode > 0) listeners.set(r.inode, r);
  const children = new Map<number, SocketRow[]>();
  const top: SocketRow[] = [];
  for (const r of sockets) {
    const parent = r.parent !== undefined && r !== listeners.get(r.parent) ? listeners.get(r.parent) : undefined;
    if (parent) {
      const list = children.get(parent.inode) ?? [];
      list.push(r);
      children.set(parent.inode, list);
    } else {
      top.push(r);
    }
  }
  top.sort(compareTop);
  const out: SocketLine[] = [];
  for (const r of top) {
    const key = socketKey(r);
    const kids = isListener(r) ? (children.get(r.inode) ?? []).sort(compareChild) : [];
    if (!isListener(r)) {
      out.push({ key, row: r, depth: 0 });
      continue;
    }
    out.push({ key, row: r, depth: 0, listener: listenerInfo(r, kids) });
    kids.forEach((c, i) => {
      out.push({ key: socketKey(c), row: c, depth: 1, stage: stageOf(c), parentKey: key, lastChild: i === kids.length - 1 });
    });
  }
  return out;
}

function listenerInfo(row: SocketRow, kids: readonly SocketRow[]): ListenerInfo {
  // The listener reports its own counts; when it doesn't (older backend), count the children.
  const backlog = row.listener?.backlog ?? row.sendQ;
  const acceptLen = row.listener?.acceptQueue ?? kids.filter((k) => k.queued).length;
  const synLen = row.listener?.synQueue ?? kids.filter((k) => k.kind === 'request').length;
  return { syn: synQueueGauge(synLen, backlog), accept: acceptQueueGauge(acceptLen, backlog), children: kids.length };
}

// ---- listen queues ----

export interface QueueGauge {
  which: 'syn' | 'accept';
  length: number;
  /** listen()'s backlog after clamping to somaxconn (`ss` Send-Q of the LISTEN row). */
  backlog: number;
  /** What the queue holds before it counts as full: backlog + 1 (Linux tests with a strict >). */
  capacity: number;
  full: boolean;
  /** length / capacity, clamped to 0..1. */
  fill: number;
  /** "accept queue 2 / backlog 1 (holds 2)". */
  label: string;
  /** What happens when it is full, for the tooltip. */
  title: string;
  /** Per-slot drawing when the capacity is small enough to draw slots, else null (a plain bar). */
  slots: QueueSlot[] | null;
}

/** 'used' filled; 'free' empty; 'extra' the +1 slot beyond the backlog; 'over' more than capacity. */
export type QueueSlot = 'used' | 'free' | 'extra-used' | 'extra-free' | 'over';

export const MAX_SLOTS = 24;

/** Linux: sk_acceptq_is_full() is `sk_ack_backlog > sk_max_ack_backlog` (include/net/sock.h). */
export function acceptQueueGauge(length: number, backlog: number): QueueGauge {
  return queueGauge(
    'accept',
    'accept queue',
    length,
    backlog,
    `Established children waiting for accept(): ${length}. Linux counts the queue full only when it holds ` +
      `more than the backlog (sk_ack_backlog > sk_max_ack_backlog), so listen(${backlog}) holds ${backlog + 1}. ` +
      'While it is full, new SYNs are dropped silently and a final ACK is dropped (ListenOverflows, ListenDrops).',
  );
}

/** Linux: inet_csk_reqsk_queue_is_full() is `reqsk_queue_len > sk_max_ack_backlog` (6.x). */
export function synQueueGauge(length: number, backlog: number): QueueGauge {
  return queueGauge(
    'syn',
    'SYN queue',
    length,
    backlog,
    `Request socks (SYN_RECV) waiting for the final ACK: ${length}. The SYN queue is limited by the listen ` +
      `backlog too (full when more than ${backlog} are pending). When it is full, a SYN gets a SYN cookie ` +
      '(tcp_syncookies=1) and no request sock is kept.',
  );
}

/**
 * Both queues count as full past the backlog, so each holds backlog + 1. The backlog is never negative
 * (the engine clamps listen()'s argument: TCP to somaxconn, unix to 0), so capacity >= 1.
 */
function queueGauge(which: QueueGauge['which'], name: string, length: number, backlog: number, title: string): QueueGauge {
  const capacity = backlog + 1;
  return {
    which,
    length,
    backlog,
    capacity,
    full: length > backlog,
    fill: Math.min(1, length / capacity),
    label: `${name} ${length} / backlog ${backlog} (holds ${capacity})`,
    title,
    slots: slots(length, backlog, capacity),
  };
}

function slots(length: number, backlog: number, capacity: number): QueueSlot[] | null {
  if (capacity > MAX_SLOTS || length > MAX_SLOTS) return null;
  const out: QueueSlot[] = [];
  for (let i = 0; i < Math.max(capacity, length); i++) {
    if (i >= capacity) out.push('over');
    else if (i === backlog) out.push(i < length ? 'extra-used' : 'extra-free');
    else out.push(i < length ? 'used' : 'free');
  }
  return out;
}

// ---- finding a row (from a delivery record) ----

export interface SocketRef {
  inode: number;
  kind: SocketRow['kind'];
  /** "10.0.0.2:5000" */
  local: string;
  peer: string;
}

/**
 * The line a delivery's socket refers to: by inode when it has one, else by kind and 4-tuple
 * (request socks and TIME_WAIT entries have inode 0). Null when that socket no longer exists.
 */
export function findSocketLine(lines: readonly SocketLine[], ref: SocketRef, proto?: SocketRow['proto']): SocketLine | null {
  if (ref.inode > 0) return lines.find((l) => l.row.inode === ref.inode) ?? null;
  const local = parseEndpoint(ref.local);
  const peer = parseEndpoint(ref.peer);
  if (!local || !peer) return null;
  return (
    lines.find(
      (l) =>
        l.row.kind === ref.kind &&
        (proto === undefined || l.row.proto === proto) &&
        l.row.localAddr >>> 0 === local.addr &&
        l.row.localPort === local.port &&
        l.row.peerAddr >>> 0 === peer.addr &&
        l.row.peerPort === peer.port,
    ) ?? null
  );
}
