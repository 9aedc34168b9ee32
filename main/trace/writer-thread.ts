// The trace writer thread: owns a write connection to the trace file and commits the batches the
// store packs (batch.ts), so SQLite's work runs beside the simulation instead of inside it.
// Protocol (writer-host.ts): each message carries a sequence number; after handling it the
// thread stores that number in the shared `done` cell and wakes the store. A failed batch is
// reported on the reply port, and later batches are discarded until the store says `resume`
// (it reloads its numbering from what was committed), so nothing lands out of order.
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
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
// Checkpoints wait for a pause. SQLite's default (every 1000 WAL pages) copies each page into the
// database file while the simulation is still producing: a quarter of the 100 MB bulk benchmark's
// ingest time. Here the WAL grows during a burst and is checkpointed once the batches stop for
// IDLE_MS, or at WAL_CAP_BYTES under endless load; journal_size_limit then shrinks the file.
// Readers see the same data either way (WAL lookups do not depend on its length).
const IDLE_MS = 200;
const WAL_CAP_BYTES = 512 << 20;
db.pragma('wal_autocheckpoint = 0');
db.pragma(`journal_size_limit = ${64 << 20}`);
let idleTimer: ReturnType<typeof setTimeout> | undefined;
const checkpoint = (): void => {
  idleTimer = undefined;
  db.pragma('wal_checkpoint(PASSIVE)');
};
const walBytes = (): number => {
  try {
    return statSync(`${path}-wal`).size;
  } catch {
    return 0;
  }
};
const writer = new BatchWriter(db);
let failed = false;

parentPort!.on('message', (m: WriterMessage) => {
  if (m.kind === 'batch' && !failed) {
    try {
      writer.write(m.batch);
      clearTimeout(idleTimer);
      if (walBytes() > WAL_CAP_BYTES) checkpoint();
      else idleTimer = setTimeout(checkpoint, IDLE_MS);
    } catch (err) {
      failed = true;
      replies.postMessage({ seq: m.seq, error: err instanceof Error ? err.message : String(err) } satisfies WriterReply);
    }
  } else if (m.kind === 'resume') {
    failed = false;
  } else if (m.kind === 'close') {
    clearTimeout(idleTimer);
    db.close(); // the last connection's close checkpoints and removes the WAL
  }
  Atomics.store(done, 0, m.seq);
  Atomics.notify(done, 0);
  if (m.kind === 'close') process.exit(0);
});
