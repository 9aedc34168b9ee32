// Export the current capture: pcapng (every capture point by default, one Interface Description
// Block per NIC, the kernel's notes as packet comments) and classic pcap (the default view: each
// frame once). A first walk over the chunks' length columns sizes the output exactly; the second
// copies each frame's bytes from its chunk.
import type Database from 'better-sqlite3';
import type { CaptureState } from './capture-state';
import type { LoadedChunk, RowSelection } from './chunks';
import { PcapWriter, PCAP_HEADER_BYTES, PCAP_RECORD_HEADER_BYTES } from './pcap';
import { PcapngWriter, epbSize, idbSize, shbSize } from './pcapng';

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

const MAX_COMMENT_BYTES = 0xffff;

function rowSelection(cap: CaptureState, all: boolean, only: readonly number[] | undefined): RowSelection {
  if (only) return { kind: 'nos', nos: [...new Set(only)].sort((a, b) => a - b).map((n) => n + cap.base) };
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

export function exportPcapng(src: ExportSource, opts: PcapngExportOptions & ExportSelection = {}): Uint8Array {
  const { cap } = src;
  // Notes per machine for rows of every capture point or of one; all machines' notes for each frame once.
  const all = opts.only ? opts.pointRows === true : (opts.allCapturePoints ?? true);
  const sel = rowSelection(cap, all, opts.only);
  const comments = opts.comments === false ? new Map<string, string[]>() : commentsByKey(src.db, cap, all);
  const notesOf = (c: LoadedChunk, i: number): string[] | undefined =>
    comments.size === 0 ? undefined : comments.get(rowKey(all, c.col('frameId')[i]!, cap.points.get(c.col('iface')[i]!)!.machine));
  const ifIndex = new Map<number, number>();
  let size = shbSize();
  for (const [id, p] of cap.points) {
    ifIndex.set(id, ifIndex.size);
    size += idbSize(`${p.machine}:${p.nic}`);
  }
  const noteBytes = new Map<string[], number>();
  src.walk(sel, (c, i) => {
    const notes = notesOf(c, i);
    size += epbSize(c.col('length')[i]!);
    if (notes) {
      let n = noteBytes.get(notes);
      if (n === undefined) noteBytes.set(notes, (n = epbSize(0, notes.map((t) => Math.min(Buffer.byteLength(t), MAX_COMMENT_BYTES))) - epbSize(0)));
      size += n;
    }
  });
  const w = new PcapngWriter({ capacity: size });
  for (const p of cap.points.values()) w.addInterface(`${p.machine}:${p.nic}`);
  src.walk(sel, (c, i) => w.addPacket(ifIndex.get(c.col('iface')[i]!)!, c.col('at')[i]!, c.bytes(i), notesOf(c, i)));
  return w.toBytes();
}

/** Classic pcap: the default view (each frame once, at its first capture point), or the chosen rows. */
export function exportPcap(src: ExportSource, sel: ExportSelection = {}): Uint8Array {
  const rows = rowSelection(src.cap, false, sel.only);
  let size = PCAP_HEADER_BYTES;
  src.walk(rows, (c, i) => void (size += PCAP_RECORD_HEADER_BYTES + c.col('length')[i]!));
  const w = new PcapWriter({ capacity: size });
  src.walk(rows, (c, i) => w.addPacket(c.col('at')[i]!, c.bytes(i)));
  return w.toBytes();
}
