// A FIFO of numbers in a ring (Float64Array) that doubles when full and, emptied, shrinks back: the per-frame queues of the hot path (a
// cable's departures, a socket's packets in its NIC's queue) push and shift one entry per frame.
// Arrays compacted with slice() made a new array every few dozen frames, and in a large lab each
// lived long enough to be promoted to V8's old space before it died: garbage for the major GC.

/** Slots of a new ring; the hot path's rings (this one, a cable's Wire) share the policy. */
export const RING_INITIAL = 8;
/** An emptied ring above this many slots goes back to RING_INITIAL: a burst's room is not kept for the whole run. */
export const RING_SHRINK_ABOVE = 64;

export class NumberFifo {
  private ring = new Float64Array(RING_INITIAL);
  private head = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(x: number): void {
    if (this.count === this.ring.length) this.resize(this.count * 2);
    this.ring[(this.head + this.count) & (this.ring.length - 1)] = x;
    this.count++;
  }

  /** The oldest entry; undefined when empty. */
  first(): number | undefined {
    return this.count > 0 ? this.ring[this.head] : undefined;
  }

  /** The newest entry; undefined when empty. */
  last(): number | undefined {
    return this.count > 0 ? this.ring[(this.head + this.count - 1) & (this.ring.length - 1)] : undefined;
  }

  /** Remove and return the oldest entry (the caller checks size first). */
  shift(): number {
    const x = this.ring[this.head]!;
    this.head = (this.head + 1) & (this.ring.length - 1);
    this.count--;
    if (this.count === 0 && this.ring.length > RING_SHRINK_ABOVE) this.resize(RING_INITIAL);
    return x;
  }

  /** Move the entries, in order, to a ring of `slots` (a power of two, at least size). */
  private resize(slots: number): void {
    const next = new Float64Array(slots);
    for (let i = 0; i < this.count; i++) next[i] = this.ring[(this.head + i) & (this.ring.length - 1)]!;
    this.ring = next;
    this.head = 0;
  }
}
