// Where packed batches get written. ThreadWriter hands them to the writer thread (writer-thread.ts)
// for file databases, so the simulation only packs; InlineWriter writes them at once, on this
// thread, for in-memory databases (a ':memory:' database cannot be shared between connections).
// Both keep the same contract: a failed batch is reported by the next sync(), and the batches
// after it are discarded until resume().
import type Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { transferables, type PackedBatch } from './batch';
import { BatchWriter } from './batch-writer';
import type { WriterMessage, WriterReply, WriterThreadData } from './writer-thread';

export interface TraceWriter {
  /** Hand a batch over; it may be committed later (ThreadWriter) or now (InlineWriter). */
  submit(b: PackedBatch): void;
  /** Wait until every batch handed over is committed or discarded; the errors since the last sync. */
  sync(): string[];
  /** Accept batches again after a failure (the store has reloaded its numbering). */
  resume(): void;
  close(): void;
}

export class InlineWriter implements TraceWriter {
  private readonly writer: BatchWriter;
  private errors: string[] = [];

  constructor(db: Database.Database) {
    this.writer = new BatchWriter(db);
  }

  submit(b: PackedBatch): void {
    if (this.errors.length > 0) return;
    try {
      this.writer.write(b);
    } catch (err) {
      this.errors.push(err instanceof Error ? err.message : String(err));
    }
  }

  sync(): string[] {
    const e = this.errors;
    this.errors = [];
    return e;
  }

  resume(): void {}

  close(): void {}
}

/** Batches handed over and not yet committed before submit() waits: bounds the queue's memory. */
const MAX_IN_FLIGHT = 8;
/** A writer thread that answers nothing for this long is taken for dead. */
const STALL_MS = 30_000;

export class ThreadWriter implements TraceWriter {
  private readonly worker: Worker;
  private readonly done = new Int32Array(new SharedArrayBuffer(4));
  private readonly replies: MessagePort;
  private seq = 0;
  private crashed: Error | null = null;

  constructor(path: string) {
    const { port1, port2 } = new MessageChannel();
    this.replies = port1;
    const { url, entry } = writerThreadEntry();
    const data: WriterThreadData & { entry?: string } = { path, done: this.done, replies: port2, entry };
    this.worker = new Worker(url, { workerData: data, transferList: [port2] });
    this.worker.on('error', (err) => (this.crashed = err));
    // The store's close() ends the thread; an unclosed store must not keep the process alive.
    this.worker.unref();
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

  close(): void {
    this.post({ kind: 'close', seq: ++this.seq });
    try {
      this.waitFor(this.seq);
    } finally {
      this.replies.close();
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
 * The writer thread's entry: the bundled trace-writer.js beside the app's main bundle, or, when
 * running from source (tsx, vitest), the TypeScript entry started through dev-thread-boot.mjs.
 */
function writerThreadEntry(): { url: URL; entry?: string } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return { url: new URL('./dev-thread-boot.mjs', here), entry: new URL('./writer-thread.ts', here).href };
  const bundled = new URL('./trace-writer.js', here);
  if (!existsSync(fileURLToPath(bundled))) throw new Error(`trace writer thread entry not found: ${fileURLToPath(bundled)}`);
  return { url: bundled };
}
