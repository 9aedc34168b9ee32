// Facts derived from a schema-valid document that both the checks and resolution need: link ends,
// machine lookup, switch/hub port counts and every interface's MAC (given or derived).

import { parseMac } from '../wire/address';
import { DEFAULT_PORTS, deriveMac, hasNics, LINK_END_RE, portName, portNumber } from './limits';
import type { LinkEnd, LabDoc } from './types';

/** "client:eth0" -> { machine: "client", nic: "eth0" }; null unless it matches LINK_END_RE (the schema's syntax). */
export function parseLinkEnd(s: string): LinkEnd | null {
  const m = LINK_END_RE.exec(s);
  return m ? { machine: m[1]!, nic: m[2]! } : null;
}

/** Machine id -> index of its first machine. */
export function machineIndex(doc: LabDoc): Map<string, number> {
  const byId = new Map<string, number>();
  doc.machines.forEach((m, i) => {
    if (!byId.has(m.id)) byId.set(m.id, i);
  });
  return byId;
}

/**
 * Ports of each machine (0 for machines with NICs): the `ports` field (default 8), grown to the
 * highest valid pN any link names on that machine.
 */
export function portCounts(doc: LabDoc): number[] {
  const highest = new Map<string, number>();
  for (const link of doc.links) {
    for (const s of [link.a, link.b]) {
      const end = parseLinkEnd(s);
      const n = end && portNumber(end.nic);
      if (end && n !== null) highest.set(end.machine, Math.max(highest.get(end.machine) ?? 0, n));
    }
  }
  return doc.machines.map((m) => (hasNics(m.kind) ? 0 : Math.max(m.ports ?? DEFAULT_PORTS, highest.get(m.id) ?? 0)));
}

export interface Interface {
  machine: number;
  /** Index among the machine's NICs or ports. */
  index: number;
  name: string;
  mac: number;
  /** The MAC was written in the file (else derived). */
  explicitMac: boolean;
  /** NICs only: the path of the NIC in the document. */
  nicPath: (string | number)[] | null;
}

/** The NICs of host/server/router and the ports of switch/hub, each with its MAC. Assumes valid MACs. */
export function interfacesOf(doc: LabDoc, machine: number, ports: number): Interface[] {
  const m = doc.machines[machine]!;
  if (!hasNics(m.kind)) {
    return Array.from({ length: ports }, (_, k) => ({
      machine,
      index: k,
      name: portName(k + 1),
      mac: deriveMac(machine, k),
      explicitMac: false,
      nicPath: null,
    }));
  }
  return (m.nics ?? []).map((nic, j) => {
    const given = nic.mac === undefined ? null : parseMac(nic.mac);
    return {
      machine,
      index: j,
      name: nic.name,
      mac: given ?? deriveMac(machine, j),
      explicitMac: given !== null,
      nicPath: ['machines', machine, 'nics', j],
    };
  });
}
