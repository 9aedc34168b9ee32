// The neighbour (ARP) cache, after Linux net/core/neighbour.c and net/ipv4/arp.c:
//   INCOMPLETE: a broadcast request every retrans_time (1 s), mcast_solicit (3) tries, packets
//     queued meanwhile (unres_qlen_bytes); then FAILED: queued packets are dropped (NEIGH_FAILED)
//     and each one's sender is told "host unreachable" (arp_error_report -> icmp_send).
//   REACHABLE for reachable_time (random in [0.5, 1.5] x base_reachable_time 30 s), then STALE.
//   Using a STALE entry sends at once and moves to DELAY; after delay_first_probe_time (5 s) without
//   confirmation, PROBE: unicast requests to the cached MAC (ucast_solicit 3), then FAILED.
// An ARP reply confirms (REACHABLE); a request addressed to us creates/updates the sender as STALE.
import { formatIpv4 as fmt } from '../../../shared/wire';
import type { Rng, Scheduler, Timer } from '../sim';
import type { Iface } from './iface';
import type { NeighInfo, NeighState } from './netlink';

export const RETRANS_TIME_NS = 1e9;
export const MCAST_SOLICIT = 3;
export const UCAST_SOLICIT = 3;
export const BASE_REACHABLE_NS = 30e9;
export const DELAY_FIRST_PROBE_NS = 5e9;
/** Linux unres_qlen_bytes default (SK_WMEM_MAX). Counted here as frame bytes. */
export const UNRES_QLEN_BYTES = 212_992;

export interface Neigh {
  addr: number;
  iface: Iface;
  mac?: number;
  state: NeighState;
  probes: number;
  timer: Timer | null;
  /** Frames waiting for the MAC: the Ethernet header is written when it is known. */
  queue: Uint8Array[];
  /** Per queued frame: what sent it (the syscall running then, hooks.cause()), restored when it leaves. */
  causes: unknown[];
  queueBytes: number;
}

export interface NeighbourHooks {
  /** Send an ARP request for `n` (broadcast, or unicast to n.mac when probing). */
  solicit(n: Neigh, unicast: boolean): void;
  /** Write the Ethernet header with the now-known MAC and transmit. */
  output(n: Neigh, frame: Uint8Array): void;
  /** Resolution failed: drop the frame and tell its local sender. */
  failed(n: Neigh, frame: Uint8Array): void;
  /** A queued frame was pushed out by newer ones. */
  queueFull(n: Neigh, frame: Uint8Array): void;
  event(text: string): void;
  /** What is sending now (a syscall), kept with a frame that must wait for ARP. */
  cause(): unknown;
  /** Send a frame that waited, on behalf of what sent it. */
  withCause(cause: unknown, send: () => void): void;
}

export class NeighbourTable {
  /** Keyed by iface.index * 2**32 + addr (exact in a double); a Map keeps insertion order, so list() is stable. */
  private entries = new Map<number, Neigh>();

  constructor(
    private readonly sched: Scheduler,
    private readonly rng: Rng,
    private readonly hooks: NeighbourHooks,
  ) {}

  private key(iface: Iface, addr: number): number {
    return iface.index * 0x1_0000_0000 + addr;
  }

  get(iface: Iface, addr: number): Neigh | undefined {
    return this.entries.get(this.key(iface, addr));
  }

  /** neigh_resolve_output: send `frame` to `addr` on `iface`, resolving its MAC first if needed. */
  output(iface: Iface, addr: number, frame: Uint8Array): void {
    let n = this.get(iface, addr);
    if (!n) {
      n = { addr, iface, state: 'INCOMPLETE', probes: 0, timer: null, queue: [], causes: [], queueBytes: 0 };
      this.entries.set(this.key(iface, addr), n);
      this.hooks.event(`neighbour ${fmt(addr)} created (INCOMPLETE): resolving with ARP`);
      this.startIncomplete(n);
    } else if (n.state === 'FAILED') {
      this.startIncomplete(n);
    } else if (n.state === 'STALE') {
      this.setState(n, 'DELAY');
      this.arm(n, DELAY_FIRST_PROBE_NS, () => this.startProbe(n!));
    }
    if (n.state === 'INCOMPLETE') {
      this.enqueue(n, frame);
      return;
    }
    this.hooks.output(n, frame);
  }

  /** An ARP packet from `addr` with `mac`: `solicited` = a reply to us (confirms reachability). */
  update(iface: Iface, addr: number, mac: number, solicited: boolean, create: boolean): void {
    let n = this.get(iface, addr);
    if (!n) {
      if (!create) return;
      n = { addr, iface, state: 'STALE', probes: 0, timer: null, queue: [], causes: [], queueBytes: 0, mac };
      this.entries.set(this.key(iface, addr), n);
      this.hooks.event(`neighbour ${fmt(addr)} created (STALE) from an ARP request it sent`);
    }
    const changed = n.mac !== mac;
    n.mac = mac;
    if (solicited) this.reachable(n);
    else if (n.state === 'INCOMPLETE' || n.state === 'FAILED' || changed) this.setState(n, 'STALE');
    if (n.queue.length) this.flush(n);
  }

  list(): NeighInfo[] {
    return [...this.entries.values()].map((n) => ({ addr: n.addr, dev: n.iface.name, mac: n.mac, state: n.state }));
  }

  private reachable(n: Neigh): void {
    this.setState(n, 'REACHABLE');
    n.probes = 0;
    const t = Math.round(BASE_REACHABLE_NS * (0.5 + this.rng.float()));
    this.arm(n, t, () => this.setState(n, 'STALE'));
  }

  private startIncomplete(n: Neigh): void {
    this.setState(n, 'INCOMPLETE');
    n.probes = 0;
    this.solicit(n, false);
  }

  private startProbe(n: Neigh): void {
    this.setState(n, 'PROBE');
    n.probes = 0;
    this.solicit(n, true);
  }

  private solicit(n: Neigh, unicast: boolean): void {
    const limit = unicast ? UCAST_SOLICIT : MCAST_SOLICIT;
    if (n.probes >= limit) {
      this.fail(n);
      return;
    }
    n.probes++;
    this.hooks.solicit(n, unicast);
    this.arm(n, RETRANS_TIME_NS, () => this.solicit(n, unicast));
  }

  private fail(n: Neigh): void {
    this.setState(n, 'FAILED');
    this.sched.cancel(n.timer);
    n.timer = null;
    n.mac = undefined;
    const q = n.queue;
    n.queue = [];
    n.causes = [];
    n.queueBytes = 0;
    for (const f of q) this.hooks.failed(n, f);
  }

  private enqueue(n: Neigh, frame: Uint8Array): void {
    n.queue.push(frame);
    n.causes.push(this.hooks.cause());
    n.queueBytes += frame.length;
    while (n.queueBytes > UNRES_QLEN_BYTES && n.queue.length > 1) {
      const old = n.queue.shift()!;
      n.causes.shift();
      n.queueBytes -= old.length;
      this.hooks.queueFull(n, old);
    }
  }

  private flush(n: Neigh): void {
    const q = n.queue;
    const causes = n.causes;
    n.queue = [];
    n.causes = [];
    n.queueBytes = 0;
    if (q.length) this.hooks.event(`neighbour ${fmt(n.addr)} resolved: ${q.length} queued packet(s) sent`);
    q.forEach((f, i) => this.hooks.withCause(causes[i], () => this.hooks.output(n, f)));
  }

  private arm(n: Neigh, delay: number, fn: () => void): void {
    this.sched.cancel(n.timer);
    n.timer = this.sched.after(delay, fn);
  }

  private setState(n: Neigh, s: NeighState): void {
    if (n.state === s) return;
    const from = n.state;
    n.state = s;
    if (s !== 'REACHABLE' || from !== 'DELAY') this.hooks.event(`neighbour ${fmt(n.addr)} ${from} -> ${s}`);
  }
}
