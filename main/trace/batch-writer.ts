// Write packed batches (batch.ts): prepared statements made once, one transaction per batch.
// Each frame's bytes are summarized (shared/wire summarize) into the decoded columns once per
// batch, not once per capture point: rows with the same bytes share the summary. A row whose bytes
// another row holds (bytes_of) stores none.
// Runs on the writer thread, or on the store's own thread for in-memory databases.
import type Database from 'better-sqlite3';
import { summarize, type FrameSummary } from '../../shared/wire';
import { FRAME_FIELDS, KERNEL_FIELDS, KERNEL_STRINGS, SEP, type PackedBatch } from './batch';

const FRAME_COLUMNS = `no, capture, frame_id, first, first_no, time_ns, interface, dir, length, bytes, bytes_of,
  eth_src, eth_dst, ethertype, ip_src, ip_dst, ip_proto, src_port, dst_port,
  icmp_type, icmp_code, tcp_flags, tcp_seq, tcp_ack, protocol, src, dst, info`;
const FRAME_PARAMS = 28;
/** Rows per multi-row INSERT: one statement step for many rows is cheaper than one per row. */
const ROWS_PER_INSERT = 16;

const insertFrames = (rows: number): string =>
  `INSERT INTO frame (${FRAME_COLUMNS}) VALUES ${Array.from({ length: rows }, () => `(${Array(FRAME_PARAMS).fill('?').join(', ')})`).join(', ')}`;

const INSERT_KERNEL = 'INSERT INTO kernel_event (capture, time_ns, machine, type, reason, frame_id, text, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';
const INSERT_INTERFACE = 'INSERT INTO interface (id, capture, machine, nic) VALUES (?, ?, ?, ?)';

export class BatchWriter {
  private readonly frameStmt: Database.Statement;
  private readonly frameBlockStmt: Database.Statement;
  private readonly kernelStmt: Database.Statement;
  private readonly interfaceStmt: Database.Statement;
  private readonly writeTx: (b: PackedBatch) => void;
  private readonly bytesStmt: Database.Statement;
  /** Summaries by the no of the row holding the bytes, this batch and the one before. */
  private summaries = new Map<number, FrameSummary>();
  private earlierSummaries = new Map<number, FrameSummary>();
  /** Parameters of one block insert, reused. */
  private readonly params: unknown[] = new Array(FRAME_PARAMS * ROWS_PER_INSERT);

  constructor(db: Database.Database) {
    this.frameStmt = db.prepare(insertFrames(1));
    this.frameBlockStmt = db.prepare(insertFrames(ROWS_PER_INSERT));
    this.kernelStmt = db.prepare(INSERT_KERNEL);
    this.interfaceStmt = db.prepare(INSERT_INTERFACE);
    this.bytesStmt = db.prepare('SELECT bytes FROM frame WHERE no = ?').pluck();
    this.writeTx = db.transaction((b: PackedBatch) => {
      for (const p of b.interfaces) this.interfaceStmt.run(p.id, b.capture, p.machine, p.nic);
      this.writeFrames(b);
      this.writeKernels(b);
    });
  }

  /** Write the batch in one transaction: all of it or (on an error, which is thrown) none. */
  write(b: PackedBatch): void {
    try {
      this.writeTx(b);
    } catch (err) {
      // Row numbers of a failed batch are given out again.
      this.summaries.clear();
      this.earlierSummaries.clear();
      throw err;
    }
    this.earlierSummaries = this.summaries;
    this.summaries = new Map();
  }

  private summaryOf(holder: number, bytes: Uint8Array | null): FrameSummary {
    let s = this.summaries.get(holder) ?? this.earlierSummaries.get(holder);
    if (!s) {
      s = summarize(bytes ?? (this.bytesStmt.get(holder) as Uint8Array));
      this.summaries.set(holder, s);
    }
    return s;
  }

  private writeFrames(b: PackedBatch): void {
    const p = this.params;
    let filled = 0;
    for (let i = 0; i < b.frameCount; i++) {
      const r = i * FRAME_FIELDS;
      const f = b.frames;
      const off = f[r + 6]!;
      const len = f[r + 7]!;
      const bytesOf = f[r + 8]!;
      const bytes = bytesOf === 0 ? b.bytes.subarray(off, off + len) : null;
      const s = this.summaryOf(bytesOf === 0 ? f[r]! : bytesOf, bytes);
      const firstNo = f[r + 2]!;
      let k = filled * FRAME_PARAMS;
      p[k++] = f[r]!;
      p[k++] = b.capture;
      p[k++] = f[r + 1]!;
      p[k++] = firstNo > 0 ? 1 : 0;
      p[k++] = firstNo > 0 ? firstNo : null;
      p[k++] = f[r + 3]!;
      p[k++] = f[r + 4]!;
      p[k++] = f[r + 5] === 1 ? 'tx' : 'rx';
      p[k++] = len;
      p[k++] = bytes;
      p[k++] = bytesOf === 0 ? null : bytesOf;
      p[k++] = s.ethSrc;
      p[k++] = s.ethDst;
      p[k++] = s.etherType;
      p[k++] = s.ipSrc ?? null;
      p[k++] = s.ipDst ?? null;
      p[k++] = s.ipProto ?? null;
      p[k++] = s.srcPort ?? null;
      p[k++] = s.dstPort ?? null;
      p[k++] = s.icmpType ?? null;
      p[k++] = s.icmpCode ?? null;
      p[k++] = s.tcpFlags ?? null;
      p[k++] = s.tcpSeq ?? null;
      p[k++] = s.tcpAck ?? null;
      p[k++] = s.protocol;
      p[k++] = s.src;
      p[k++] = s.dst;
      p[k++] = s.info;
      if (++filled === ROWS_PER_INSERT) {
        this.frameBlockStmt.run(p);
        filled = 0;
      }
    }
    for (let j = 0; j < filled; j++) this.frameStmt.run(p.slice(j * FRAME_PARAMS, (j + 1) * FRAME_PARAMS));
  }

  private writeKernels(b: PackedBatch): void {
    if (b.kernelCount === 0) return;
    const s = b.kernelText.split(SEP);
    if (s.length !== b.kernelCount * KERNEL_STRINGS) throw new Error(`kernel batch: ${s.length} strings for ${b.kernelCount} events`);
    for (let i = 0; i < b.kernelCount; i++) {
      const at = b.kernelNums[i * KERNEL_FIELDS]!;
      const frameId = b.kernelNums[i * KERNEL_FIELDS + 1]!;
      const j = i * KERNEL_STRINGS;
      this.kernelStmt.run(b.capture, at, s[j], s[j + 1], s[j + 2] || null, frameId < 0 ? null : frameId, s[j + 3], s[j + 4] || null);
    }
  }
}
