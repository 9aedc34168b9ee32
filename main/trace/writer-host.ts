// Where packed batches get written. ThreadWriter hands them to the writer thread (writer-thread.ts)
// for file databases, so the simulation only packs; InlineWriter writes them at once, on this
// thread, for in-memory databases (a ':memory:' database cannot be shared between connections).
// Both keep the same contract: a failed batch is reported by the next sync(), and the batches
// after it are discarded until resume(). The thread also loses the batches it was committing
// together with the failed one (writer-thread.ts groups those that queue); the error says how many.
import type Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { MAX_IN_FLIGHT, spareOf, transferables, type PackedBatch, type SpareArrays } from './batch';
import { BatchWriter } from './batch-writer';
import type { CheckpointThreadData } from './checkpoint-thread';
import type { WalPolicy } from './wal-policy';
import type { WriterMessage, WriterReply, WriterThreadData } from './writer-thread';

export interface TraceWriter {
  /** Hand a batch over; it may be committed later (ThreadWriter) or now (InlineWriter). */
  submit(b: PackedBatch): void;
  /** Wait until every batch handed over is committed or discarded; the errors since the last sync. */
  sync(): string[];
  /** Accept batches again after a failure (the store has reloaded its numbering). */
  resume(): void;
  /** The arrays of a batch handed over earlier that the writer is done with (written or discarded), if one is back. */
  spare(): SpareArrays | undefined;
  close(): void;
}

export class InlineWriter implements TraceWriter {
  private readonly writer: BatchWriter;
  private errors: string[] = [];

  constructor(db: Database.Database) {
    this.writer = new BatchWriter(db);
  }

  private spareArrays: SpareArrays | undefined;

  submit(b: PackedBatch): void {
    this.spareArrays = spareOf(b); // written (its blob copied) or discarded below
    if (this.errors.length > 0) return;
    try {
      this.writer.write([b]);
    } catch (err) {
      this.errors.push(err instanceof Error ? err.message : String(err));
    }
  }

  spare(): SpareArrays | undefined {
    const a = this.spareArrays;
    this.spareArrays = undefined;
    return a;
  }

  sync(): string[] {
    const e = this.errors;
    this.errors = [];
    return e;
  }

  resume(): void {}

  close(): void {}
}

/** A writer thread that answers nothing for this long is taken for dead. */
const STALL_MS = 30_000;

export class ThreadWriter implements TraceWriter {
  private readonly worker: Worker;
  private readonly checkpointer: Worker;
  private readonly done = new Int32Array(new SharedArrayBuffer(4));
  private readonly replies: MessagePort;
  /** Arrays of batches the thread is done with, coming back (writer-thread.ts). */
  private readonly spares: MessagePort;
  /** Those back and not yet reused: as many as can be in flight, so none is made afresh under load. */
  private readonly sparePool: SpareArrays[] = [];
  private seq = 0;
  private crashed: Error | null = null;

  constructor(path: string, wal: WalPolicy) {
    const { port1, port2 } = new MessageChannel();
    this.replies = port1;
    const spares = new MessageChannel();
    this.spares = spares.port1;
    // The writer and the checkpoint thread talk on their own channel (writer-thread.ts says when to copy).
    const checkpoints = new MessageChannel();
    const checkpointerClosed = new Int32Array(new SharedArrayBuffer(4));
    const c = threadEntry('checkpoint-thread.ts', 'trace-checkpoint.js');
    const w = threadEntry('writer-thread.ts', 'trace-writer.js');
    const cData: CheckpointThreadData & { entry?: string } = { path, port: checkpoints.port2, closed: checkpointerClosed, entry: c.entry };
    this.checkpointer = new Worker(c.url, { workerData: cData, transferList: [checkpoints.port2] });
    const data: WriterThreadData & { entry?: string } = { path, done: this.done, replies: port2, spares: spares.port2, checkpoints: checkpoints.port1, checkpointerClosed, wal, entry: w.entry };
    try {
      this.worker = new Worker(w.url, { workerData: data, transferList: [port2, spares.port2, checkpoints.port1] });
    } catch (err) {
      void this.checkpointer.terminate();
      throw err;
    }
    this.worker.on('error', (err) => (this.crashed = err));
    // A checkpoint thread that fails costs disk space, not data: the WAL keeps every page, and the
    // writer's copy at the limit and the last close copy them. Said, not thrown.
    this.checkpointer.on('error', (err) => process.emitWarning(`trace checkpoint thread failed: ${err.message}; the WAL is copied at its limit and when the trace closes`));
    // The store's close() ends the threads; an unclosed store must not keep the process alive.
    this.worker.unref();
    this.checkpointer.unref();
  }

  submit(b: PackedBatch): void {
    this.post({ kind: 'batch', seq: ++this.seq, batch: b }, transferables(b));
    if (this.seq - Atomics.load(this.done, 0) > MAX_IN_FLIGHT) this.waitFor(this.seq - MAX_IN_FLIGHT);
  }

  sync(): string[] {
    this.waitFor(this.seq);
    const errors: string[] = [];
    for (let m = receiveMessageOnPort(this.replies); m; m = receiveMessageOnPort(this.replies)) errors.push((m.message as WriterReply).error);
    return errors;
  }

  resume(): void {
    this.post({ kind: 'resume', seq: ++this.seq });
  }

  spare(): SpareArrays | undefined {
    for (let m = receiveMessageOnPort(this.spares); m; m = receiveMessageOnPort(this.spares)) {
      if (this.sparePool.length <= MAX_IN_FLIGHT) this.sparePool.push(m.message as SpareArrays);
    }
    return this.sparePool.pop();
  }

  close(): void {
    this.post({ kind: 'close', seq: ++this.seq });
    try {
      this.waitFor(this.seq);
    } finally {
      this.replies.close();
      this.spares.close();
    }
  }

  private post(m: WriterMessage, transfer: ArrayBuffer[] = []): void {
    if (this.crashed) throw new Error(`trace writer thread failed: ${this.crashed.message}`);
    this.worker.postMessage(m, transfer);
  }

  /** Block until the thread has handled message `target`. */
  private waitFor(target: number): void {
    let last = Atomics.load(this.done, 0);
    while (last < target) {
      if (Atomics.wait(this.done, 0, last, STALL_MS) === 'timed-out' && Atomics.load(this.done, 0) === last) {
        throw new Error(`trace writer thread answered nothing for ${STALL_MS / 1000} s (message ${last + 1} of ${target})`);
      }
      last = Atomics.load(this.done, 0);
    }
  }
}

/**
 * A trace thread's entry: the bundled .js beside the app's main bundle (electron.vite.config.ts
 * names them), or, when running from source (tsx, vitest), the TypeScript entry started through
 * dev-thread-boot.mjs.
 */
function threadEntry(source: string, bundledName: string): { url: URL; entry?: string } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return { url: new URL('./dev-thread-boot.mjs', here), entry: new URL(`./${source}`, here).href };
  const bundled = new URL(`./${bundledName}`, here);
  if (!existsSync(fileURLToPath(bundled))) throw new Error(`trace thread entry not found: ${fileURLToPath(bundled)}`);
  return { url: bundled };
}
