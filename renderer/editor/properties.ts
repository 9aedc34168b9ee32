// Property edits from the panel: machine fields, NICs, link parameters. The document stays a valid
// lab at all times: an edit whose result fails the lab file's own validation (shared/lab: schema
// and cross-field checks) is refused, and the refusal carries every problem by field path so the
// panel shows each next to its field while the typed text stays in the input. One rule set for
// files and for typing: a value the panel accepts is one a file may hold, and the reverse.

import { validateLab } from '../../shared/lab/parse';
import { parseLinkEnd } from '../../shared/lab/topology';
import type { LabDoc, LabError, LinkDoc, MachineDoc, NicDoc } from '../../shared/lab/types';
import { hasNics, MAX_NICS } from '../../shared/lab/limits';
import type { Edit } from './edits';
import { newNicName } from './names';

export type Checked = Edit<object> | { ok: false; reason: string; problems: LabError[] };

/** `next` as an edit if it is a valid lab; else refused with every problem (paths like machines[1].nics[0].ip). */
export function checked(next: LabDoc, label: string): Checked {
  const v = validateLab(next);
  if (v.ok) return { ok: true, doc: next, label };
  return { ok: false, reason: v.errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; '), problems: v.errors };
}

/** The problems of a refusal that belong to the field at `path` or inside it. */
export function problemsAt(c: Checked, path: string): string[] {
  if (c.ok || !('problems' in c)) return [];
  return c.problems.filter((p) => p.path === path || p.path.startsWith(`${path}.`) || p.path.startsWith(`${path}[`)).map((p) => p.message);
}

type MachineFields = Pick<MachineDoc, 'gateway' | 'dns' | 'ports' | 'sysctl' | 'services' | 'routes' | 'users'>;

/** Set machine fields; `undefined` (an emptied input) removes the field. */
export function setMachineFields(doc: LabDoc, id: string, patch: Partial<MachineFields>): Checked {
  const i = doc.machines.findIndex((m) => m.id === id);
  if (i < 0) return { ok: false, reason: `no machine named "${id}"` };
  const m = withFields<MachineDoc>(doc.machines[i]!, patch);
  return checked(replaceMachine(doc, i, m), `edit ${id} ${Object.keys(patch).join(', ')}`);
}

/** Start a service of the catalogue with the lab (on its well-known port), or not. */
export function setService(doc: LabDoc, id: string, name: string, on: boolean): Checked {
  const m = doc.machines.find((x) => x.id === id);
  if (!m) return { ok: false, reason: `no machine named "${id}"` };
  const label = `${on ? 'start' : 'do not start'} ${name} on ${id}`;
  const has = m.services?.some((s) => s.name === name) ?? false;
  if (on === has) return { ok: true, doc, label };
  const next = on ? [...(m.services ?? []), { name }] : (m.services ?? []).filter((s) => s.name !== name);
  const c = setMachineFields(doc, id, { services: next.length > 0 ? next : undefined });
  return c.ok ? { ...c, label } : c;
}

/** The port a started service listens on (undefined: its well-known one). */
export function setServicePort(doc: LabDoc, id: string, name: string, port: number | undefined): Checked {
  const m = doc.machines.find((x) => x.id === id);
  if (!m?.services?.some((s) => s.name === name)) return { ok: false, reason: `${id} does not start ${name}` };
  return setMachineFields(doc, id, { services: m.services.map((s) => (s.name === name ? withFields(s, { port }) : s)) });
}

/** Set one kernel setting (as `sysctl -w` would take it), or remove it (undefined: the default). */
export function setSysctl(doc: LabDoc, id: string, key: string, value: string | undefined): Checked {
  const m = doc.machines.find((x) => x.id === id);
  if (!m) return { ok: false, reason: `no machine named "${id}"` };
  const next: Record<string, string | number> = { ...m.sysctl };
  if (value === undefined) delete next[key];
  else next[key] = /^\d+$/.test(value.trim()) ? Number(value.trim()) : value;
  const c = setMachineFields(doc, id, { sysctl: Object.keys(next).length > 0 ? next : undefined });
  return c.ok ? { ...c, label: `${id}: ${value === undefined ? `default ${key}` : `${key} = ${value}`}` } : c;
}

/** Set a NIC's fields (name, ip, mac); renaming a linked NIC renames its link end. */
export function setNic(doc: LabDoc, id: string, nic: number, patch: Partial<NicDoc>): Checked {
  const i = doc.machines.findIndex((m) => m.id === id);
  const m = doc.machines[i];
  const old = m?.nics?.[nic];
  if (!m || !old) return { ok: false, reason: `${id} has no NIC #${nic}` };
  const next = withFields(old, patch) as NicDoc;
  let d = replaceMachine(doc, i, { ...m, nics: m.nics!.map((n, j) => (j === nic ? next : n)) });
  if (next.name !== old.name) {
    const from = `${id}:${old.name}`;
    const to = `${id}:${next.name}`;
    d = { ...d, links: d.links.map((l) => (l.a === from ? { ...l, a: to } : l.b === from ? { ...l, b: to } : l)) };
  }
  return checked(d, `edit ${id}:${next.name}`);
}

export function addNic(doc: LabDoc, id: string): Checked {
  const i = doc.machines.findIndex((m) => m.id === id);
  const m = doc.machines[i];
  if (!m) return { ok: false, reason: `no machine named "${id}"` };
  if (!hasNics(m.kind)) return { ok: false, reason: `a ${m.kind} has ports, not NICs` };
  const nics = m.nics ?? [];
  if (nics.length >= MAX_NICS) return { ok: false, reason: `${id} already has ${MAX_NICS} NICs, the most a machine can have` };
  const name = newNicName(nics.map((n) => n.name));
  return checked(replaceMachine(doc, i, { ...m, nics: [...nics, { name }] }), `add ${id}:${name}`);
}

/** Remove a NIC and its link. */
export function removeNic(doc: LabDoc, id: string, nic: number): Checked {
  const i = doc.machines.findIndex((m) => m.id === id);
  const m = doc.machines[i];
  const gone = m?.nics?.[nic];
  if (!m || !gone) return { ok: false, reason: `${id} has no NIC #${nic}` };
  const end = `${id}:${gone.name}`;
  const d = replaceMachine(doc, i, { ...m, nics: m.nics!.filter((_, j) => j !== nic) });
  return checked({ ...d, links: d.links.filter((l) => l.a !== end && l.b !== end) }, `remove ${end}`);
}

type LinkFields = Pick<LinkDoc, 'latency' | 'bandwidth' | 'loss' | 'mtu' | 'up'>;

export function setLinkFields(doc: LabDoc, index: number, patch: Partial<LinkFields>): Checked {
  const l = doc.links[index];
  if (!l) return { ok: false, reason: `no link #${index}` };
  const next = withFields(l, patch) as LinkDoc;
  return checked({ ...doc, links: doc.links.map((x, j) => (j === index ? next : x)) }, `edit link ${describeLink(l)}`);
}

function describeLink(l: LinkDoc): string {
  const a = parseLinkEnd(l.a);
  const b = parseLinkEnd(l.b);
  return a && b ? `${a.machine}-${b.machine}` : `${l.a}-${l.b}`;
}

function replaceMachine(doc: LabDoc, i: number, m: MachineDoc): LabDoc {
  return { ...doc, machines: doc.machines.map((x, j) => (j === i ? m : x)) };
}

/** `o` with `patch` applied; keys set to undefined are removed (so the file does not carry them). */
function withFields<T extends object>(o: T, patch: Partial<T>): T {
  const out = { ...o } as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out as unknown as T;
}
