// A batch of trace events packed for the writer: numbers in typed arrays, frame bytes in one arena,
// kernel strings once each (a bulk transfer's records repeat a few texts). Packing is the only trace work left on the simulation's
// thread; the packed form crosses to the writer thread by transfer (no per-event clone) and is
// what the writer consumes in either mode (store.ts).
import { doubled } from './grow-buffer';
import { DataPacker } from './kernel-data';
import type { FrameEvent, KernelEvent } from '../../shared/trace';
import type { CaptureState } from './capture-state';

/**
 * Per frame row: no, frameId, pos (default-view position; 0 = not first), at, interface id, dir
 * (1 = tx), byte offset, length, holder (the batch row that first had these bytes: a frame's copies
 * at its other capture points share them; the row's own index when it is the first).
 */
export const FRAME_FIELDS = 9;
/** Per kernel event: at, frameId (-1 = none). */
export const KERNEL_FIELDS = 2;
/** Per kernel event, indexes into the batch's strings: machine, type, reason, text, data JSON ('' = absent). */
export const KERNEL_STRINGS = 5;

export interface PackedBatch {
  capture: number;
  /** Capture points first seen in this batch (ids assigned by the store). */
  interfaces: { id: number; machine: string; nic: string }[];
  frameCount: number;
  /** Default-view rows before this batch's first frame, and in the batch (its chunk's first_pos, view_rows). */
  viewBefore: number;
  viewRows: number;
  /** The capture's first frames: the writer starts its conversation state afresh (capture ids are reused after a reset). */
  startsCapture: boolean;
  frames: Float64Array;
  bytes: Uint8Array;
  kernelCount: number;
  kernelNums: Float64Array;
  /** KERNEL_STRINGS indexes per event into `kernelStrings`. */
  kernelRefs: Int32Array;
  /** The batch's distinct kernel strings (cloned when posted: a few hundred short strings per batch). */
  kernelStrings: string[];
}

export class BatchPacker {
  private frames: Float64Array<ArrayBuffer> = new Float64Array(FRAME_FIELDS * 1024);
  private frameCount = 0;
  private viewBefore = 0;
  private bytes = new Uint8Array(1 << 20);
  private used = 0;
  /**
   * Rows holding bytes in this batch, by the bytes' identity: a frame's other capture points (same
   * frozen bytes) share them instead of storing them again.
   */
  private holders = new Map<Uint8Array, number>();
  private kernelNums: Float64Array<ArrayBuffer> = new Float64Array(KERNEL_FIELDS * 1024);
  private kernelCount = 0;
  private kernelRefs: Int32Array<ArrayBuffer> = new Int32Array(KERNEL_STRINGS * 1024);
  /** The batch's distinct kernel strings, by their index. */
  private strings = new Map<string, number>();
  private readonly data = new DataPacker();
  private interfaces: PackedBatch['interfaces'] = [];

  get pending(): number {
    return this.frameCount + this.kernelCount;
  }

  /** Number the frame in cap (row no, default-view no, capture point) and pack it. */
  addFrame(cap: CaptureState, e: FrameEvent): void {
    let iface = cap.pointId(e.machine, e.nic);
    if (iface === undefined) {
      iface = cap.addNewPoint(e.machine, e.nic);
      this.interfaces.push({ id: iface, machine: e.machine, nic: e.nic });
    }
    if (this.frameCount === 0) this.viewBefore = cap.firstCount;
    const pos = e.first ? ++cap.firstCount : 0;
    const no = cap.base + ++cap.total;
    if ((this.frameCount + 1) * FRAME_FIELDS > this.frames.length) this.frames = doubled(this.frames);
    let holder = this.holders.get(e.bytes);
    if (holder === undefined) this.holders.set(e.bytes, (holder = this.frameCount));
    const r = this.frameCount++ * FRAME_FIELDS;
    const f = this.frames;
    // The holder's offset: its own row's, or this row's bytes placed now.
    const off = holder === this.frameCount - 1 ? this.place(e.bytes) : f[holder * FRAME_FIELDS + 6]!;
    f[r] = no;
    f[r + 1] = e.frameId;
    f[r + 2] = pos;
    f[r + 3] = e.at;
    f[r + 4] = iface;
    f[r + 5] = e.dir === 'tx' ? 1 : 0;
    f[r + 6] = off;
    f[r + 7] = e.bytes.length;
    f[r + 8] = holder;
  }

  addKernel(e: KernelEvent): void {
    if ((this.kernelCount + 1) * KERNEL_FIELDS > this.kernelNums.length) this.kernelNums = doubled(this.kernelNums);
    const r = this.kernelCount++ * KERNEL_FIELDS;
    this.kernelNums[r] = e.at;
    this.kernelNums[r + 1] = e.frameId ?? -1;
    if (this.kernelCount * KERNEL_STRINGS > this.kernelRefs.length) this.kernelRefs = doubled(this.kernelRefs);
    const k = (this.kernelCount - 1) * KERNEL_STRINGS;
    const refs = this.kernelRefs;
    refs[k] = this.intern(e.machine);
    refs[k + 1] = this.intern(e.type);
    refs[k + 2] = this.intern(e.reason ?? '');
    refs[k + 3] = this.intern(e.text);
    refs[k + 4] = this.intern(this.data.pack(e));
  }

  /**
   * The packed batch, its chunk added to cap's; the packer starts empty again (its arrays now belong
   * to the batch). `spare`: the arrays of a batch the writer is done with, reused for the next batch
   * when they are as large. A fresh arena costs its pages' faults and zeroing, and every array made
   * and dropped per batch is external memory V8 counts towards its next full collection.
   */
  take(cap: CaptureState, spare?: SpareArrays): PackedBatch {
    const startsCapture = this.frameCount > 0 && cap.chunks.length === 0;
    const viewRows = this.frameCount > 0 ? cap.firstCount - this.viewBefore : 0;
    if (this.frameCount > 0) cap.chunks.push({ firstNo: this.frames[0]!, rows: this.frameCount, firstPos: this.viewBefore, viewRows });
    const batch: PackedBatch = {
      capture: cap.id,
      interfaces: this.interfaces,
      frameCount: this.frameCount,
      viewBefore: this.viewBefore,
      viewRows,
      startsCapture,
      frames: this.frames.subarray(0, this.frameCount * FRAME_FIELDS),
      bytes: this.bytes.subarray(0, this.used),
      kernelCount: this.kernelCount,
      kernelNums: this.kernelNums.subarray(0, this.kernelCount * KERNEL_FIELDS),
      kernelRefs: this.kernelRefs.subarray(0, this.kernelCount * KERNEL_STRINGS),
      kernelStrings: [...this.strings.keys()],
    };
    this.frames = spare && spare.frames.byteLength >= this.frames.byteLength ? new Float64Array(spare.frames) : new Float64Array(this.frames.length);
    this.frameCount = 0;
    this.bytes = spare && spare.bytes.byteLength >= this.bytes.length ? new Uint8Array(spare.bytes) : new Uint8Array(this.bytes.length);
    this.used = 0;
    this.holders = new Map();
    this.kernelNums = new Float64Array(this.kernelNums.length);
    this.kernelCount = 0;
    this.kernelRefs = new Int32Array(this.kernelRefs.length);
    this.strings = new Map();
    this.interfaces = [];
    return batch;
  }

  private intern(s: string): number {
    let i = this.strings.get(s);
    if (i === undefined) this.strings.set(s, (i = this.strings.size));
    return i;
  }

  private place(src: Uint8Array): number {
    if (this.used + src.length > this.bytes.length) {
      const next = new Uint8Array(Math.max(this.bytes.length * 2, this.used + src.length));
      next.set(this.bytes.subarray(0, this.used));
      this.bytes = next;
    }
    const off = this.used;
    this.bytes.set(src, off);
    this.used += src.length;
    return off;
  }
}

/**
 * Batches handed to the writer thread and not yet committed before the store waits: bounds the
 * queue's memory, how many batches one commit may group (writer-thread.ts), and the spare arrays
 * kept for reuse (writer-host.ts: up to this many plus one, ~10 MB, for as long as the store is open).
 */
export const MAX_IN_FLIGHT = 8;

/** A written batch's frame rows and byte arena, handed back for the packer to reuse (take). */
export interface SpareArrays {
  frames: ArrayBuffer;
  bytes: ArrayBuffer;
}

/** The arrays of batch `b` to reuse once it is written or discarded. */
export const spareOf = (b: PackedBatch): SpareArrays => ({ frames: b.frames.buffer as ArrayBuffer, bytes: b.bytes.buffer as ArrayBuffer });

/** The buffers a batch owns, for postMessage's transfer list. */
export function transferables(b: PackedBatch): ArrayBuffer[] {
  return [b.frames.buffer, b.bytes.buffer, b.kernelNums.buffer, b.kernelRefs.buffer] as ArrayBuffer[];
}
