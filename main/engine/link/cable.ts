// A full-duplex point-to-point cable with latency, bandwidth (serialization delay), MTU and loss.
// Each direction is a FIFO: a frame starts when the previous one has left (store-and-forward NIC
// queue of txqueuelen frames, Linux's default 1000), takes size*8/bandwidth to serialize, then
// `latency` to propagate.
import type { Rng } from '../sim';
import type { Frame, LinkContext } from './context';
import type { Medium, Nic } from './nic';

/** Preamble+SFD (8) + FCS (4) + inter-frame gap (12): wire time an Ethernet frame costs beyond its bytes. */
export const ETH_WIRE_OVERHEAD = 24;
export const TX_QUEUE_LEN = 1000;
const ETH_HEADER = 14;

export interface CableParams {
  latencyNs: number;
  bandwidthBps: number;
  loss: number;
  mtu: number;
}

export class Cable implements Medium {
  up = true;
  private readonly busyUntil = [0, 0];
  private readonly inQueue = [0, 0];

  constructor(
    private readonly ctx: LinkContext,
    readonly a: Nic,
    readonly b: Nic,
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

  send(from: Nic, frame: Frame): void {
    const dir = from === this.a ? 0 : 1;
    const to = dir === 0 ? this.b : this.a;
    const { sched } = this.ctx;
    if (!this.up) {
      this.ctx.drop(from.machine, 'LINK_DOWN', frame.id, `link ${this.describe()} is down`);
      return;
    }
    if (frame.bytes.length - ETH_HEADER > this.params.mtu) {
      this.ctx.drop(from.machine, 'LINK_MTU', frame.id, `frame payload ${frame.bytes.length - ETH_HEADER} bytes exceeds the link MTU ${this.params.mtu}`);
      return;
    }
    if (this.inQueue[dir]! >= TX_QUEUE_LEN) {
      this.ctx.drop(from.machine, 'LINK_QUEUE_FULL', frame.id, `${from.name}: transmit queue full (${TX_QUEUE_LEN} frames)`);
      return;
    }
    const start = Math.max(sched.now, this.busyUntil[dir]!);
    const end = start + this.serializationNs(frame.bytes.length);
    this.busyUntil[dir] = end;
    this.inQueue[dir]!++;
    sched.at(end, () => this.inQueue[dir]!--);
    // Loss is decided at send time from the link's own stream: deterministic per seed.
    if (this.params.loss > 0 && this.rng.float() < this.params.loss) {
      sched.at(end + this.params.latencyNs, () =>
        this.ctx.drop(to.machine, 'LINK_LOSS', frame.id, `lost on link ${this.describe()} (loss ${this.params.loss})`),
      );
      return;
    }
    sched.at(end + this.params.latencyNs, () => {
      if (this.up) to.deliver(frame);
      else this.ctx.drop(to.machine, 'LINK_DOWN', frame.id, `link ${this.describe()} went down in flight`);
    });
  }

  describe(): string {
    return `${this.a.machine}:${this.a.name}<->${this.b.machine}:${this.b.name}`;
  }
}
