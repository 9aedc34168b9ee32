// Schema V9's data step: the frame rows of V1-V8 (one per capture row, bytes in the row of the
// frame's first capture point, bytes_of in its copies) become chunks of 2,000 rows written by the
// same BatchWriter as new captures, so the keys of old traces are computed as for new
// ones. Runs inside the migration's transaction (a failure leaves the file at V8). Its batches
// carry frames only: today's writer, at schema 9, must never be given kernel events (their table
// has a later shape; the writer prepares those statements only when it first needs them).
import type Database from 'better-sqlite3';
import { concatBytes } from '../../shared/wire';
import { FRAME_FIELDS, type PackedBatch } from './batch';
import { BatchWriter } from './batch-writer';

const ROWS = 2000;

type OldRow = [number, number, number | null, number, number, 'rx' | 'tx', number, Uint8Array | null, number | null];

export function convertFramesToChunks(db: Database.Database): void {
  const writer = new BatchWriter(db);
  const holderOf = db.prepare('SELECT bytes FROM frame WHERE no = ?').pluck();
  const captures = db.prepare('SELECT id FROM capture ORDER BY id').pluck().all() as number[];
  const page = db.prepare('SELECT no, frame_id, first_no, time_ns, interface, dir, length, bytes, bytes_of FROM frame WHERE capture = ? AND no > ? ORDER BY no LIMIT ?').raw(true);
  for (const capture of captures) {
    let viewBefore = 0;
    let startsCapture = true;
    // A page at a time (an iterator would keep the connection busy while the chunks are written).
    for (let part = page.all(capture, 0, ROWS) as OldRow[]; part.length > 0; part = page.all(capture, part.at(-1)![0], ROWS) as OldRow[]) {
      const frames = new Float64Array(part.length * FRAME_FIELDS);
      const arena: Uint8Array[] = [];
      let used = 0;
      const holderRow = new Map<number, { row: number; off: number }>();
      let view = 0;
      part.forEach(([no, frameId, firstNo, at, iface, dir, length, own, bytesOf], i) => {
        let h = bytesOf === null ? undefined : holderRow.get(bytesOf);
        if (!h) {
          const bytes = own ?? (holderOf.get(bytesOf) as Uint8Array | undefined);
          if (!bytes) throw new Error(`trace migration: frame row ${no} names row ${bytesOf} for its bytes, which is not there`);
          h = { row: i, off: used };
          arena.push(bytes);
          used += bytes.length;
        }
        holderRow.set(bytesOf ?? no, h);
        if (firstNo !== null) view++;
        frames.set([no, frameId, firstNo ?? 0, at, iface, dir === 'tx' ? 1 : 0, h.off, length, h.row], i * FRAME_FIELDS);
      });
      const bytes = concatBytes(arena);
      const batch: PackedBatch = { capture, interfaces: [], frameCount: part.length, viewBefore, viewRows: view, startsCapture, frames, bytes, kernelCount: 0, kernelNums: new Float64Array(0), kernelRefs: new Int32Array(0), kernelStrings: [] };
      writer.write([batch]);
      startsCapture = false;
      viewBefore += view;
    }
  }
  db.exec('DROP TABLE frame');
}
