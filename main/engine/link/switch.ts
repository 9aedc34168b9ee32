// A learning bridge (IEEE 802.1D without STP): learn source MACs per port, forward known unicast,
// flood broadcast/multicast/unknown. Entries age out after 300 s (Linux bridge ageing_time).
// A hub repeats every frame to every other port.
import { BROADCAST_MAC, ETH_HEADER_LEN, isMulticastMac, readMac } from '../../../shared/wire';
import type { Frame, LinkContext } from './context';
import type { Nic } from './nic';

export const MAC_AGEING_NS = 300e9;

export interface MacEntry {
  readonly mac: number;
  port: Nic;
  /** Virtual time when last seen as a source. */
  seen: number;
}

export class LearningSwitch {
  readonly macTable = new Map<number, MacEntry>();

  constructor(
    private readonly ctx: LinkContext,
    readonly id: string,
    readonly ports: Nic[],
  ) {
    for (const p of ports) p.onReceive = (f) => this.receive(p, f);
  }

  /** A port added while the lab runs (the editor linked one more machine than the switch had ports for). */
  addPort(p: Nic): void {
    this.ports.push(p);
    p.onReceive = (f) => this.receive(p, f);
  }

  /** Forget what was learned on a port whose cable is gone (Linux br_fdb_delete_by_port on carrier loss). */
  flushPort(p: Nic): void {
    for (const [mac, e] of this.macTable) if (e.port === p) this.macTable.delete(mac);
  }

  private receive(ingress: Nic, frame: Frame): void {
    const b = frame.bytes;
    if (b.length < ETH_HEADER_LEN) {
      this.ctx.drop(this.id, 'PKT_TOO_SMALL', frame.id, `${ingress.name}: runt frame of ${b.length} bytes`);
      return;
    }
    const now = this.ctx.sched.now;
    const dst = readMac(b, 0);
    const src = readMac(b, 6);
    if (!isMulticastMac(src)) {
      const known = this.macTable.get(src);
      if (known) {
        known.port = ingress; // a station that moved is learned on its new port
        known.seen = now;
      } else this.macTable.set(src, { mac: src, port: ingress, seen: now });
    }
    if (dst !== BROADCAST_MAC && !isMulticastMac(dst)) {
      const e = this.macTable.get(dst);
      if (e && now - e.seen <= MAC_AGEING_NS) {
        if (e.port === ingress) {
          this.ctx.drop(this.id, 'SWITCH_SAME_PORT', frame.id, `${ingress.name}: destination is on the ingress port`);
          return;
        }
        e.port.transmit(b, frame.id);
        return;
      }
      if (e) this.macTable.delete(dst);
    }
    for (const p of this.ports) if (p !== ingress && p.medium) p.transmit(b, frame.id);
  }

  /** Live entries, for `show mac` and the UI. */
  entries(): MacEntry[] {
    const now = this.ctx.sched.now;
    return [...this.macTable.values()].filter((e) => now - e.seen <= MAC_AGEING_NS);
  }
}

export class Hub {
  constructor(
    readonly id: string,
    readonly ports: Nic[],
  ) {
    for (const p of ports) p.onReceive = (f) => this.repeat(p, f);
  }

  addPort(p: Nic): void {
    this.ports.push(p);
    p.onReceive = (f) => this.repeat(p, f);
  }

  private repeat(ingress: Nic, frame: Frame): void {
    for (const p of this.ports) if (p !== ingress && p.medium) p.transmit(frame.bytes, frame.id);
  }
}
