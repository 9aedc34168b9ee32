// Export the current capture from the database: pcapng (every capture point by default, one
// Interface Description Block per NIC, the kernel's notes as packet comments) and classic pcap (the
// default view: each frame once). Output buffers are sized exactly from SQL aggregates up front.
import type Database from 'better-sqlite3';
import type { CaptureState } from './capture-state';
import { PcapWriter, PCAP_HEADER_BYTES, PCAP_RECORD_HEADER_BYTES } from './pcap';
import { holderBytes } from './holder-bytes';
import { PcapngWriter, epbSize, idbSize, shbSize } from './pcapng';

export interface PcapngExportOptions {
  /** true (default): every capture point; false: the default view, each frame once. */
  allCapturePoints?: boolean;
  /** Put the kernel's notes about each frame in opt_comment options (default true). */
  comments?: boolean;
}

/**
 * Only these rows (FrameRow.no): what a display filter selected in the default view (each frame
 * once, as Wireshark's "Export Specified Packets, displayed"), or a capture point's rows. Held in a
 * temporary table while the export runs, so the sizes still come from SQL aggregates.
 */
export interface ExportSelection {
  only?: readonly number[];
  /** The chosen rows are one capture point's (not each frame once): each carries its own machine's notes. */
  pointRows?: boolean;
}

const SELECTED = 'temp.export_selection';

/** Run `fn` with SELECTED holding the chosen rows' numbers (when there is a choice). */
export function withSelection<T>(db: Database.Database, cap: CaptureState, only: readonly number[] | undefined, fn: (filtered: boolean) => T): T {
  if (!only) return fn(false);
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS export_selection (no INTEGER PRIMARY KEY); DELETE FROM ${SELECTED};`);
  try {
    const ins = db.prepare(`INSERT OR IGNORE INTO ${SELECTED} (no) VALUES (?)`);
    db.transaction(() => {
      for (const n of only) ins.run(n + cap.base);
    })();
    return fn(true);
  } finally {
    db.exec(`DELETE FROM ${SELECTED}`);
  }
}

const MAX_COMMENT_BYTES = 0xffff;

/** Row selection shared by both formats, in packet-list order. */
function selection(all: boolean, filtered = false): string {
  if (filtered) return `FROM frame WHERE capture = @capture AND no IN (SELECT no FROM ${SELECTED})`;
  return all
    ? 'FROM frame WHERE capture = @capture AND no > @base AND no <= @last'
    : 'FROM frame WHERE capture = @capture AND first_no IS NOT NULL';
}
/** Capture order; the default view's is first_no's, the same order (a chosen set is ordered by no). */
const order = (all: boolean, filtered = false): string => (all || filtered ? ' ORDER BY no' : ' ORDER BY first_no');

function params(cap: CaptureState): { capture: number; base: number; last: number } {
  return { capture: cap.id, base: cap.base, last: cap.base + cap.total };
}

/** Count and sum of lengths (each padded to 4 when `pad`) of the selected rows. */
function measure(db: Database.Database, cap: CaptureState, all: boolean, pad: boolean, filtered: boolean): { n: number; bytes: number } {
  const len = pad ? '((length + 3) / 4 * 4)' : 'length';
  return db.prepare(`SELECT COUNT(*) AS n, COALESCE(SUM(${len}), 0) AS bytes ${selection(all, filtered)}`).get(params(cap)) as { n: number; bytes: number };
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

/** Exact bytes the comment options of the selected rows add (a pass over commented frames only). */
function commentBytes(db: Database.Database, cap: CaptureState, all: boolean, filtered: boolean, comments: Map<string, string[]>): number {
  if (comments.size === 0) return 0;
  const sql = `SELECT frame_id, interface ${selection(all, filtered)}
    AND frame_id IN (SELECT frame_id FROM kernel_event WHERE capture = @capture AND frame_id IS NOT NULL)`;
  const sizeOf = new Map<string, number>();
  let total = 0;
  for (const [frameId, iface] of db.prepare(sql).raw(true).iterate(params(cap)) as Iterable<[number, number]>) {
    const key = rowKey(all, frameId, cap.points.get(iface)!.machine);
    let n = sizeOf.get(key);
    if (n === undefined) {
      const list = comments.get(key);
      n = list ? epbSize(0, list.map((c) => Math.min(Buffer.byteLength(c), MAX_COMMENT_BYTES))) - epbSize(0) : 0;
      sizeOf.set(key, n);
    }
    total += n;
  }
  return total;
}

export function exportPcapng(db: Database.Database, cap: CaptureState, opts: PcapngExportOptions & ExportSelection = {}): Uint8Array {
  return withSelection(db, cap, opts.only, (filtered) => writePcapng(db, cap, opts, filtered));
}

function writePcapng(db: Database.Database, cap: CaptureState, opts: PcapngExportOptions & ExportSelection, filtered: boolean): Uint8Array {
  // Notes per machine for rows of every capture point or of one; all machines' notes for each frame once.
  const all = filtered ? opts.pointRows === true : (opts.allCapturePoints ?? true);
  const comments = opts.comments === false ? new Map<string, string[]>() : commentsByKey(db, cap, all);
  const ifIndex = new Map<number, number>();
  let size = shbSize();
  for (const [id, p] of cap.points) {
    ifIndex.set(id, ifIndex.size);
    size += idbSize(`${p.machine}:${p.nic}`);
  }
  const m = measure(db, cap, all, true, filtered);
  size += epbSize(0) * m.n + m.bytes + commentBytes(db, cap, all, filtered, comments);
  const w = new PcapngWriter({ capacity: size });
  for (const p of cap.points.values()) w.addInterface(`${p.machine}:${p.nic}`);
  const rows = db.prepare(`SELECT no, interface, time_ns, bytes, bytes_of, frame_id ${selection(all, filtered)}${order(all, filtered)}`).raw(true);
  const commented = comments.size > 0;
  const bytesOf = holderBytes(db);
  for (const [no, iface, timeNs, own, holder, frameId] of rows.iterate(params(cap)) as Iterable<[number, number, number, Uint8Array | null, number | null, number]>) {
    const notes = commented ? comments.get(rowKey(all, frameId, cap.points.get(iface)!.machine)) : undefined;
    w.addPacket(ifIndex.get(iface)!, timeNs, bytesOf(no, own, holder), notes);
  }
  return w.toBytes();
}


/** Classic pcap: the default view (each frame once, at its first capture point), or the chosen rows. */
export function exportPcap(db: Database.Database, cap: CaptureState, sel: ExportSelection = {}): Uint8Array {
  return withSelection(db, cap, sel.only, (filtered) => {
    const m = measure(db, cap, false, false, filtered);
    const w = new PcapWriter({ capacity: PCAP_HEADER_BYTES + PCAP_RECORD_HEADER_BYTES * m.n + m.bytes });
    const rows = db.prepare(`SELECT no, time_ns, bytes, bytes_of ${selection(false, filtered)}${order(false, filtered)}`).raw(true);
    const bytesOf = holderBytes(db);
    for (const [no, timeNs, own, holder] of rows.iterate(params(cap)) as Iterable<[number, number, Uint8Array | null, number | null]>) w.addPacket(timeNs, bytesOf(no, own, holder));
    return w.toBytes();
  });
}
