// Topology edits as pure functions: a document in, a new document (sharing what did not change) or
// a refusal with the reason the editor shows. Nothing here mutates its input, which is what lets
// history.ts keep plain snapshots.

import { DEFAULT_PORTS, hasNics, MAX_NICS, MAX_PORTS, portName, portNumber } from '../../shared/lab/limits';
import { parseLinkEnd } from '../../shared/lab/topology';
import type { LabDoc, LinkDoc, MachineDoc, MachineKind } from '../../shared/lab/types';
import { machineIdProblem, newMachineId, newNicName } from './names';

export type Edit<E = object> = ({ ok: true; doc: LabDoc; label: string } & E) | { ok: false; reason: string };

export interface Position {
  x: number;
  y: number;
}

/** Ports a new hub has (a switch gets the format's default, DEFAULT_PORTS). */
export const NEW_HUB_PORTS = 4;

/** A new machine as the palette drops it: one NIC (a router two), or a switch's/hub's ports. */
export function newMachine(id: string, kind: MachineKind, position: Position): MachineDoc {
  const at = { x: Math.round(position.x), y: Math.round(position.y) };
  switch (kind) {
    case 'router':
      return { id, kind, nics: [{ name: 'eth0' }, { name: 'eth1' }], position: at };
    case 'switch':
      return { id, kind, position: at };
    case 'hub':
      return { id, kind, ports: NEW_HUB_PORTS, position: at };
    default:
      return { id, kind, nics: [{ name: 'eth0' }], position: at };
  }
}

export function addMachine(doc: LabDoc, kind: MachineKind, position: Position): Edit<{ id: string }> {
  const id = newMachineId(doc, kind);
  return { ok: true, doc: { ...doc, machines: [...doc.machines, newMachine(id, kind, position)] }, label: `add ${id}`, id };
}

/** Delete machines with their links and the script lines that run on them. */
export function removeMachines(doc: LabDoc, ids: readonly string[]): Edit {
  const gone = new Set(ids);
  const unknown = ids.filter((id) => !doc.machines.some((m) => m.id === id));
  if (unknown.length > 0) return { ok: false, reason: `no machine named ${unknown.map((u) => `"${u}"`).join(', ')}` };
  if (gone.size === 0) return { ok: false, reason: 'nothing selected' };
  const touches = (l: LinkDoc): boolean => gone.has(endMachine(l.a)) || gone.has(endMachine(l.b));
  const next: LabDoc = {
    ...doc,
    machines: doc.machines.filter((m) => !gone.has(m.id)),
    links: doc.links.filter((l) => !touches(l)),
  };
  if (doc.script) next.script = doc.script.filter((s) => !gone.has(s.on));
  return { ok: true, doc: next, label: `delete ${[...gone].join(', ')}` };
}

/** Move machines (a drag of the selection); positions are whole canvas units. */
export function moveMachines(doc: LabDoc, moves: ReadonlyMap<string, Position>): Edit {
  let changed = false;
  const machines = doc.machines.map((m) => {
    const p = moves.get(m.id);
    if (!p) return m;
    const at = { x: Math.round(p.x), y: Math.round(p.y) };
    if (m.position && m.position.x === at.x && m.position.y === at.y) return m;
    changed = true;
    return { ...m, position: at };
  });
  if (!changed) return { ok: true, doc, label: 'move' };
  return { ok: true, doc: { ...doc, machines }, label: `move ${[...moves.keys()].join(', ')}` };
}

/** Snap a position to a grid of `grid` canvas units. */
export function snap(p: Position, grid: number): Position {
  return { x: Math.round(p.x / grid) * grid, y: Math.round(p.y / grid) * grid };
}

/** Rename a machine; its links and script lines follow. */
export function renameMachine(doc: LabDoc, id: string, to: string): Edit {
  if (!doc.machines.some((m) => m.id === id)) return { ok: false, reason: `no machine named "${id}"` };
  if (to === id) return { ok: true, doc, label: 'rename' };
  const problem = machineIdProblem(doc, to, id);
  if (problem) return { ok: false, reason: problem };
  const end = (s: string): string => {
    const e = parseLinkEnd(s);
    return e && e.machine === id ? `${to}:${e.nic}` : s;
  };
  const next: LabDoc = {
    ...doc,
    machines: doc.machines.map((m) => (m.id === id ? { ...m, id: to } : m)),
    links: doc.links.map((l) => (endMachine(l.a) === id || endMachine(l.b) === id ? { ...l, a: end(l.a), b: end(l.b) } : l)),
  };
  if (doc.script) next.script = doc.script.map((s) => (s.on === id ? { ...s, on: to } : s));
  return { ok: true, doc: next, label: `rename ${id} to ${to}` };
}

// ---- links ----

/** "machine:nic" -> the link end it is part of, for every linked end. */
export function linkedEnds(doc: LabDoc): Map<string, string> {
  const out = new Map<string, string>();
  for (const l of doc.links) {
    out.set(l.a, l.b);
    out.set(l.b, l.a);
  }
  return out;
}

/** The interface a new link uses on machine `m`: the named one, or the first free one (growing a router's NICs or a switch's ports when all are taken). */
export function chooseEnd(doc: LabDoc, m: MachineDoc, nic?: string): { ok: true; nic: string; machine: MachineDoc } | { ok: false; reason: string } {
  const linked = linkedEnds(doc);
  const busy = (name: string): string | undefined => linked.get(`${m.id}:${name}`);
  if (hasNics(m.kind)) {
    const names = (m.nics ?? []).map((n) => n.name);
    if (nic !== undefined) {
      if (!names.includes(nic)) return { ok: false, reason: `${m.id} has no NIC ${nic}` };
      const peer = busy(nic);
      return peer ? { ok: false, reason: `${m.id}:${nic} is already linked to ${peer}` } : { ok: true, nic, machine: m };
    }
    const free = names.find((n) => !busy(n));
    if (free) return { ok: true, nic: free, machine: m };
    if (m.kind !== 'router') {
      const taken = names.length === 0 ? 'it has no NIC' : `${names.map((n) => `${n} is linked to ${busy(n)}`).join(', ')}`;
      return { ok: false, reason: `${m.id} has no free NIC (${taken}); add a NIC in its properties` };
    }
    if (names.length >= MAX_NICS) return { ok: false, reason: `${m.id} already has ${MAX_NICS} NICs, the most a machine can have` };
    const name = newNicName(names);
    return { ok: true, nic: name, machine: { ...m, nics: [...(m.nics ?? []), { name }] } };
  }
  const ports = Math.max(m.ports ?? DEFAULT_PORTS, highestLinkedPort(doc, m.id));
  if (nic !== undefined) {
    const n = portNumber(nic);
    if (n === null) return { ok: false, reason: `${m.id} has no port ${nic} (ports are p1..p${MAX_PORTS})` };
    const peer = busy(nic);
    if (peer) return { ok: false, reason: `${m.id}:${nic} is already linked to ${peer}` };
    return { ok: true, nic, machine: n > ports ? { ...m, ports: n } : m };
  }
  for (let n = 1; n <= ports; n++) if (!busy(portName(n))) return { ok: true, nic: portName(n), machine: m };
  if (ports >= MAX_PORTS) return { ok: false, reason: `all ${MAX_PORTS} ports of ${m.id} are linked, the most a ${m.kind} can have` };
  return { ok: true, nic: portName(ports + 1), machine: { ...m, ports: ports + 1 } };
}

/** Link two machines, on the given NICs/ports or free ones; refused with a reason when impossible. */
export function addLink(doc: LabDoc, a: string, b: string, nics: { a?: string; b?: string } = {}): Edit<{ link: LinkDoc }> {
  if (a === b) return { ok: false, reason: `a link joins two machines; ${a} cannot be linked to itself` };
  const ma = doc.machines.find((m) => m.id === a);
  const mb = doc.machines.find((m) => m.id === b);
  if (!ma || !mb) return { ok: false, reason: `no machine named "${!ma ? a : b}"` };
  const ea = chooseEnd(doc, ma, nics.a);
  if (!ea.ok) return ea;
  const eb = chooseEnd(doc, mb, nics.b);
  if (!eb.ok) return eb;
  const link: LinkDoc = { a: `${a}:${ea.nic}`, b: `${b}:${eb.nic}` };
  const machines = doc.machines.map((m) => (m === ma ? ea.machine : m === mb ? eb.machine : m));
  return { ok: true, doc: { ...doc, machines, links: [...doc.links, link] }, label: `link ${link.a} - ${link.b}`, link };
}

export function removeLink(doc: LabDoc, index: number): Edit {
  const l = doc.links[index];
  if (!l) return { ok: false, reason: `no link #${index}` };
  return { ok: true, doc: { ...doc, links: doc.links.filter((_, i) => i !== index) }, label: `unlink ${l.a} - ${l.b}` };
}

function endMachine(s: string): string {
  return parseLinkEnd(s)?.machine ?? '';
}

function highestLinkedPort(doc: LabDoc, id: string): number {
  let hi = 0;
  for (const l of doc.links) {
    for (const s of [l.a, l.b]) {
      const e = parseLinkEnd(s);
      const n = e && e.machine === id ? portNumber(e.nic) : null;
      if (n !== null) hi = Math.max(hi, n);
    }
  }
  return hi;
}
