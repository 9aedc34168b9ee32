// Export the current capture: pcapng (every capture point by default, one Interface Description
// Block per NIC, the kernel's notes as packet comments) and classic pcap (the default view: each
// frame once). Both stream: blocks are built in one reused buffer from the chunks' bytes and handed
// on (to a file, or collected for a small export sent to the UI).
import type Database from 'better-sqlite3';
import { concatBytes } from '../../shared/wire';
import type { CaptureState } from './capture-state';
import { nosSelection, type LoadedChunk, type RowSelection } from './chunks';
import { PcapWriter } from './pcap';
import { PcapngWriter } from './pcapng';

export interface PcapngExportOptions {
  /** true (default): every capture point; false: the default view, each frame once. */
  allCapturePoints?: boolean;
  /** Put the kernel's notes about each frame in opt_comment options (default true). */
  comments?: boolean;
}

/**
 * Only these rows (FrameRow.no): what a display filter selected in the default view (each frame
 * once, as Wireshark's "Export Specified Packets, displayed"), or a capture point's rows.
 */
export interface ExportSelection {
  only?: readonly number[];
  /** The chosen rows are one capture point's (not each frame once): each carries its own machine's notes. */
  pointRows?: boolean;
}

/** What an export reads: the kernel notes (db), the capture, and a walk over its rows in order. */
export interface ExportSource {
  db: Database.Database;
  cap: CaptureState;
  walk(sel: RowSelection, visit: (c: LoadedChunk, i: number, no: number) => void): void;
}

function rowSelection(cap: CaptureState, all: boolean, only: readonly number[] | undefined): RowSelection {
  if (only) return nosSelection(cap.base, cap.total, only);
  return all ? { kind: 'all' } : { kind: 'view' };
}

/**
 * Which notes a row carries. All capture points: the notes of the row's own machine about that
 * frame. Default view (each frame once): every machine's notes about the frame, as "machine: text".
 */
const rowKey = (all: boolean, frameId: number, machine: string): string => (all ? `${frameId}\u0000${machine}` : String(frameId));

function commentsByKey(db: Database.Database, cap: CaptureState, all: boolean): Map<string, string[]> {
  const rows = db
    .prepare('SELECT frame_id, machine, text FROM kernel_event WHERE capture = ? AND frame_id IS NOT NULL ORDER BY id')
    .raw(true)
    .iterate(cap.id) as Iterable<[number, string, string]>;
  const out = new Map<string, string[]>();
  for (const [frameId, machine, text] of rows) {
    const key = rowKey(all, frameId, machine);
    const list = out.get(key) ?? [];
    list.push(all ? text : `${machine}: ${text}`);
    out.set(key, list);
  }
  return out;
}

/** The streaming buffer: filled, handed to the sink, reused (a multi-GB export never sits in memory). */
const STREAM_BYTES = 8 << 20;

/** The pcapng file through `sink`, in pieces (each a view valid only during the call). */
export function streamPcapng(src: ExportSource, opts: PcapngExportOptions & ExportSelection, sink: (bytes: Uint8Array) => void): void {
  const { cap } = src;
  // Notes per machine for rows of every capture point or of one; all machines' notes for each frame once.
  const all = opts.only ? opts.pointRows === true : (opts.allCapturePoints ?? true);
  const sel = rowSelection(cap, all, opts.only);
  const comments = opts.comments === false ? new Map<string, string[]>() : commentsByKey(src.db, cap, all);
  const ifIndex = new Map<number, number>();
  const w = new PcapngWriter({ capacity: STREAM_BYTES });
  for (const [id, p] of cap.points) {
    ifIndex.set(id, ifIndex.size);
    w.addInterface(`${p.machine}:${p.nic}`);
  }
  src.walk(sel, (c, i, no) => {
    const id = c.col('iface')[i]!;
    const index = ifIndex.get(id);
    if (index === undefined) throw new Error(`trace frame ${no - cap.base} names capture point ${id}, which the capture does not list`);
    const notes = comments.size === 0 ? undefined : comments.get(rowKey(all, c.col('frameId')[i]!, cap.points.get(id)!.machine));
    w.addPacket(index, c.col('at')[i]!, c.bytes(i), notes);
    if (w.buffered >= STREAM_BYTES - (1 << 17)) w.drain(sink);
  });
  w.drain(sink);
}

/** Classic pcap through `sink`: the default view (each frame once, at its first capture point), or the chosen rows. */
export function streamPcap(src: ExportSource, sel: ExportSelection, sink: (bytes: Uint8Array) => void): void {
  const w = new PcapWriter({ capacity: STREAM_BYTES });
  src.walk(rowSelection(src.cap, false, sel.only), (c, i) => {
    w.addPacket(c.col('at')[i]!, c.bytes(i));
    if (w.buffered >= STREAM_BYTES - (1 << 17)) w.drain(sink);
  });
  w.drain(sink);
}

/** A stream collected into one buffer. */
export function collect(stream: (sink: (bytes: Uint8Array) => void) => void): Uint8Array {
  const parts: Uint8Array[] = [];
  stream((b) => void parts.push(b.slice())); // slice: the stream reuses its buffer
  return parts.length === 1 ? parts[0]! : concatBytes(parts);
}
