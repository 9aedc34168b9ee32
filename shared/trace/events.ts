// Trace events: what the engine reports to its injected sink (DESIGN.md section 6).
// The engine never knows SQLite exists; main/trace implements TraceSink on better-sqlite3.
import type { DropReason } from './drop-reasons';

export type Direction = 'rx' | 'tx';

/** One frame seen at one capture point (a NIC, switch ports included). */
export interface FrameEvent {
  /** Virtual time in integer nanoseconds: tx = transmission start, rx = last bit received. */
  at: number;
  /** Identity of the frame on the wire; the same bytes forwarded by a switch keep it. */
  frameId: number;
  /** True for the first capture of this frameId: the packet list shows each frame once by default. */
  first: boolean;
  machine: string;
  nic: string;
  dir: Direction;
  /** Frozen: the sink may keep a reference without copying. */
  bytes: Uint8Array;
}

export type KernelEventType = 'drop' | 'neigh' | 'route' | 'process' | 'link' | 'info' | 'deliver' | 'state' | 'syscall' | 'log';

/** Something the kernel did or decided; linked to a frame when it concerns one. */
export interface KernelEvent {
  at: number;
  machine: string;
  type: KernelEventType;
  /** Named drop reason when type === 'drop'. */
  reason?: DropReason;
  frameId?: number;
  /** One human sentence: "ARP reply from 10.0.0.2 is-at 02:..:02; 1 queued packet sent". */
  text: string;
  /** Structured detail, JSON-serializable: a Delivery for type 'deliver'. */
  data?: unknown;
}

/** A drop as the UI pages it (LabApi.listDrops): the `index`th drop of the capture, from 0. */
export interface DropRecord {
  index: number;
  atNs: number;
  machine: string;
  reason: DropReason;
  frameId?: number;
  text: string;
}

/**
 * Where a run's frames and kernel events go. An event and what it holds are not changed after it is
 * reported: a sink may keep them (frame bytes are frozen copies; the trace store compares a kernel
 * record with the last one it kept for the same socket).
 */
export interface TraceSink {
  frame(e: FrameEvent): void;
  kernel(e: KernelEvent): void;
}

/** A sink that keeps nothing: for runs where the trace is off (benchmarks). */
export const nullSink: TraceSink = { frame() {}, kernel() {} };
