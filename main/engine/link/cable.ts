// A full-duplex point-to-point cable with latency, bandwidth (serialization delay), MTU and loss.
// Each direction is a FIFO: a frame starts when the previous one has left (store-and-forward NIC
// queue of txqueuelen frames, Linux's default 1000), takes size*8/bandwidth to serialize, then
// `latency` to propagate.
import { ETH_HEADER_LEN } from '../../../shared/wire';
import type { Rng } from '../sim';
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
    this.ctx.sched.atReserved(wire.headArrival(), wire.headSeq(), this.arrivals[dir]!);
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

/**
 * The queues below drop what has left once it is more than half of them and more than this many
 * entries: a direction that is never idle (a bulk sender's) otherwise keeps every frame's times for
 * the whole run, ~40 bytes a frame, since its queue never empties to be reset.
 */
const COMPACT_AT = 32;

/** A frame's fate decided at send time: lost, or the cable's down count then (see Cable.downs). */
const LOST = -1;

/** Frames on one direction of a cable, in non-decreasing arrival order, as parallel arrays. */
class Wire {
  private frames: (Frame | undefined)[] = [];
  private times: number[] = [];
  private seqs: number[] = [];
  private fates: number[] = [];
  private head = 0;

  get size(): number {
    return this.frames.length - this.head;
  }

  /** Queue a frame; false (not queued) when it would arrive before the last one queued. */
  push(frame: Frame, arrival: number, seq: number, fate: number): boolean {
    if (this.size > 0 && arrival < this.times[this.times.length - 1]!) return false;
    this.frames.push(frame);
    this.times.push(arrival);
    this.seqs.push(seq);
    this.fates.push(fate);
    return true;
  }

  headArrival(): number {
    return this.times[this.head]!;
  }

  headSeq(): number {
    return this.seqs[this.head]!;
  }

  headFate(): number {
    return this.fates[this.head]!;
  }

  shift(): Frame {
    const frame = this.frames[this.head]!;
    this.frames[this.head] = undefined; // let the bytes go
    this.head++;
    if (this.head === this.frames.length) {
      this.frames.length = this.times.length = this.seqs.length = this.fates.length = 0;
      this.head = 0;
    } else if (this.head > COMPACT_AT && this.head * 2 > this.frames.length) {
      this.frames = this.frames.slice(this.head);
      this.times = this.times.slice(this.head);
      this.seqs = this.seqs.slice(this.head);
      this.fates = this.fates.slice(this.head);
      this.head = 0;
    }
    return frame;
  }
}

/** A FIFO of ascending departure times; entries at or before `now` have left the queue. */
class DepartureQueue {
  private times: number[] = [];
  private head = 0;
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
    while (this.head < t.length && t[this.head]! <= now) this.head++;
    if (this.head > COMPACT_AT && this.head * 2 > t.length) {
      this.times = t.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }
}
