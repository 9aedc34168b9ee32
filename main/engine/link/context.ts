// What link-layer objects need from the world they live in: time, the trace sink, frame ids and
// a way to report named drops (every drop has a name and bumps a counter, DESIGN.md section 8).
import type { DropReason, TraceSink } from '../../../shared/trace';
import type { Scheduler } from '../sim';

export interface LinkContext {
  readonly sched: Scheduler;
  readonly sink: TraceSink;
  nextFrameId(): number;
  drop(machine: string, reason: DropReason, frameId: number | undefined, text: string): void;
  /**
   * Frames on a cable right now (queued, serializing or propagating): the service's slow-motion
   * pacing skips virtual time while it is 0 (nothing to watch on the wires).
   */
  framesInFlight: number;
}

/** A frame in flight: frozen bytes plus metadata that travels beside them, never inside. */
export interface Frame {
  readonly bytes: Uint8Array;
  readonly id: number;
}
