// The trace writer thread: owns a write connection to the trace file and commits the batches the
// store packs (batch.ts), so SQLite's work runs beside the simulation instead of inside it.
// Protocol (writer-host.ts): each message carries a sequence number; after handling it the
// thread stores that number in the shared `done` cell and wakes the store. A failed batch is
// reported on the reply port, and later batches are discarded until the store says `resume`
// (it reloads its numbering from what was committed), so nothing lands out of order.
import Database from 'better-sqlite3';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { BatchWriter } from './batch-writer';
import type { PackedBatch } from './batch';

export interface WriterThreadData {
  path: string;
  /** Int32Array over a SharedArrayBuffer: [0] = last sequence number handled. */
  done: Int32Array;
  replies: MessagePort;
}

export type WriterMessage = { kind: 'batch'; seq: number; batch: PackedBatch } | { kind: 'resume'; seq: number } | { kind: 'close'; seq: number };

export interface WriterReply {
  seq: number;
  error: string;
}

const { path, done, replies } = workerData as WriterThreadData;
const db = new Database(path);
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 10000');
const writer = new BatchWriter(db);
let failed = false;

parentPort!.on('message', (m: WriterMessage) => {
  if (m.kind === 'batch' && !failed) {
    try {
      writer.write(m.batch);
    } catch (err) {
      failed = true;
      replies.postMessage({ seq: m.seq, error: err instanceof Error ? err.message : String(err) } satisfies WriterReply);
    }
  } else if (m.kind === 'resume') {
    failed = false;
  } else if (m.kind === 'close') {
    db.close();
  }
  Atomics.store(done, 0, m.seq);
  Atomics.notify(done, 0);
  if (m.kind === 'close') process.exit(0);
});
