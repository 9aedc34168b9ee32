// The whole lab in virtual time: machines, switches/hubs, cables, one scheduler, one trace sink.
// Same ResolvedLab + same seed => the same events in the same order => byte-identical traces.
import type { LinkEnd, ResolvedLab, ResolvedLink, ResolvedMachine } from '../../shared/lab/types';
import type { DropReason, TraceSink } from '../../shared/trace';
import { Cable, Hub, LearningSwitch, MAC_AGEING_NS, Nic, type LinkContext } from './link';
import { formatMac } from '../../shared/wire';
import type { SwitchState } from '../../shared/api/kernel-view';
import { Machine, type LabHost } from './machine';
import type { Program } from './process';
import { Rng, Scheduler } from './sim';
import { portNumber } from '../../shared/lab/limits';

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
    for (const c of this.cables) this.blockIfLoop(c);
  }

  /**
   * Block `cable` if it joins two switches/hubs already connected through unblocked switch-to-switch
   * cables listed before it (a loop); say so in a kernel event.
   */
  private blockIfLoop(cable: Cable, announce = true): void {
    if (!cable.up || !this.switches.has(cable.a.machine) || !this.switches.has(cable.b.machine)) return;
    const parent = new Map<string, string>();
    const find = (x: string): string => {
      let r = x;
      while ((parent.get(r) ?? r) !== r) r = parent.get(r)!;
      return r;
    };
    for (const c of this.cables) {
      if (c === cable) break;
      // A down cable carries nothing: it neither closes a loop nor joins one.
      if (c.blocked || !c.up || !this.switches.has(c.a.machine) || !this.switches.has(c.b.machine)) continue;
      const [ra, rb] = [find(c.a.machine), find(c.b.machine)];
      if (ra !== rb) parent.set(ra, rb);
    }
    if (find(cable.a.machine) !== find(cable.b.machine)) return;
    const name = `${cable.a.machine}:${cable.a.name}-${cable.b.machine}:${cable.b.name}`;
    cable.blocked = `link ${name} closes a loop of switches and is blocked (Packet Lab has no spanning tree protocol); remove it or another link of the loop`;
    if (announce) this.sink.kernel({ at: this.sched.now, machine: cable.a.machine, type: 'link', text: cable.blocked });
  }

  // ---- editing while the lab runs (the editor's changes, applied without a restart) ----

  /** Add a machine (with no cables yet); a host's services start now, as at boot. */
  addMachineLive(m: ResolvedMachine): void {
    if (this.machines.has(m.id) || this.switches.has(m.id)) throw new Error(`add: ${m.id} already exists`);
    this.addMachine(m);
    this.sink.kernel({ at: this.sched.now, machine: m.id, type: 'link', text: `${m.id} added to the running lab` });
  }

  /**
   * Remove a machine: its cables are unplugged (the far ends lose carrier), its processes are
   * killed, and anything its kernel still sends goes nowhere.
   */
  removeMachineLive(id: string): void {
    const machine = this.machines.get(id);
    const sw = this.switches.get(id);
    if (!machine && !sw) throw new Error(`remove: no machine ${id}`);
    for (const c of [...this.cables]) if (c.a.machine === id || c.b.machine === id) this.unplug(c);
    const nics = machine ? machine.nics : sw!.ports;
    for (const n of nics) {
      n.removed = true;
      this.ports.delete(`${id}:${n.name}`);
    }
    if (machine) {
      machine.kernel.killAll();
      this.machines.delete(id);
    } else {
      this.switches.delete(id);
    }
    this.sink.kernel({ at: this.sched.now, machine: id, type: 'link', text: `${id} removed from the running lab` });
  }

  /** Cable two NICs or ports while the lab runs; a switch or hub gains the port if it lacks it. */
  connectLive(l: ResolvedLink): void {
    for (const end of [l.a, l.b]) {
      const sw = this.switches.get(end.machine);
      if (sw && !this.ports.has(`${end.machine}:${end.nic}`)) {
        // Port MACs follow deriveMac: consecutive from the first port's.
        const mac = (sw.ports[0]?.mac ?? 0) + portIndexOf(end.nic);
        const nic = new Nic(this, end.machine, end.nic, mac);
        sw.addPort(nic);
        this.ports.set(`${end.machine}:${end.nic}`, nic);
      }
    }
    this.addLink(l);
    const cable = this.cables.at(-1)!;
    this.sink.kernel({ at: this.sched.now, machine: l.a.machine, type: 'link', text: `link ${cable.describe()} plugged in` });
    this.blockIfLoop(cable);
  }

  /** Unplug the cable between two ends: frames on it are lost, both NICs lose carrier. */
  disconnectLive(a: LinkEnd, b: LinkEnd): void {
    const cable = this.cableBetween(a, b);
    if (!cable) throw new Error(`unlink: no link ${a.machine}:${a.nic} - ${b.machine}:${b.nic}`);
    this.unplug(cable);
  }

  /**
   * Change a cable's latency, bandwidth, loss or MTU (frames already queued keep their times), or
   * take it down or up: down, both ends lose carrier (NO-CARRIER in `ip link`), frames on the wire
   * are lost, switches forget the MACs learnt on those ports.
   */
  setLinkParamsLive(a: LinkEnd, b: LinkEnd, p: Omit<ResolvedLink, 'a' | 'b'>): void {
    const cable = this.cableBetween(a, b);
    if (!cable) throw new Error(`link parameters: no link ${a.machine}:${a.nic} - ${b.machine}:${b.nic}`);
    Object.assign(cable.params, { latencyNs: p.latencyNs, bandwidthBps: p.bandwidthBps, loss: p.loss, mtu: p.mtu });
    if (cable.up !== p.up) {
      this.setCableUp(cable, p.up);
      return;
    }
    this.sink.kernel({ at: this.sched.now, machine: a.machine, type: 'link', text: `link ${cable.describe()} changed` });
  }

  private setCableUp(cable: Cable, up: boolean): void {
    cable.up = up;
    if (!up) this.carrierLost(cable);
    this.sink.kernel({ at: this.sched.now, machine: cable.a.machine, type: 'link', text: `link ${cable.describe()} ${up ? 'up: both ends have carrier again' : 'down: both ends lost carrier'}` });
    this.recheckLoops();
  }

  /** Switches forget the MACs learnt on the ports of a cable that lost carrier. */
  private carrierLost(cable: Cable): void {
    for (const n of [cable.a, cable.b]) {
      const sw = this.switches.get(n.machine);
      if (sw instanceof LearningSwitch) sw.flushPort(n);
    }
  }

  /**
   * The cables changed (one unplugged, down or up): block loops afresh in file order, announcing only
   * what changed (a blocked spare may now be the only path; a cable back up may close a loop again).
   */
  private recheckLoops(): void {
    const before = new Map(this.cables.map((c) => [c, c.blocked]));
    for (const c of this.cables) c.blocked = null;
    for (const c of this.cables) this.blockIfLoop(c, before.get(c) === null);
    for (const c of this.cables) {
      if (before.get(c) && !c.blocked) this.sink.kernel({ at: this.sched.now, machine: c.a.machine, type: 'link', text: `link ${c.describe()} no longer closes a loop and carries frames again` });
    }
  }

  private cableBetween(a: LinkEnd, b: LinkEnd): Cable | undefined {
    const is = (n: Nic, e: LinkEnd): boolean => n.machine === e.machine && n.name === e.nic;
    return this.cables.find((c) => (is(c.a, a) && is(c.b, b)) || (is(c.a, b) && is(c.b, a)));
  }

  private unplug(cable: Cable): void {
    cable.up = false;
    cable.a.medium = null;
    cable.b.medium = null;
    this.cables.splice(this.cables.indexOf(cable), 1);
    this.carrierLost(cable);
    this.sink.kernel({ at: this.sched.now, machine: cable.a.machine, type: 'link', text: `link ${cable.describe()} unplugged: both ends lost carrier` });
    this.recheckLoops();
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
    const cable = new Cable(this, a, b, { latencyNs: l.latencyNs, bandwidthBps: l.bandwidthBps, loss: l.loss, mtu: l.mtu }, rng);
    cable.up = l.up;
    this.cables.push(cable);
  }

  get now(): number {
    return this.sched.now;
  }

  framesInFlight = 0;

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

  /** A switch's or hub's ports (with what each is cabled to) and, for a switch, its live MAC table. */
  inspectSwitch(id: string): SwitchState | undefined {
    const sw = this.switches.get(id);
    if (!sw) return undefined;
    const cableOf = (n: Nic): Cable | undefined => this.cables.find((c) => c.a === n || c.b === n);
    const ports = sw.ports.map((p) => {
      const c = cableOf(p);
      const far = c ? (c.a === p ? c.b : c.a) : null;
      return { name: p.name, linkedTo: far ? `${far.machine}:${far.name}` : null, blocked: c?.blocked ?? null, rxFrames: p.rxFrames, txFrames: p.txFrames };
    });
    const now = this.sched.now;
    const macTable =
      sw instanceof LearningSwitch
        ? sw
            .entries()
            .sort((a, b) => a.port.name.localeCompare(b.port.name, 'en', { numeric: true }) || a.mac - b.mac)
            .map((e) => ({ mac: formatMac(e.mac), port: e.port.name, ageSeconds: Math.floor((now - e.seen) / 1e9) }))
        : [];
    return { machine: id, kind: sw instanceof LearningSwitch ? 'switch' : 'hub', timeNs: now, ports, macTable, ageingSeconds: MAC_AGEING_NS / 1e9 };
  }
}

/** 0-based index of a port name p1..pN. */
function portIndexOf(name: string): number {
  return (portNumber(name) ?? 1) - 1;
}
