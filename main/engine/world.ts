// The whole lab in virtual time: machines, switches/hubs, cables, one scheduler, one trace sink.
// Same ResolvedLab + same seed => the same events in the same order => byte-identical traces.
import type { ResolvedLab } from '../../shared/lab/types';
import type { DropReason, TraceSink } from '../../shared/trace';
import { Cable, Hub, LearningSwitch, Nic, type LinkContext } from './link';
import { Machine } from './machine';
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

  constructor(
    readonly lab: ResolvedLab,
    readonly sink: TraceSink,
    /**
     * Programs beyond the engine's own, installed on every machine: those that need a Node library
     * (sshd and ssh on ssh2) are written in main/service and handed in here (DESIGN.md section 2).
     */
    readonly programs: Readonly<Record<string, Program>> = {},
  ) {
    const ports = new Map<string, Nic>();
    // Each machine's first address names it in the lab's DNS zone (/etc/dnsd/zone).
    const hosts = lab.machines.flatMap((m) => {
      const ip = m.nics.find((n) => n.ip)?.ip;
      return ip ? [{ name: m.id, addr: ip.addr }] : [];
    });
    for (const m of lab.machines) {
      if (m.kind === 'switch' || m.kind === 'hub') {
        const nics = m.nics.map((n) => new Nic(this, m.id, n.name, n.mac));
        nics.forEach((n) => ports.set(`${m.id}:${n.name}`, n));
        this.switches.set(m.id, m.kind === 'switch' ? new LearningSwitch(this, m.id, nics) : new Hub(m.id, nics));
      } else {
        const machine = new Machine(this, m, lab.seed, hosts, programs);
        this.machines.set(m.id, machine);
        machine.nics.forEach((n) => ports.set(`${m.id}:${n.name}`, n));
      }
    }
    for (const l of lab.links) {
      const a = ports.get(`${l.a.machine}:${l.a.nic}`);
      const b = ports.get(`${l.b.machine}:${l.b.nic}`);
      if (!a || !b) throw new Error(`link endpoint missing after validation: ${l.a.machine}:${l.a.nic} - ${l.b.machine}:${l.b.nic}`);
      const rng = new Rng(lab.seed, `link:${l.a.machine}:${l.a.nic}-${l.b.machine}:${l.b.nic}`);
      this.cables.push(new Cable(this, a, b, { latencyNs: l.latencyNs, bandwidthBps: l.bandwidthBps, loss: l.loss, mtu: l.mtu }, rng));
    }
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
