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
    const to = dir === 0 ? this.b : this.a;
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
    // Loss is decided at send time from the link's own stream: deterministic per seed.
    if (this.params.loss > 0 && this.rng.float() < this.params.loss) {
      sched.at(end + this.params.latencyNs, () => {
        this.ctx.framesInFlight--;
        this.ctx.drop(to.machine, 'LINK_LOSS', frame.id, `lost on link ${this.describe()} (loss ${this.params.loss})`);
      });
      return end;
    }
    // Up now (checked above), so up on arrival exactly when it has not gone down since (the setter counts).
    const downs = this.downs;
    sched.at(end + this.params.latencyNs, () => {
      this.ctx.framesInFlight--;
      if (this.downs === downs) to.deliver(frame);
      else this.ctx.drop(to.machine, 'LINK_DOWN', frame.id, `link ${this.describe()} went down in flight`);
    });
    return end;
  }

  describe(): string {
    return `${this.a.machine}:${this.a.name}<->${this.b.machine}:${this.b.name}`;
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
    if (this.head > 1024 && this.head * 2 > t.length) {
      this.times = t.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }
}
