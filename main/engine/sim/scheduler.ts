// Discrete-event scheduler in integer nanoseconds (DESIGN.md section 5).
// Events are ordered by (time, sequence): two events at the same time run in the order they were
// scheduled (or their places reserved, see reserve()), which makes a run reproducible byte for byte.

export interface Timer {
  readonly at: number;
  /** True once cancelled or run (false again if its owner re-arms it: rearmReserved). */
  readonly done: boolean;
}

interface SimEvent extends Timer {
  at: number;
  seq: number;
  fn: () => void;
  done: boolean;
}

const NOOP = (): void => {};
/** Below this many heap entries cancelled events are simply left to reach the top. */
const COMPACT_MIN = 1024;

export class Scheduler {
  private heap: SimEvent[] = [];
  private seq = 0;
  private live = 0;
  /** Current virtual time in ns. Never decreases. */
  now = 0;
  /** Events run since creation (for benchmarks and the UI's step counter). */
  executed = 0;
  /** The (time, sequence) of the last event run: atReserved and rearmReserved check a reserved place is still ahead. */
  private lastAt = -1;
  private lastSeq = -1;

  /** Run fn at absolute time `at` (>= now). */
  at(at: number, fn: () => void): Timer {
    return this.insert(at, this.seq++, fn);
  }

  /**
   * Take the place in line that at() would give an event scheduled now, to schedule it later with
   * atReserved: a cable keeps the frames on its wire in a FIFO and schedules only the head, yet
   * each arrival runs exactly where it would have run had it been scheduled when sent.
   */
  reserve(): number {
    return this.seq++;
  }

  /**
   * Run fn at `at` in the place `seq` (from reserve()). The caller must schedule it before any event
   * that comes after it in (time, seq) order runs, or the run is no longer reproducible.
   */
  atReserved(at: number, seq: number, fn: () => void): Timer {
    this.checkPlace(at, seq);
    return this.insert(at, seq, fn);
  }

  private checkPlace(at: number, seq: number): void {
    if (Math.round(at) === this.lastAt && seq <= this.lastSeq) throw new Error(`scheduler: reserved place ${seq} at ${Math.round(at)} has already passed`);
  }

  /**
   * atReserved with an event that has run, scheduled again instead of a new one: a cable's wire
   * schedules its head's arrival once per frame, and in a large lab each event object lived long
   * enough to be promoted to V8's old space before it died.
   */
  rearmReserved(t: Timer, at: number, seq: number): Timer {
    const ev = t as SimEvent;
    if (!ev.done || ev.fn === NOOP) throw new Error('scheduler: only an event that has run can be re-armed');
    this.checkPlace(at, seq);
    return this.insert(at, seq, ev.fn, ev);
  }

  /**
   * Queue an event (`reuse`: one of this scheduler's that has run). A fresh sequence number (at())
   * is always ahead of the last event run: no place check here.
   */
  private insert(at: number, seq: number, fn: () => void, reuse?: SimEvent): Timer {
    if (!(at >= this.now)) throw new Error(`scheduler: time ${at} is before now ${this.now}`);
    let ev: SimEvent;
    if (reuse) {
      ev = reuse;
      ev.at = Math.round(at);
      ev.seq = seq;
      ev.done = false;
    } else ev = { at: Math.round(at), seq, fn, done: false };
    this.push(ev);
    this.live++;
    return ev;
  }

  /** Run fn after `delay` ns (>= 0). */
  after(delay: number, fn: () => void): Timer {
    return this.at(this.now + delay, fn);
  }

  /**
   * Cancel a pending timer; harmless when it already ran or was cancelled. A cancelled event stays in
   * the heap until it reaches the top (cheap), but lets go of its callback at once, and the heap is
   * compacted when cancelled events outnumber live ones: TCP re-arms its retransmit timer on every
   * ACK, and 500 busy flows would otherwise keep ~100k dead timers around.
   */
  cancel(t: Timer | undefined | null): void {
    if (!t || t.done) return;
    const ev = t as SimEvent;
    ev.done = true;
    ev.fn = NOOP;
    this.live--;
    if (this.heap.length > COMPACT_MIN && this.heap.length > 2 * this.live) this.compact();
  }

  /** Number of pending (not cancelled) events. */
  get pending(): number {
    return this.live;
  }

  /** Heap entries, cancelled ones not yet dropped included (memory diagnostics and tests). */
  get queued(): number {
    return this.heap.length;
  }

  /** Time of the next pending event, or null when none is left. */
  nextTime(): number | null {
    this.dropCancelledTop();
    return this.heap.length ? this.heap[0]!.at : null;
  }

  /** Run the next event. Returns false when none is pending. */
  step(): boolean {
    this.dropCancelledTop();
    const ev = this.pop();
    if (!ev) return false;
    this.now = ev.at;
    this.lastAt = ev.at;
    this.lastSeq = ev.seq;
    ev.done = true;
    this.live--;
    this.executed++;
    ev.fn();
    return true;
  }

  /** Run every event at or before t, then set now = t. */
  runUntil(t: number): void {
    for (;;) {
      const next = this.nextTime();
      if (next === null || next > t) break;
      this.step();
    }
    if (t > this.now) this.now = t;
  }

  runFor(d: number): void {
    this.runUntil(this.now + d);
  }

  /** Drop every cancelled event and rebuild the heap (Floyd): the (at, seq) order is unchanged. */
  private compact(): void {
    const h = this.heap.filter((e) => !e.done);
    this.heap = h;
    for (let i = (h.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private dropCancelledTop(): void {
    while (this.heap.length && this.heap[0]!.done) this.pop();
  }

  private less(a: SimEvent, b: SimEvent): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(ev: SimEvent): void {
    const h = this.heap;
    let i = h.length;
    h.push(ev);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(ev, h[p]!)) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = ev;
  }

  private pop(): SimEvent | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private siftDown(i: number): void {
    const h = this.heap;
    const ev = h[i]!;
    const n = h.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.less(h[r]!, h[l]!) ? r : l;
      if (!this.less(h[c]!, ev)) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = ev;
  }
}

export const NS = 1;
export const US = 1_000;
export const MS = 1_000_000;
export const SEC = 1_000_000_000;
