// "Auto-address": one /24 per L2 segment, gateways toward the router.
// A segment is what a broadcast reaches: NICs joined by cables, switches and hubs (routers end it).
// Addresses already in the document stay; a segment that has one keeps its subnet, and new subnets
// are 10.0.N.0/24 not used anywhere in the lab. Routers take .1 upwards, other machines .10
// upwards (the convention of most teaching labs), and a host or server without a gateway gets the
// first router address on its segment. Unlinked NICs are left alone.

import { formatIpv4, parseCidr, prefixMask } from '../../shared/wire/address';
import { hasNics } from '../../shared/lab/limits';
import { parseLinkEnd } from '../../shared/lab/topology';
import type { LabDoc, MachineDoc, NicDoc } from '../../shared/lab/types';
import type { Edit } from './edits';

const PREFIX = 24;
const ROUTER_FIRST = 1;
const HOST_FIRST = 10;

interface Member {
  machine: number;
  nic: number;
}

export function autoAddress(doc: LabDoc): Edit<{ assigned: number }> {
  const segments = l2Segments(doc);
  const machines: MachineDoc[] = doc.machines.map((m) => (m.nics ? { ...m, nics: m.nics.map((n) => ({ ...n })) } : { ...m }));
  const nicOf = (x: Member): NicDoc => machines[x.machine]!.nics![x.nic]!;
  const usedNets = new Set<number>();
  const usedAddrs = new Set<number>();
  for (const m of machines) {
    for (const n of m.nics ?? []) {
      const c = n.ip === undefined ? null : parseCidr(n.ip);
      if (c) {
        usedNets.add((c.addr & prefixMask(c.prefix)) >>> 0);
        usedAddrs.add(c.addr);
      }
    }
  }
  let nextNet = 1;
  const freshNet = (): number | null => {
    for (; nextNet <= 0xffff; nextNet++) {
      const net = ((10 << 24) | (nextNet << 8)) >>> 0;
      if (![...usedNets].some((u) => ((u & prefixMask(PREFIX)) >>> 0) === net)) {
        usedNets.add(net);
        return net;
      }
    }
    return null;
  };
  let assigned = 0;
  const routerOnSegment = new Map<number, string>();
  for (const [s, members] of segments.entries()) {
    const existing = members.map((x) => parseCidr(nicOf(x).ip ?? '')).find((c) => c !== null);
    const net = existing ? ((existing.addr & prefixMask(existing.prefix)) >>> 0) : freshNet();
    if (net === null) return { ok: false, reason: 'no free 10.x.y.0/24 subnet left' };
    const prefix = existing?.prefix ?? PREFIX;
    const size = 2 ** (32 - prefix);
    const take = (first: number): number | null => {
      for (let h = Math.min(first, size - 2); h <= size - 2; h++) {
        const a = (net + h) >>> 0;
        if (!usedAddrs.has(a)) {
          usedAddrs.add(a);
          return a;
        }
      }
      return null;
    };
    // Routers first, so they get the low addresses whatever the machine order.
    const ordered = [...members].sort((a, b) => rank(machines[a.machine]!) - rank(machines[b.machine]!));
    for (const x of ordered) {
      const m = machines[x.machine]!;
      const nic = nicOf(x);
      if (nic.ip === undefined && !otherNicInSubnet(m, x.nic, net, prefix)) {
        const a = take(m.kind === 'router' ? ROUTER_FIRST : HOST_FIRST);
        if (a === null) return { ok: false, reason: `the ${formatIpv4(net)}/${prefix} segment of ${m.id}:${nic.name} has no free address` };
        nic.ip = `${formatIpv4(a)}/${prefix}`;
        assigned++;
      }
      if (m.kind === 'router' && nic.ip !== undefined && !routerOnSegment.has(s)) routerOnSegment.set(s, nic.ip.split('/')[0]!);
    }
  }
  for (const [s, members] of segments.entries()) {
    const gw = routerOnSegment.get(s);
    if (gw === undefined) continue;
    for (const x of members) {
      const m = machines[x.machine]!;
      if (m.kind !== 'router' && m.gateway === undefined && nicOf(x).ip !== undefined) {
        m.gateway = gw;
        assigned++;
      }
    }
  }
  if (assigned === 0) return { ok: true, doc, label: 'auto-address', assigned };
  return { ok: true, doc: { ...doc, machines }, label: 'auto-address', assigned };
}

function rank(m: MachineDoc): number {
  return m.kind === 'router' ? 0 : 1;
}

function otherNicInSubnet(m: MachineDoc, self: number, net: number, prefix: number): boolean {
  return (m.nics ?? []).some((n, j) => {
    const c = j === self || n.ip === undefined ? null : parseCidr(n.ip);
    return c !== null && ((c.addr & prefixMask(Math.min(prefix, c.prefix))) >>> 0) === ((net & prefixMask(Math.min(prefix, c.prefix))) >>> 0);
  });
}

/** The NICs of each L2 segment that has at least one linked NIC, in document order. */
export function l2Segments(doc: LabDoc): Member[][] {
  const index = new Map(doc.machines.map((m, i) => [m.id, i]));
  // Union-find over keys: "n:<machine>:<nic>" for NICs, "s:<machine>" for a whole switch or hub.
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let r = k;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!;
    parent.set(k, r);
    return r;
  };
  const keyOf = (end: string): string | null => {
    const e = parseLinkEnd(end);
    const i = e ? index.get(e.machine) : undefined;
    if (!e || i === undefined) return null;
    const m = doc.machines[i]!;
    if (!hasNics(m.kind)) return `s:${i}`;
    const j = (m.nics ?? []).findIndex((n) => n.name === e.nic);
    return j < 0 ? null : `n:${i}:${j}`;
  };
  const linked = new Set<string>();
  for (const l of doc.links) {
    const a = keyOf(l.a);
    const b = keyOf(l.b);
    if (a === null || b === null) continue;
    linked.add(a).add(b);
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(rb, ra);
  }
  const byRoot = new Map<string, Member[]>();
  doc.machines.forEach((m, i) => {
    (m.nics ?? []).forEach((_, j) => {
      const k = `n:${i}:${j}`;
      if (!hasNics(m.kind) || !linked.has(k)) return;
      const r = find(k);
      const list = byRoot.get(r) ?? [];
      list.push({ machine: i, nic: j });
      byRoot.set(r, list);
    });
  });
  return [...byRoot.values()];
}
