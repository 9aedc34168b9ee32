// Write packed batches (batch.ts): prepared statements made once, one transaction per batch.
// A row holding a frame's bytes also holds their decoded columns (shared/wire summarize); a row
// naming its holder (bytes_of: the frame's other capture points) holds neither (schema V6).
// Runs on the writer thread, or on the store's own thread for in-memory databases.
import type Database from 'better-sqlite3';
import { TcpConversations } from '../../shared/filter/eval';
import { summarize, type TcpNumbering } from '../../shared/wire';
import { FRAME_FIELDS, KERNEL_FIELDS, KERNEL_STRINGS, SEP, type PackedBatch } from './batch';

const POINT_COLUMNS = 'no, capture, frame_id, first, first_no, time_ns, interface, dir, length';
const HOLDER_COLUMNS = `${POINT_COLUMNS}, bytes, eth_src, eth_dst, ethertype, ip_src, ip_dst, ip_proto, src_port, dst_port,
  icmp_type, icmp_code, tcp_flags, tcp_seq, tcp_ack, protocol, src, dst, info`;
const POINT_PARAMS = 9;
const HOLDER_PARAMS = POINT_PARAMS + 18;
const REF_PARAMS = POINT_PARAMS + 1;
/** Rows per multi-row INSERT: one statement step for many rows is cheaper than one per row. */
const ROWS_PER_INSERT = 16;

const insert = (table: string, columns: string, params: number, rows: number): string =>
  `INSERT INTO ${table} (${columns}) VALUES ${Array.from({ length: rows }, () => `(${Array(params).fill('?').join(', ')})`).join(', ')}`;

const KERNEL_COLUMNS = 'capture, time_ns, machine, type, reason, frame_id, text, data';
const KERNEL_PARAMS = 8;
const INSERT_INTERFACE = 'INSERT INTO interface (id, capture, machine, nic) VALUES (?, ?, ?, ?)';

/** Rows of one shape gathered into block inserts of ROWS_PER_INSERT. */
class RowBlocks {
  private readonly one: Database.Statement;
  private readonly block: Database.Statement;
  readonly params: unknown[];
  private filled = 0;

  constructor(db: Database.Database, table: string, columns: string, readonly width: number) {
    this.one = db.prepare(insert(table, columns, width, 1));
    this.block = db.prepare(insert(table, columns, width, ROWS_PER_INSERT));
    this.params = new Array(width * ROWS_PER_INSERT);
  }

  /** Where the next row's parameters go in `params`. */
  next(): number {
    return this.filled * this.width;
  }

  /** The row at next() is filled. */
  added(): void {
    if (++this.filled === ROWS_PER_INSERT) {
      this.block.run(this.params);
      this.filled = 0;
    }
  }

  flush(): void {
    for (let j = 0; j < this.filled; j++) this.one.run(this.params.slice(j * this.width, (j + 1) * this.width));
    this.filled = 0;
  }

  /** Forget rows not yet run (their transaction failed). */
  clear(): void {
    this.filled = 0;
  }
}

export class BatchWriter {
  private readonly holders: RowBlocks;
  private readonly refs: RowBlocks;
  private readonly kernels: RowBlocks;
  private readonly interfaceStmt: Database.Statement;
  private readonly writeTx: (b: PackedBatch) => void;
  /**
   * Relative seq/ack for Info, as Wireshark shows them: the conversations of the capture being
   * written, fed each frame once (its holder row), in order.
   */
  private conv: { capture: number; numbering: TcpNumbering } | null = null;

  constructor(db: Database.Database) {
    this.holders = new RowBlocks(db, 'frame', HOLDER_COLUMNS, HOLDER_PARAMS);
    this.refs = new RowBlocks(db, 'frame', `${POINT_COLUMNS}, bytes_of`, REF_PARAMS);
    this.kernels = new RowBlocks(db, 'kernel_event', KERNEL_COLUMNS, KERNEL_PARAMS);
    this.interfaceStmt = db.prepare(INSERT_INTERFACE);
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
      this.holders.clear();
      this.refs.clear();
      this.kernels.clear();
      throw err;
    }
  }

  private numbering(capture: number): TcpNumbering {
    if (this.conv?.capture !== capture) {
      const c = new TcpConversations();
      this.conv = { capture, numbering: (src, sport, dst, dport, flags, seq, ack) => c.observe(src, sport, dst, dport, flags, seq, ack) };
    }
    return this.conv.numbering;
  }

  private writeFrames(b: PackedBatch): void {
    const f = b.frames;
    const numbering = this.numbering(b.capture);
    for (let i = 0; i < b.frameCount; i++) {
      const r = i * FRAME_FIELDS;
      const bytesOf = f[r + 8]!;
      const rows = bytesOf === 0 ? this.holders : this.refs;
      const p = rows.params;
      let k = rows.next();
      const firstNo = f[r + 2]!;
      const len = f[r + 7]!;
      p[k++] = f[r]!;
      p[k++] = b.capture;
      p[k++] = f[r + 1]!;
      p[k++] = firstNo > 0 ? 1 : 0;
      p[k++] = firstNo > 0 ? firstNo : null;
      p[k++] = f[r + 3]!;
      p[k++] = f[r + 4]!;
      p[k++] = f[r + 5] === 1 ? 'tx' : 'rx';
      p[k++] = len;
      if (bytesOf !== 0) {
        p[k] = bytesOf;
      } else {
        const off = f[r + 6]!;
        const bytes = b.bytes.subarray(off, off + len);
        const s = summarize(bytes, numbering);
        p[k++] = bytes;
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
        p[k] = s.info;
      }
      rows.added();
    }
    this.holders.flush();
    this.refs.flush();
  }

  private writeKernels(b: PackedBatch): void {
    if (b.kernelCount === 0) return;
    const s = b.kernelText.split(SEP);
    if (s.length !== b.kernelCount * KERNEL_STRINGS) throw new Error(`kernel batch: ${s.length} strings for ${b.kernelCount} events`);
    for (let i = 0; i < b.kernelCount; i++) {
      const at = b.kernelNums[i * KERNEL_FIELDS]!;
      const frameId = b.kernelNums[i * KERNEL_FIELDS + 1]!;
      const j = i * KERNEL_STRINGS;
      const p = this.kernels.params;
      let k = this.kernels.next();
      p[k++] = b.capture;
      p[k++] = at;
      p[k++] = s[j];
      p[k++] = s[j + 1];
      p[k++] = s[j + 2] || null;
      p[k++] = frameId < 0 ? null : frameId;
      p[k++] = s[j + 3];
      p[k] = s[j + 4] || null;
      this.kernels.added();
    }
    this.kernels.flush();
  }
}
