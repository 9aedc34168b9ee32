// A network interface: the capture point. Every frame is captured once when handed to the link
// (tx, like tcpdump on the sender) and once when fully received (rx).
import type { Frame, LinkContext } from './context';

export interface Medium {
  readonly up: boolean;
  readonly mtu: number;
  /** Queue a frame; when its last bit leaves the sender's transmit queue, or undefined if dropped or not queued. */
  send(from: Nic, frame: Frame): number | undefined;
}

export class Nic {
  medium: Medium | null = null;
  /** Administrative state (`ip link set dev X down`). */
  adminUp = true;
  /** The machine was removed from the lab: whatever its kernel still sends goes nowhere, unrecorded. */
  removed = false;
  /** Upcall for received frames, set by the owner (a host stack, a switch, a hub). */
  onReceive: (frame: Frame) => void = () => {};
  /** Upcall for each new frame this NIC sends (not one it forwards): a host's kernel links it to the syscall running. */
  onNewFrame: ((frameId: number, bytes: Uint8Array) => void) | null = null;
  txFrames = 0;
  rxFrames = 0;
  txBytes = 0;
  rxBytes = 0;

  constructor(
    private readonly ctx: LinkContext,
    readonly machine: string,
    readonly name: string,
    public mac: number,
  ) {}

  /** Carrier: connected to a medium that is up. */
  get carrier(): boolean {
    return this.medium !== null && this.medium.up;
  }

  get mtu(): number {
    return this.medium?.mtu ?? 1500;
  }

  /**
   * Transmit a frame. `frameId` is given when forwarding an existing frame (a switch port);
   * a new frame gets a fresh id and is the first capture of that frame. Returns when the frame
   * leaves this NIC's queue (undefined: dropped), the moment Linux frees the skb (TX completion).
   */
  transmit(bytes: Uint8Array, frameId?: number): number | undefined {
    const first = frameId === undefined;
    if (this.removed) return undefined;
    const frame: Frame = { bytes, id: frameId ?? this.ctx.nextFrameId() };
    if (!this.adminUp || !this.medium) {
      this.ctx.drop(this.machine, 'LINK_DOWN', frame.id, `${this.name}: not connected or down; frame not sent`);
      return undefined;
    }
    this.txFrames++;
    this.txBytes += bytes.length;
    this.ctx.sink.frame({ at: this.ctx.sched.now, frameId: frame.id, first, machine: this.machine, nic: this.name, dir: 'tx', bytes });
    if (first) this.onNewFrame?.(frame.id, bytes);
    return this.medium.send(this, frame);
  }

  /** Called by the medium when the last bit has arrived. */
  deliver(frame: Frame): void {
    if (!this.adminUp) {
      this.ctx.drop(this.machine, 'LINK_DOWN', frame.id, `${this.name}: interface is down; frame ignored`);
      return;
    }
    this.rxFrames++;
    this.rxBytes += frame.bytes.length;
    this.ctx.sink.frame({ at: this.ctx.sched.now, frameId: frame.id, first: false, machine: this.machine, nic: this.name, dir: 'rx', bytes: frame.bytes });
    this.onReceive(frame);
  }
}
