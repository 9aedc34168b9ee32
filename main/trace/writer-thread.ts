// The trace writer thread: owns a write connection to the trace file and commits the batches the
// store packs (batch.ts), so SQLite's work runs beside the simulation instead of inside it.
// Protocol (writer-host.ts): each message carries a sequence number; after handling it the
// thread stores that number in the shared `done` cell and wakes the store. Batches that queued while
// the thread was busy are committed together. A failed commit is reported on the reply port, and
// later batches are discarded until the store says `resume` (it reloads its numbering from what
// was committed), so nothing lands out of order.
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { BatchWriter } from './batch-writer';
import { MAX_IN_FLIGHT, spareOf, type PackedBatch } from './batch';
import type { CheckpointRequest, CheckpointRow } from './checkpoint-thread';
import type { WalPolicy } from './wal-policy';

export interface WriterThreadData {
  path: string;
  /** Int32Array over a SharedArrayBuffer: [0] = last sequence number handled. */
  done: Int32Array;
  replies: MessagePort;
  /** Each batch's frame rows and byte arena go back on it once written or discarded (the store reuses them). */
  spares: MessagePort;
  /** The checkpoint thread's port (checkpoint-thread.ts). */
  checkpoints: MessagePort;
  /** Int32Array over a SharedArrayBuffer: [0] = 1 once the checkpoint thread's connection is closed. */
  checkpointerClosed: Int32Array;
  wal: WalPolicy;
}

export type WriterMessage = { kind: 'batch'; seq: number; batch: PackedBatch } | { kind: 'resume'; seq: number } | { kind: 'close'; seq: number };

export interface WriterReply {
  error: string;
}

const { path, done, replies, spares, checkpoints, checkpointerClosed, wal: policy } = workerData as WriterThreadData;
const db = new Database(path);
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 10000');
// Checkpoints are the checkpoint thread's (wal-policy.ts). journal_size_limit shrinks the WAL when
// a commit restarts it. Readers see the same data either way (WAL lookups do not depend on its length).
db.pragma('wal_autocheckpoint = 0');
db.pragma(`journal_size_limit = ${64 << 20}`);
const walBytes = (): number => {
  try {
    return statSync(`${path}-wal`).size;
  } catch {
    return 0;
  }
};

// One pass at a time; a request during a pass is kept for after it (an idle one wins).
let checkpointing = false;
let wanted: { idle: boolean } | undefined;
let idleTimer: ReturnType<typeof setTimeout> | undefined;
// The checkpoint thread died (its port closed): nothing to ask or to wait for. The WAL keeps every
// page; copyAll at the limit and the last close copy them.
let checkpointerGone = false;
checkpoints.on('close', () => (checkpointerGone = true));
const requestCheckpoint = (idle: boolean): void => {
  if (checkpointerGone) return;
  if (checkpointing) {
    wanted = { idle: idle || (wanted?.idle ?? false) };
    return;
  }
  checkpointing = true;
  checkpoints.postMessage({ kind: 'checkpoint', idle } satisfies CheckpointRequest);
};
checkpoints.on('message', () => {
  checkpointing = false;
  const next = wanted;
  wanted = undefined;
  if (next) requestCheckpoint(next.idle);
});

const pause = new Int32Array(new SharedArrayBuffer(4));
/**
 * Copy every WAL frame into the file on this connection, waiting out the checkpoint thread's pass.
 * A reader on an older snapshot (an export's) keeps its frames in the WAL; after COPY_WAIT_MS this
 * gives up rather than stall the simulation for as long as that reader reads, and the next try
 * waits until the WAL has grown by another checkpointAtBytes (not at every batch).
 */
const COPY_WAIT_MS = 5000;
let copyGaveUpAt = 0;
const copyAll = (wal: number): void => {
  if (copyGaveUpAt > 0 && wal < copyGaveUpAt + policy.checkpointAtBytes) return;
  for (const until = performance.now() + COPY_WAIT_MS; performance.now() < until; ) {
    const r = (db.pragma('wal_checkpoint(PASSIVE)') as CheckpointRow[])[0]!;
    if (r.busy === 0 && r.log === r.checkpointed) {
      copyGaveUpAt = 0;
      return;
    }
    Atomics.wait(pause, 0, 0, 10); // the checkpoint thread holds the checkpoint lock, or a reader lags
  }
  if (copyGaveUpAt === 0) process.emitWarning(`trace ${path}: its WAL (${Math.round(wal / 2 ** 20)} MB) could not be copied into the file within ${COPY_WAIT_MS / 1000} s (a reader holds older frames); it keeps growing until that reader ends`);
  copyGaveUpAt = wal;
};

/**
 * Closing: the checkpoint thread's connection closes before this one (it finishes a pass under
 * way); the store's own connection closes last and copies the rest and removes the WAL. A
 * checkpoint thread that died closed its connection with it; one that hangs is given CLOSE_WAIT_MS.
 */
const CLOSE_WAIT_MS = 20_000;
const closeAll = (): void => {
  if (!checkpointerGone) {
    checkpoints.postMessage({ kind: 'close' } satisfies CheckpointRequest);
    if (Atomics.wait(checkpointerClosed, 0, 0, CLOSE_WAIT_MS) === 'timed-out') process.emitWarning(`trace ${path}: the checkpoint thread did not close within ${CLOSE_WAIT_MS / 1000} s; closing without it`);
  }
  db.close();
};

const writer = new BatchWriter(db);
let failed = false;

type BatchMessage = Extract<WriterMessage, { kind: 'batch' }>;

function write(group: readonly BatchMessage[]): void {
  try {
    writer.write(group.map((m) => m.batch));
    clearTimeout(idleTimer);
    const wal = walBytes();
    if (wal > policy.limitBytes) copyAll(wal);
    else if (wal > policy.checkpointAtBytes) requestCheckpoint(false);
    idleTimer = setTimeout(() => requestCheckpoint(true), policy.idleMs);
  } catch (err) {
    failed = true;
    const why = err instanceof Error ? err.message : String(err);
    const lost = group.length > 1 ? ` (${group.length} batches committed together are lost with it)` : '';
    replies.postMessage({ error: why + lost } satisfies WriterReply);
  }
}

/** Batches committed together at most: all the store can have handed over (a bound that only guards). */
const MAX_GROUP = MAX_IN_FLIGHT + 1;

function handle(m: WriterMessage): void {
  if (m.kind === 'batch') {
    // The batches already waiting behind this one join its commit (group commit): under load a
    // commit carries several, when the simulation is slower each is committed as it comes.
    const group = [m];
    let next: WriterMessage | undefined;
    while (group.length < MAX_GROUP && (next = receiveMessageOnPort(parentPort!)?.message as WriterMessage | undefined)) {
      if (next.kind === 'batch') group.push(next);
      else break;
    }
    if (!failed) write(group);
    // Written (the blobs copied into SQLite) or discarded: the arrays go back for the store to reuse.
    for (const g of group) {
      const spare = spareOf(g.batch);
      spares.postMessage(spare, [spare.frames, spare.bytes]);
    }
    finished(group.at(-1)!.seq);
    // The message that ended the group, in its turn (the store sends resume and close only after a
    // sync, so today none follows queued batches; kept for the protocol's sake).
    if (next && next.kind !== 'batch') handle(next);
    return;
  }
  if (m.kind === 'resume') {
    failed = false;
  } else if (m.kind === 'close') {
    clearTimeout(idleTimer);
    closeAll();
  }
  finished(m.seq);
  if (m.kind === 'close') process.exit(0);
}

/** Message `seq` and those before it are handled: wake the store. */
function finished(seq: number): void {
  Atomics.store(done, 0, seq);
  Atomics.notify(done, 0);
}

parentPort!.on('message', handle);
