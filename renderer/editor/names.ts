// Names the editor gives: machines by kind (h1, srv1, r1, sw1, hub1), NICs eth0, eth1, ...

import { MACHINE_ID_RE } from '../../shared/lab/limits';
import type { LabDoc, MachineKind } from '../../shared/lab/types';

export const NAME_PREFIX: Record<MachineKind, string> = { host: 'h', server: 'srv', router: 'r', switch: 'sw', hub: 'hub' };

/** The lowest free `<prefix><n>` (n from 1) not among `taken`. */
export function freeName(prefix: string, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n++) {
    const name = `${prefix}${n}`;
    if (!taken.has(name)) return name;
  }
}

export function machineIds(doc: LabDoc): Set<string> {
  return new Set(doc.machines.map((m) => m.id));
}

/** A fresh id for a new machine of `kind`. */
export function newMachineId(doc: LabDoc, kind: MachineKind, alsoTaken: ReadonlySet<string> = new Set()): string {
  return freeName(NAME_PREFIX[kind], new Set([...machineIds(doc), ...alsoTaken]));
}

/** The lowest free ethN (from eth0) among a machine's NIC names. */
export function newNicName(taken: readonly string[]): string {
  const set = new Set(taken);
  for (let n = 0; ; n++) if (!set.has(`eth${n}`)) return `eth${n}`;
}

/** Why `id` cannot name a machine of `doc` (other than `self`), or null. */
export function machineIdProblem(doc: LabDoc, id: string, self?: string): string | null {
  if (!MACHINE_ID_RE.test(id)) return `"${id}" is not a machine name: 1-32 letters, digits, '-' or '_', starting with a letter`;
  if (id !== self && doc.machines.some((m) => m.id === id)) return `a machine named "${id}" already exists`;
  return null;
}
