// Write buffered trace events: prepared statements made once, one transaction per batch.
// Each frame is summarized (shared/wire summarize) into its decoded columns once per batch, not once
// per capture point: rows of the same frameId with the same bytes share the summary.
import type Database from 'better-sqlite3';
import type { FrameEvent, KernelEvent } from '../../shared/trace';
import { summarize, type FrameSummary } from '../../shared/wire';
import { CaptureState } from './capture-state';

const INSERT_FRAME = `INSERT INTO frame (
  capture, frame_id, first, first_no, time_ns, interface, dir, length, bytes,
  eth_src, eth_dst, ethertype, ip_src, ip_dst, ip_proto, src_port, dst_port,
  icmp_type, icmp_code, tcp_flags, tcp_seq, tcp_ack, protocol, src, dst, info
) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

const INSERT_KERNEL = 'INSERT INTO kernel_event (capture, time_ns, machine, type, reason, frame_id, text, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';
const INSERT_INTERFACE = 'INSERT INTO interface (capture, machine, nic) VALUES (?, ?, ?) RETURNING id';

export class BatchWriter {
  private readonly frameStmt: Database.Statement;
  private readonly kernelStmt: Database.Statement;
  private readonly interfaceStmt: Database.Statement;
  /** frameId -> the bytes last summarized for it and their summary; cleared after each batch. */
  private readonly summaries = new Map<number, { bytes: Uint8Array; summary: FrameSummary }>();
  private readonly writeTx: (cap: CaptureState, frames: readonly FrameEvent[], kernels: readonly KernelEvent[]) => void;

  constructor(db: Database.Database) {
    this.frameStmt = db.prepare(INSERT_FRAME);
    this.kernelStmt = db.prepare(INSERT_KERNEL);
    this.interfaceStmt = db.prepare(INSERT_INTERFACE).pluck();
    this.writeTx = db.transaction((cap, frames, kernels) => {
      for (const e of frames) this.writeFrame(cap, e);
      for (const e of kernels) this.writeKernel(cap, e);
    });
  }

  /** Write both lists in one transaction, advancing cap's counters only when it commits. */
  write(cap: CaptureState, frames: readonly FrameEvent[], kernels: readonly KernelEvent[]): void {
    const before = { total: cap.total, firstCount: cap.firstCount };
    // Points are only added during a batch (fresh interface ids), and a Map iterates in insertion
    // order: the batch's new points are the ones after the first `knownPoints`.
    const knownPoints = cap.points.size;
    try {
      this.writeTx(cap, frames, kernels);
      this.summaries.clear();
    } catch (err) {
      this.summaries.clear();
      cap.total = before.total;
      cap.firstCount = before.firstCount;
      for (const id of [...cap.points.keys()].slice(knownPoints)) cap.dropPoint(id);
      throw err;
    }
  }

  private pointId(cap: CaptureState, machine: string, nic: string): number {
    const known = cap.idOf.get(CaptureState.key(machine, nic));
    if (known !== undefined) return known;
    const id = this.interfaceStmt.get(cap.id, machine, nic) as number;
    cap.addPoint(id, machine, nic);
    return id;
  }

  private writeFrame(cap: CaptureState, e: FrameEvent): void {
    const s = this.summary(e);
    const firstNo = e.first ? ++cap.firstCount : null;
    cap.total++;
    this.frameStmt.run(
      cap.id, e.frameId, e.first ? 1 : 0, firstNo, e.at, this.pointId(cap, e.machine, e.nic), e.dir, e.bytes.length, e.bytes,
      s.ethSrc, s.ethDst, s.etherType, s.ipSrc ?? null, s.ipDst ?? null, s.ipProto ?? null, s.srcPort ?? null, s.dstPort ?? null,
      s.icmpType ?? null, s.icmpCode ?? null, s.tcpFlags ?? null, s.tcpSeq ?? null, s.tcpAck ?? null,
      s.protocol, s.src, s.dst, s.info,
    );
  }

  private summary(e: FrameEvent): FrameSummary {
    const known = this.summaries.get(e.frameId);
    if (known && (known.bytes === e.bytes || sameBytes(known.bytes, e.bytes))) return known.summary;
    const summary = summarize(e.bytes);
    this.summaries.set(e.frameId, { bytes: e.bytes, summary });
    return summary;
  }

  private writeKernel(cap: CaptureState, e: KernelEvent): void {
    this.kernelStmt.run(cap.id, e.at, e.machine, e.type, e.reason ?? null, e.frameId ?? null, e.text, e.data === undefined ? null : JSON.stringify(e.data));
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}
