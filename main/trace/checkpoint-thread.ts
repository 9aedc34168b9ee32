// The trace's checkpoint thread: copies committed WAL pages into the database file on its own
// connection, so the writer thread (writer-thread.ts) never stops committing for a checkpoint.
// A PASSIVE checkpoint takes no writer lock (SQLite: "Checkpoint as many frames as possible without
// waiting for any database readers or writers to finish"); the writer restarts the WAL from its
// start at its next commit once every frame has been copied (wal.c walRestartLog).
//
// Protocol: the writer posts { kind: 'checkpoint', idle } on `port`; this thread answers 'done'
// after the pass. `close` closes the connection and sets the
// shared `closed` cell, which the writer waits on (its own close must be the last).
import Database from 'better-sqlite3';
import { workerData, type MessagePort } from 'node:worker_threads';

export interface CheckpointThreadData {
  path: string;
  port: MessagePort;
  /** Int32Array over a SharedArrayBuffer: set to 1 once this thread's connection is closed. */
  closed: Int32Array;
}

export type CheckpointRequest = { kind: 'checkpoint'; idle: boolean } | { kind: 'close' };

/** A row of `PRAGMA wal_checkpoint`. */
export interface CheckpointRow {
  busy: number;
  log: number;
  checkpointed: number;
}

const { path, port, closed } = workerData as CheckpointThreadData;
const db = new Database(path);
// Never wait: a checkpoint that cannot go on now is retried at the writer's next request. Waiting
// in TRUNCATE would hold the writer lock while a long read (an export) finishes.
db.pragma('busy_timeout = 0');
let warned = false;

port.on('message', (m: CheckpointRequest) => {
  if (m.kind === 'close') {
    db.close();
    port.close();
    Atomics.store(closed, 0, 1);
    Atomics.notify(closed, 0);
    return;
  }
  try {
    const row = (db.pragma('wal_checkpoint(PASSIVE)') as CheckpointRow[])[0]!;
    // At rest with every page copied, give the WAL's disk space back (the next commit would only
    // reuse it). Cheap: little or nothing is left to copy, and it gives up at once (busy = 1) if a
    // reader is busy.
    if (m.idle && row.busy === 0 && row.log > 0 && row.log === row.checkpointed) db.pragma('wal_checkpoint(TRUNCATE)');
  } catch (e) {
    // An I/O error (busy is reported in the row, not thrown): the WAL keeps its pages (nothing is
    // lost) and the writer asks again. Said once, not at every pass.
    if (!warned) process.emitWarning(`trace ${path}: a checkpoint failed (${(e as Error).message}); the WAL keeps its pages and grows until a checkpoint succeeds`);
    warned = true;
  }
  port.postMessage('done');
});
