// The whole lab in virtual time: machines, switches/hubs, cables, one scheduler, one trace sink.
// Same ResolvedLab + same seed => the same events in the same order => byte-identical traces.
import type { ResolvedLab, ResolvedLink, ResolvedMachine } from '../../shared/lab/types';
import type { DropReason, TraceSink } from '../../shared/trace';
import { Cable, Hub, LearningSwitch, Nic, type LinkContext } from './link';
import { Machine, type LabHost } from './machine';
import type { Program } from './process';
import { Rng, Scheduler } from './sim';

export class World implements LinkContext {
  readonly sched = new Scheduler();
  readonly machines = new Map<string, Machine>();
  readonly switches = new Map<string, LearningSwitch | Hub>();
  readonly cables: Cable[] = [];
  /** Drops per machine per reason (every drop has a name and a counter). */
  readonly dropCounts = new Map<string, Map<DropReason, number>>();
  private frameSeq = 0;
  /** Every NIC (switch ports included) by "machine:nic", for cabling. */
  private readonly ports = new Map<string, Nic>();
  private readonly hosts: LabHost[];

  constructor(
    readonly lab: ResolvedLab,
    readonly sink: TraceSink,
    /**
     * Programs beyond the engine's own, installed on every machine: those that need a Node library
     * (sshd and ssh on ssh2) are written in main/service and handed in here (DESIGN.md section 2).
     */
    readonly programs: Readonly<Record<string, Program>> = {},
  ) {
    // Each machine's first address names it in the lab's DNS zone (/etc/dnsd/zone).
    this.hosts = lab.machines.flatMap((m) => {
      const ip = m.nics.find((n) => n.ip)?.ip;
      return ip ? [{ name: m.id, addr: ip.addr }] : [];
    });
    for (const m of lab.machines) this.addMachine(m);
    for (const l of lab.links) this.addLink(l);
    this.blockSwitchingLoops();
  }

  /**
   * Switches and hubs flood broadcasts out of every port, so a loop of them would circulate a
   * broadcast forever (a storm that would also stall the simulation). Real networks run STP
   * (802.1D); the lab instead blocks, at start, each link that closes a loop of switches and hubs
   * (links taken in file order, like a spanning tree grown from the first), says which, and
   * drops what would cross it with the named reason LINK_BLOCKED.
   */
  private blockSwitchingLoops(): void {
    const parent = new Map<string, string>();
    const find = (x: string): string => {
      let r = x;
      while (parent.get(r) !== r) r = parent.get(r)!;
      parent.set(x, r);
      return r;
    };
    for (const id of this.switches.keys()) parent.set(id, id);
    this.lab.links.forEach((l, i) => {
      if (!this.switches.has(l.a.machine) || !this.switches.has(l.b.machine)) return;
      const [ra, rb] = [find(l.a.machine), find(l.b.machine)];
      if (ra !== rb) {
        parent.set(ra, rb);
        return;
      }
      const cable = this.cables[i]!;
      const name = `${l.a.machine}:${l.a.nic}-${l.b.machine}:${l.b.nic}`;
      cable.blocked = `link ${name} closes a loop of switches and is blocked (Packet Lab has no spanning tree protocol); remove it or another link of the loop`;
      this.sink.kernel({ at: 0, machine: l.a.machine, type: 'link', text: cable.blocked });
    });
  }

  /**
   * Add a host and its cable to the running lab (the bridge's gateway). The link must end at an
   * unused NIC, like a switch port nobody is cabled to.
   */
  attach(m: ResolvedMachine, l: ResolvedLink): Machine {
    if (this.machines.has(m.id) || this.switches.has(m.id)) throw new Error(`attach: ${m.id} already exists`);
    // Check the far end first: a refused attach leaves the lab as it was.
    const far = l.a.machine === m.id ? l.b : l.a;
    const nic = this.ports.get(`${far.machine}:${far.nic}`);
    if (!nic) throw new Error(`attach: no NIC ${far.machine}:${far.nic}`);
    if (nic.medium) throw new Error(`attach: ${far.machine}:${far.nic} is already cabled`);
    this.addMachine(m);
    this.addLink(l);
    return this.machines.get(m.id)!;
  }

  private addMachine(m: ResolvedMachine): void {
    if (m.kind === 'switch' || m.kind === 'hub') {
      const nics = m.nics.map((n) => new Nic(this, m.id, n.name, n.mac));
      nics.forEach((n) => this.ports.set(`${m.id}:${n.name}`, n));
      this.switches.set(m.id, m.kind === 'switch' ? new LearningSwitch(this, m.id, nics) : new Hub(m.id, nics));
    } else {
      const machine = new Machine(this, m, this.lab.seed, this.hosts, this.programs);
      this.machines.set(m.id, machine);
      machine.nics.forEach((n) => this.ports.set(`${m.id}:${n.name}`, n));
    }
  }

  private addLink(l: ResolvedLink): void {
    const a = this.ports.get(`${l.a.machine}:${l.a.nic}`);
    const b = this.ports.get(`${l.b.machine}:${l.b.nic}`);
    if (!a || !b) throw new Error(`link endpoint missing after validation: ${l.a.machine}:${l.a.nic} - ${l.b.machine}:${l.b.nic}`);
    if (a.medium || b.medium) throw new Error(`link ${l.a.machine}:${l.a.nic} - ${l.b.machine}:${l.b.nic}: an end is already cabled`);
    const rng = new Rng(this.lab.seed, `link:${l.a.machine}:${l.a.nic}-${l.b.machine}:${l.b.nic}`);
    this.cables.push(new Cable(this, a, b, { latencyNs: l.latencyNs, bandwidthBps: l.bandwidthBps, loss: l.loss, mtu: l.mtu }, rng));
  }

  get now(): number {
    return this.sched.now;
  }

  nextFrameId(): number {
    return ++this.frameSeq;
  }

  drop(machine: string, reason: DropReason, frameId: number | undefined, text: string): void {
    let m = this.dropCounts.get(machine);
    if (!m) this.dropCounts.set(machine, (m = new Map()));
    m.set(reason, (m.get(reason) ?? 0) + 1);
    this.sink.kernel({ at: this.sched.now, machine, type: 'drop', reason, frameId, text });
  }

  machine(id: string): Machine | undefined {
    return this.machines.get(id);
  }
}
