// Copy and paste of machines. A copy holds the machines and the links among them; a paste gives
// each a fresh name of its kind, drops written MACs (a derived MAC is unique per machine), moves
// any address that would clash to the next free one in its subnet, and offsets the positions so
// the copies do not hide the originals. Links to machines outside the copy are not carried.

import { formatIpv4, parseCidr, prefixMask } from '../../shared/wire/address';
import { parseLinkEnd } from '../../shared/lab/topology';
import type { LabDoc, LinkDoc, MachineDoc } from '../../shared/lab/types';
import type { Edit, Position } from './edits';
import { newMachineId } from './names';

export interface Clip {
  machines: MachineDoc[];
  links: LinkDoc[];
}

export const PASTE_OFFSET: Position = { x: 40, y: 40 };

export function copyMachines(doc: LabDoc, ids: readonly string[]): Clip {
  const set = new Set(ids);
  const inside = (s: string): boolean => set.has(parseLinkEnd(s)?.machine ?? '');
  return {
    machines: doc.machines.filter((m) => set.has(m.id)),
    links: doc.links.filter((l) => inside(l.a) && inside(l.b)),
  };
}

export function pasteMachines(doc: LabDoc, clip: Clip, offset: Position = PASTE_OFFSET): Edit<{ ids: string[] }> {
  if (clip.machines.length === 0) return { ok: false, reason: 'nothing to paste' };
  const renamed = new Map<string, string>();
  const taken = new Set<string>();
  for (const m of clip.machines) {
    const id = newMachineId(doc, m.kind, taken);
    taken.add(id);
    renamed.set(m.id, id);
  }
  const used = new Set<number>();
  for (const m of doc.machines) for (const n of m.nics ?? []) used.add(parseCidr(n.ip ?? '')?.addr ?? -1);
  const pasted = clip.machines.map((m): MachineDoc => {
    const copy: MachineDoc = { ...m, id: renamed.get(m.id)! };
    if (m.position) copy.position = { x: m.position.x + offset.x, y: m.position.y + offset.y };
    if (m.nics) {
      copy.nics = m.nics.map((n) => {
        const { mac: _dropped, ...rest } = n;
        const c = n.ip === undefined ? null : parseCidr(n.ip);
        if (!c) return rest;
        const addr = freeAddress(c.addr, c.prefix, used);
        if (addr === null) {
          const { ip: _full, ...bare } = rest;
          return bare;
        }
        used.add(addr);
        return { ...rest, ip: `${formatIpv4(addr)}/${c.prefix}` };
      });
    }
    return copy;
  });
  const end = (s: string): string => {
    const e = parseLinkEnd(s)!;
    return `${renamed.get(e.machine)}:${e.nic}`;
  };
  const links = clip.links.map((l) => ({ ...l, a: end(l.a), b: end(l.b) }));
  const ids = pasted.map((m) => m.id);
  return { ok: true, doc: { ...doc, machines: [...doc.machines, ...pasted], links: [...doc.links, ...links] }, label: `paste ${ids.join(', ')}`, ids };
}

/** `addr` if free, else the next free host address of its subnet (wrapping), or null when full. */
function freeAddress(addr: number, prefix: number, used: ReadonlySet<number>): number | null {
  if (!used.has(addr)) return addr;
  const net = (addr & prefixMask(prefix)) >>> 0;
  const hosts = 2 ** (32 - prefix) - 2;
  if (hosts < 1) return null;
  const start = addr - net;
  for (let k = 1; k <= hosts; k++) {
    const h = ((start - 1 + k) % hosts) + 1;
    const a = (net + h) >>> 0;
    if (!used.has(a)) return a;
  }
  return null;
}
