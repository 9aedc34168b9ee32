// A lab document -> file text: 2-space JSON with a fixed key order at every level and a trailing
// newline, so saving is stable (diffs show only real changes) and parseLab(serializeLab(doc)) gives
// back the same document.

import type { LabDoc, LinkDoc, MachineDoc, NicDoc, ScriptEntryDoc } from './types';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Keys in the given order; undefined values are left out. */
function ordered(pairs: [string, Json | undefined][]): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const [k, v] of pairs) if (v !== undefined) out[k] = v;
  return out;
}

const nic = (n: NicDoc) => ordered([['name', n.name], ['ip', n.ip], ['mac', n.mac]]);

const machine = (m: MachineDoc) =>
  ordered([
    ['id', m.id],
    ['kind', m.kind],
    ['nics', m.nics?.map(nic)],
    ['gateway', m.gateway],
    ['ports', m.ports],
    ['position', m.position && ordered([['x', m.position.x], ['y', m.position.y]])],
    ['sysctl', m.sysctl && { ...m.sysctl }],
    ['dns', m.dns],
    ['users', m.users?.map((u) => ordered([['name', u.name], ['password', u.password]]))],
    ['services', m.services?.map((s) => ordered([['name', s.name], ['port', s.port]]))],
    ['routes', m.routes?.map((r) => ordered([['to', r.to], ['via', r.via]]))],
  ]);

const link = (l: LinkDoc) =>
  ordered([['a', l.a], ['b', l.b], ['latency', l.latency], ['bandwidth', l.bandwidth], ['loss', l.loss], ['mtu', l.mtu], ['up', l.up]]);

const entry = (e: ScriptEntryDoc) => ordered([['at', e.at], ['on', e.on], ['run', e.run], ['input', e.input && [...e.input]]]);

export function serializeLab(doc: LabDoc): string {
  const out = ordered([
    ['format', doc.format],
    ['name', doc.name],
    ['description', doc.description],
    ['seed', doc.seed],
    ['machines', doc.machines.map(machine)],
    ['links', doc.links.map(link)],
    ['script', doc.script?.map(entry)],
  ]);
  return `${JSON.stringify(out, null, 2)}\n`;
}
