// A full-duplex point-to-point cable with latency, bandwidth (serialization delay), MTU and loss.
// Each direction is a FIFO: a frame starts when the previous one has left (store-and-forward NIC
// queue of txqueuelen frames, Linux's default 1000), takes size*8/bandwidth to serialize, then
// `latency` to propagate.
import { ETH_HEADER_LEN } from '../../../shared/wire';
import type { Rng, Timer } from '../sim';
import { NumberFifo, RING_INITIAL, RING_SHRINK_ABOVE } from '../sim/number-fifo';
import type { Frame, LinkContext } from './context';
import type { Medium, Nic } from './nic';

/** Preamble+SFD (8) + FCS (4) + inter-frame gap (12): wire time an Ethernet frame costs beyond its bytes. */
export const ETH_WIRE_OVERHEAD = 24;
export const TX_QUEUE_LEN = 1000;

export interface CableParams {
  latencyNs: number;
  bandwidthBps: number;
  loss: number;
  mtu: number;
}

export class Cable implements Medium {
  private isUp = true;
  /** Bumped each time the cable goes down: a frame sent before that is lost even if it comes back up in flight. */
  private downs = 0;

  get up(): boolean {
    return this.isUp;
  }

  set up(up: boolean) {
    if (this.isUp && !up) this.downs++;
    this.isUp = up;
  }

  /** Why the lab blocked this cable (it closes a loop of switches), or null. */
  blocked: string | null = null;
  /**
   * Per direction, when each queued frame's last bit leaves (ascending): the transmit queue's length
   * is read from it at send time instead of scheduling one more event per frame to shrink a counter.
   */
  private readonly departures: [DepartureQueue, DepartureQueue] = [new DepartureQueue(), new DepartureQueue()];
  /**
   * Per direction, the frames sent and not yet arrived, in arrival order. Only the head's arrival is
   * a scheduler event (and that of a frame overtaking the queue after the latency was shortened): a
   * switch flooding 500 broadcasts out of 999 ports queues ~500,000 frames at once, and an event
   * with its closure for each cost ~250 bytes of heap apiece.
   */
  private readonly wires: [Wire, Wire] = [new Wire(), new Wire()];
  private readonly arrivals: [() => void, () => void] = [() => this.arriveHead(0), () => this.arriveHead(1)];
  /** Per direction, the event of its head's arrival: scheduled again for each next head once it has run. */
  private readonly heads: [Timer | null, Timer | null] = [null, null];

  constructor(
    private readonly ctx: LinkContext,
    readonly a: Nic,
    readonly b: Nic,
    /** Changed in place by the editor while the lab runs; queued frames keep the times they were given. */
    readonly params: CableParams,
    private readonly rng: Rng,
  ) {
    a.medium = this;
    b.medium = this;
  }

  get mtu(): number {
    return this.params.mtu;
  }

  /** Serialization time of a frame of `len` bytes, in ns (rounded up). */
  serializationNs(len: number): number {
    return Math.ceil(((len + ETH_WIRE_OVERHEAD) * 8 * 1e9) / this.params.bandwidthBps);
  }

  send(from: Nic, frame: Frame): number | undefined {
    const dir = from === this.a ? 0 : 1;
    const { sched } = this.ctx;
    if (this.blocked) {
      this.ctx.drop(from.machine, 'LINK_BLOCKED', frame.id, this.blocked);
      return undefined;
    }
    if (!this.up) {
      this.ctx.drop(from.machine, 'LINK_DOWN', frame.id, `link ${this.describe()} is down`);
      return undefined;
    }
    if (frame.bytes.length - ETH_HEADER_LEN > this.params.mtu) {
      this.ctx.drop(from.machine, 'LINK_MTU', frame.id, `frame payload ${frame.bytes.length - ETH_HEADER_LEN} bytes exceeds the link MTU ${this.params.mtu}`);
      return undefined;
    }
    const queue = this.departures[dir]!;
    if (queue.lengthAt(sched.now) >= TX_QUEUE_LEN) {
      this.ctx.drop(from.machine, 'LINK_QUEUE_FULL', frame.id, `${from.name}: transmit queue full (${TX_QUEUE_LEN} frames)`);
      return undefined;
    }
    // A frame starts serializing when the previous one in this direction has left (or now, if idle).
    const start = Math.max(sched.now, queue.last());
    const end = start + this.serializationNs(frame.bytes.length);
    queue.push(end);
    this.ctx.framesInFlight++;
    // Loss is decided at send time from the link's own stream: deterministic per seed. Otherwise the
    // frame arrives if the cable (up now, checked above) has not gone down since: the setter counts.
    const fate = this.params.loss > 0 && this.rng.float() < this.params.loss ? LOST : this.downs;
    const arrival = Math.round(end + this.params.latencyNs);
    const seq = sched.reserve();
    const wire = this.wires[dir]!;
    if (!wire.push(frame, arrival, seq, fate)) {
      // Arrives before a frame already on the wire (the editor shortened the latency): on its own.
      sched.atReserved(arrival, seq, () => this.arrive(dir, frame, fate));
    } else if (wire.size === 1) this.scheduleHead(dir);
    return end;
  }

  /** Schedule the arrival of the frame at the head of a direction's wire, in the place it reserved. */
  private scheduleHead(dir: 0 | 1): void {
    const wire = this.wires[dir]!;
    const { sched } = this.ctx;
    const ev = this.heads[dir];
    this.heads[dir] = ev ? sched.rearmReserved(ev, wire.headArrival(), wire.headSeq()) : sched.atReserved(wire.headArrival(), wire.headSeq(), this.arrivals[dir]!);
  }

  private arriveHead(dir: 0 | 1): void {
    const wire = this.wires[dir]!;
    const fate = wire.headFate();
    const frame = wire.shift();
    if (wire.size > 0) this.scheduleHead(dir);
    this.arrive(dir, frame, fate);
  }

  private arrive(dir: 0 | 1, frame: Frame, fate: number): void {
    this.ctx.framesInFlight--;
    const to = dir === 0 ? this.b : this.a;
    if (fate === LOST) this.ctx.drop(to.machine, 'LINK_LOSS', frame.id, `lost on link ${this.describe()} (loss ${this.params.loss})`);
    else if (fate === this.downs) to.deliver(frame);
    else this.ctx.drop(to.machine, 'LINK_DOWN', frame.id, `link ${this.describe()} went down in flight`);
  }

  describe(): string {
    return `${this.a.machine}:${this.a.name}<->${this.b.machine}:${this.b.name}`;
  }
}

/** A frame's fate decided at send time: lost, or the cable's down count then (see Cable.downs). */
const LOST = -1;

/** Per frame on a wire: arrival time, reserved place, fate and frame id, in one ring of numbers. */
const STRIDE = 4;

/**
 * Frames on one direction of a cable, in non-decreasing arrival order: a ring with NumberFifo's
 * growth and shrink (no Frame object, event or array per frame stays behind; see NumberFifo for why).
 */
class Wire {
  private bytes: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(RING_INITIAL).fill(undefined);
  private meta = new Float64Array(RING_INITIAL * STRIDE);
  private head = 0;
  /** The last queued frame's arrival: a frame due before it overtakes the queue (push refuses it). */
  private lastArrival = 0;
  size = 0;

  /** Queue a frame; false (not queued) when it would arrive before the last one queued. */
  push(frame: Frame, arrival: number, seq: number, fate: number): boolean {
    if (this.size > 0 && arrival < this.lastArrival) return false;
    if (this.size === this.bytes.length) this.resize(this.size * 2);
    const i = (this.head + this.size) & (this.bytes.length - 1);
    this.bytes[i] = frame.bytes;
    const m = i * STRIDE;
    this.meta[m] = arrival;
    this.meta[m + 1] = seq;
    this.meta[m + 2] = fate;
    this.meta[m + 3] = frame.id;
    this.lastArrival = arrival;
    this.size++;
    return true;
  }

  headArrival(): number {
    return this.meta[this.head * STRIDE]!;
  }

  headSeq(): number {
    return this.meta[this.head * STRIDE + 1]!;
  }

  headFate(): number {
    return this.meta[this.head * STRIDE + 2]!;
  }

  /** Take the head frame off the wire. */
  shift(): Frame {
    const frame: Frame = { bytes: this.bytes[this.head]!, id: this.meta[this.head * STRIDE + 3]! };
    this.bytes[this.head] = undefined; // let the bytes go
    this.head = (this.head + 1) & (this.bytes.length - 1);
    this.size--;
    if (this.size === 0 && this.bytes.length > RING_SHRINK_ABOVE) this.resize(RING_INITIAL);
    return frame;
  }

  /** Move the queued frames, in order, to a ring of `slots` (a power of two, at least size). */
  private resize(slots: number): void {
    const n = this.bytes.length;
    const bytes = new Array<Uint8Array | undefined>(slots).fill(undefined);
    const meta = new Float64Array(slots * STRIDE);
    for (let k = 0; k < this.size; k++) {
      const i = (this.head + k) & (n - 1);
      bytes[k] = this.bytes[i];
      for (let f = 0; f < STRIDE; f++) meta[k * STRIDE + f] = this.meta[i * STRIDE + f]!;
    }
    this.bytes = bytes;
    this.meta = meta;
    this.head = 0;
  }
}

/** A FIFO of ascending departure times; entries at or before `now` have left the queue. */
class DepartureQueue {
  private readonly times = new NumberFifo();
  /** The latest departure ever pushed (0 before any): kept apart from `times`, which lengthAt trims. */
  private lastTime = 0;

  push(t: number): void {
    this.times.push(t);
    this.lastTime = t;
  }

  /** When the most recently queued frame leaves (the direction is busy until then). */
  last(): number {
    return this.lastTime;
  }

  lengthAt(now: number): number {
    const t = this.times;
    while (t.size > 0 && t.first()! <= now) t.shift();
    return t.size;
  }
}
