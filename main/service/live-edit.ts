// How an edited lab document reaches the running simulation without a restart (World's *Live
// methods). Positions change nothing in the simulation. A machine whose settings changed (its
// addresses, gateway, services, kind...) is replaced: removed, added fresh, and recabled, the way
// one would re-image a box; its consoles close. Cables are matched by their two ends; one whose
// ends stayed but whose parameters changed is retuned in place.
//
// MACs: a machine without written MACs derives them from its position in the file
// (shared/lab/limits deriveMac), so deleting a machine shifts the derived MACs of those after it.
// Running machines keep the MACs they booted with; a machine added live takes the first derived
// MACs no running NIC uses. A reset rebuilds everything from the file.

import { deriveMac } from '../../shared/lab/limits';
import type { LabDoc, LinkEnd, ResolvedLab, ResolvedLink, ResolvedMachine } from '../../shared/lab/types';
import type { World } from '../engine';

export interface LiveEditPlan {
  /** Machines removed, and replaced ones (removed, then added again). */
  remove: string[];
  add: ResolvedMachine[];
  unplug: [LinkEnd, LinkEnd][];
  plug: ResolvedLink[];
  retune: ResolvedLink[];
  /** Machines whose consoles close (removed or replaced). */
  restarted: string[];
}

export function planLiveEdit(oldDoc: LabDoc, newDoc: LabDoc, newLab: ResolvedLab): LiveEditPlan {
  // A switch or hub that only gained ports keeps running (connectLive adds them).
  const settings = (m: LabDoc['machines'][number]): string => JSON.stringify({ ...m, position: undefined, ports: undefined });
  const oldById = new Map(oldDoc.machines.map((m) => [m.id, m]));
  const newIds = new Set(newDoc.machines.map((m) => m.id));
  const replaced = new Set(newDoc.machines.filter((m) => oldById.has(m.id) && settings(oldById.get(m.id)!) !== settings(m)).map((m) => m.id));
  const removed = oldDoc.machines.filter((m) => !newIds.has(m.id)).map((m) => m.id);
  const added = newDoc.machines.filter((m) => !oldById.has(m.id)).map((m) => m.id);
  const fresh = new Set([...replaced, ...added]);
  const gone = new Set([...removed, ...replaced]);

  const key = (a: LinkEnd, b: LinkEnd): string => [`${a.machine}:${a.nic}`, `${b.machine}:${b.nic}`].sort().join(' ');
  const endOf = (s: string): LinkEnd => {
    const i = s.lastIndexOf(':');
    return { machine: s.slice(0, i), nic: s.slice(i + 1) };
  };
  const oldLinks = new Map(oldDoc.links.map((l) => [key(endOf(l.a), endOf(l.b)), l]));
  const newLinks = new Map(newLab.links.map((l) => [key(l.a, l.b), l]));
  const plan: LiveEditPlan = { remove: [...removed, ...replaced], add: [], unplug: [], plug: [], retune: [], restarted: [...removed, ...replaced] };
  for (const [k, l] of oldLinks) {
    const touchesGone = gone.has(endOf(l.a).machine) || gone.has(endOf(l.b).machine);
    // A removed machine's cables go with it (removeMachineLive); others are unplugged by hand.
    if (!newLinks.has(k) && !touchesGone) plan.unplug.push([endOf(l.a), endOf(l.b)]);
  }
  plan.add = newLab.machines.filter((m) => fresh.has(m.id));
  for (const [k, l] of newLinks) {
    const old = oldLinks.get(k);
    if (!old || fresh.has(l.a.machine) || fresh.has(l.b.machine)) plan.plug.push(l);
    else if (JSON.stringify({ ...old, a: '', b: '' }) !== JSON.stringify({ ...newDoc.links.find((x) => key(endOf(x.a), endOf(x.b)) === k)!, a: '', b: '' })) plan.retune.push(l);
  }
  return plan;
}

export function applyLiveEdit(world: World, plan: LiveEditPlan): void {
  for (const [a, b] of plan.unplug) world.disconnectLive(a, b);
  for (const id of plan.remove) world.removeMachineLive(id);
  const used = runningMacs(world);
  for (const m of plan.add) world.addMachineLive(withFreeMacs(m, used));
  for (const l of plan.plug) world.connectLive(l);
  for (const l of plan.retune) world.setLinkParamsLive(l.a, l.b, l);
}

function runningMacs(world: World): Set<number> {
  const out = new Set<number>();
  for (const m of world.machines.values()) for (const n of m.nics) out.add(n.mac);
  for (const s of world.switches.values()) for (const p of s.ports) out.add(p.mac);
  return out;
}

/** `m` with each NIC's MAC moved off any in `used` (to the first free derived MAC); marks its MACs used. */
function withFreeMacs(m: ResolvedMachine, used: Set<number>): ResolvedMachine {
  if (m.nics.every((n) => !used.has(n.mac))) {
    for (const n of m.nics) used.add(n.mac);
    return m;
  }
  for (let slot = 0; ; slot++) {
    const macs = m.nics.map((_, j) => deriveMac(0xff_0000 + slot, j));
    if (macs.every((x) => !used.has(x))) {
      for (const x of macs) used.add(x);
      return { ...m, nics: m.nics.map((n, j) => ({ ...n, mac: macs[j]! })) };
    }
  }
}
