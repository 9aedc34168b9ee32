// Checks across fields, run on a document the schema accepted. Every problem found is reported (no
// stop at the first), each at the path of the field to fix, naming the other party ("also ...").

import { formatIpv4, formatMac, formatSubnet, parseCidr, parseIpv4, sameSubnet, subnetEdge } from '../wire/address';
import type { Problem } from './issues';
import { formatPath, showValue } from './messages';
import { hasNics, MAX_PORTS, portNumber } from './limits';
import { interfacesOf, machineIndex, parseLinkEnd, portCounts } from './topology';
import { parseSysctl, SYSCTLS } from '../kernel/sysctl';
import { serviceInfo } from '../kernel/services';
import type { LabDoc, MachineDoc } from './types';

export function checkLab(doc: LabDoc): Problem[] {
  const out: Problem[] = [];
  checkMachineIds(doc, out);
  doc.machines.forEach((m, i) => {
    checkKindFields(m, i, out);
    checkNicNames(m, i, out);
    checkOwnSubnets(m, i, out);
    checkGateway(m, i, out);
    checkSysctls(m, i, out);
    checkAccountsAndServices(m, i, out);
  });
  checkDuplicateIps(doc, out);
  checkDuplicateMacs(doc, out);
  checkLinks(doc, out);
  checkScript(doc, out);
  return out;
}

function checkMachineIds(doc: LabDoc, out: Problem[]): void {
  const first = new Map<string, number>();
  doc.machines.forEach((m, i) => {
    const j = first.get(m.id);
    if (j === undefined) first.set(m.id, i);
    else out.push({ path: ['machines', i, 'id'], message: `duplicate machine id "${m.id}" (also machines[${j}])` });
  });
}

/** A switch or hub has ports, not NICs; a host, server or router has NICs, not ports. */
function checkKindFields(m: MachineDoc, i: number, out: Problem[]): void {
  if (hasNics(m.kind)) {
    if (m.ports !== undefined) out.push({ path: ['machines', i, 'ports'], message: `only a switch or hub has ports (a ${m.kind} has "nics")` });
    return;
  }
  if (m.nics !== undefined) out.push({ path: ['machines', i, 'nics'], message: `a ${m.kind} has no NICs; its ports are p1..pN (set "ports" for N)` });
  if (m.gateway !== undefined) out.push({ path: ['machines', i, 'gateway'], message: `a ${m.kind} has no gateway` });
}

function checkNicNames(m: MachineDoc, i: number, out: Problem[]): void {
  if (!hasNics(m.kind)) return;
  const first = new Map<string, number>();
  (m.nics ?? []).forEach((nic, j) => {
    const k = first.get(nic.name);
    if (k === undefined) first.set(nic.name, j);
    else out.push({ path: ['machines', i, 'nics', j, 'name'], message: `duplicate NIC name "${nic.name}" (also machines[${i}].nics[${k}])` });
  });
}

interface NicAddr {
  j: number;
  text: string;
  addr: number;
  prefix: number;
}

function nicAddrs(m: MachineDoc): NicAddr[] {
  if (!hasNics(m.kind)) return [];
  const out: NicAddr[] = [];
  (m.nics ?? []).forEach((nic, j) => {
    const c = nic.ip === undefined ? null : parseCidr(nic.ip);
    if (c && nic.ip !== undefined) out.push({ j, text: nic.ip, ...c });
  });
  return out;
}

/** Two NICs of one machine on overlapping subnets make routing ambiguous (the same address twice is reported as a duplicate). */
function checkOwnSubnets(m: MachineDoc, i: number, out: Problem[]): void {
  const addrs = nicAddrs(m);
  for (let k = 1; k < addrs.length; k++) {
    const b = addrs[k]!;
    const a = addrs.slice(0, k).find((x) => x.addr !== b.addr && sameSubnet(x.addr, b.addr, Math.min(x.prefix, b.prefix)));
    if (a) {
      out.push({
        path: ['machines', i, 'nics', b.j, 'ip'],
        message: `${b.text} is in the same subnet as machines[${i}].nics[${a.j}] (${a.text})`,
      });
    }
  }
}

function checkGateway(m: MachineDoc, i: number, out: Problem[]): void {
  if (m.gateway === undefined || !hasNics(m.kind)) return;
  const gw = parseIpv4(m.gateway);
  if (gw === null) return;
  const path = ['machines', i, 'gateway'];
  const addrs = nicAddrs(m);
  const own = addrs.find((a) => a.addr === gw);
  if (own) {
    out.push({ path, message: `${m.gateway} is this machine's own address (machines[${i}].nics[${own.j}])` });
    return;
  }
  const inside = addrs.find((a) => sameSubnet(a.addr, gw, a.prefix));
  if (!inside) {
    const where = addrs.length === 0 ? `machine "${m.id}" has no IP address` : [...new Set(addrs.map((a) => formatSubnet(a.addr, a.prefix)))].join(', ');
    out.push({ path, message: `${m.gateway} is not inside any NIC's subnet (${where})` });
    return;
  }
  const edge = subnetEdge(gw, inside.prefix);
  if (edge !== null) out.push({ path, message: `${m.gateway} is the ${edge} address of ${formatSubnet(inside.addr, inside.prefix)}, not a host` });
}

function checkDuplicateIps(doc: LabDoc, out: Problem[]): void {
  const first = new Map<number, string>();
  doc.machines.forEach((m, i) => {
    for (const a of nicAddrs(m)) {
      const other = first.get(a.addr);
      const here = `machines[${i}].nics[${a.j}]`;
      if (other === undefined) first.set(a.addr, here);
      else out.push({ path: ['machines', i, 'nics', a.j, 'ip'], message: `duplicate IP address ${formatIpv4(a.addr)} (also ${other})` });
    }
  });
}

/**
 * Derived MACs are distinct by construction; a MAC written in the file may collide with another
 * written one or with a derived one. The problem is reported on the written MAC.
 */
function checkDuplicateMacs(doc: LabDoc, out: Problem[]): void {
  const ports = portCounts(doc);
  const ifaces = doc.machines.flatMap((_, i) => interfacesOf(doc, i, ports[i]!));
  const derived = new Map<number, string>();
  for (const f of ifaces) {
    if (f.explicitMac) continue;
    derived.set(f.mac, f.nicPath ? formatPath(f.nicPath) : `${doc.machines[f.machine]!.id}:${f.name}`);
  }
  const written = new Map<number, string>();
  for (const f of ifaces) {
    if (!f.explicitMac || !f.nicPath) continue;
    const path = [...f.nicPath, 'mac'];
    const asDerived = derived.get(f.mac);
    const asWritten = written.get(f.mac);
    if (asDerived !== undefined) out.push({ path, message: `duplicate MAC address ${formatMac(f.mac)} (also the derived MAC of ${asDerived})` });
    else if (asWritten !== undefined) out.push({ path, message: `duplicate MAC address ${formatMac(f.mac)} (also ${asWritten})` });
    else written.set(f.mac, formatPath(f.nicPath));
  }
}

function checkLinks(doc: LabDoc, out: Problem[]): void {
  const byId = machineIndex(doc);
  const connected = new Map<string, number>();
  doc.links.forEach((link, i) => {
    const ends = (['a', 'b'] as const).map((side) => ({ side, end: parseLinkEnd(link[side]) }));
    const valid = ends.map(({ side, end }) => end !== null && checkLinkEnd(doc, byId, end.machine, end.nic, ['links', i, side], out));
    const [a, b] = [ends[0]!.end, ends[1]!.end];
    if (a && b && a.machine === b.machine && byId.has(a.machine)) {
      out.push({ path: ['links', i], message: `both ends are on machine "${a.machine}" (a link joins two different machines)` });
      return;
    }
    ends.forEach(({ side, end }, k) => {
      if (!end || !valid[k]) return;
      const key = `${end.machine}:${end.nic}`; // both parts are a valid id and NIC/port name here
      const other = connected.get(key);
      if (other === undefined) connected.set(key, i);
      else out.push({ path: ['links', i, side], message: `"${key}" is already connected by links[${other}]` });
    });
  });
}

/** Whether the end names an existing NIC or port; reports the problem otherwise. */
function checkLinkEnd(doc: LabDoc, byId: Map<string, number>, machine: string, nic: string, path: (string | number)[], out: Problem[]): boolean {
  const i = byId.get(machine);
  if (i === undefined) {
    out.push({ path, message: `no machine ${showValue(machine)}` });
    return false;
  }
  const m = doc.machines[i]!;
  if (!hasNics(m.kind)) {
    if (portNumber(nic) !== null) return true;
    out.push({ path, message: `${m.kind} ${showValue(machine)} has no port ${showValue(nic)} (ports are p1..p${MAX_PORTS})` });
    return false;
  }
  if ((m.nics ?? []).some((n) => n.name === nic)) return true;
  out.push({ path, message: `machine ${showValue(machine)} has no NIC ${showValue(nic)}` });
  return false;
}

function checkScript(doc: LabDoc, out: Problem[]): void {
  const byId = machineIndex(doc);
  (doc.script ?? []).forEach((entry, i) => {
    const path = ['script', i, 'on'];
    const k = byId.get(entry.on);
    if (k === undefined) {
      out.push({ path, message: `no machine ${showValue(entry.on)}` });
      return;
    }
    const kind = doc.machines[k]!.kind;
    if (!hasNics(kind)) out.push({ path, message: `${showValue(entry.on)} is a ${kind}, which has no shell (scripts run on a host, server or router)` });
  });
}

/**
 * Users, services and the resolver need a machine with a shell; user names are unique; two
 * services of one machine cannot take the same port and protocol.
 */
function checkAccountsAndServices(m: MachineDoc, i: number, out: Problem[]): void {
  m.routes?.forEach((r, j) => {
    const via = parseIpv4(r.via);
    if (via === null || !hasNics(m.kind)) return;
    const nics = m.nics ?? [];
    if (!nics.some((n) => {
      const c = n.ip ? parseCidr(n.ip) : null;
      return c !== null && sameSubnet(c.addr, via, c.prefix);
    })) out.push({ path: ['machines', i, 'routes', j, 'via'], message: `${showValue(r.via)} is not on any of ${m.id}'s subnets (a next hop must be directly reachable)` });
  });
  for (const key of ['users', 'services', 'dns', 'routes'] as const) {
    if (m[key] !== undefined && !hasNics(m.kind)) out.push({ path: ['machines', i, key], message: `a ${m.kind} runs no programs, so it has no ${key === 'dns' ? 'resolver' : key === 'routes' ? 'routing table' : key}` });
  }
  if (!hasNics(m.kind)) return;
  const names = new Map<string, number>();
  m.users?.forEach((u, j) => {
    const first = names.get(u.name);
    if (first !== undefined) out.push({ path: ['machines', i, 'users', j, 'name'], message: `user ${showValue(u.name)} is already defined at users[${first}]` });
    else names.set(u.name, j);
  });
  const taken = new Map<string, number>();
  m.services?.forEach((s, j) => {
    const info = serviceInfo(s.name);
    if (!info) return; // the schema reported it
    const port = s.port ?? info.port;
    for (const proto of info.proto.split('+')) {
      const key = `${proto}/${port}`;
      const first = taken.get(key);
      if (first !== undefined) out.push({ path: ['machines', i, 'services', j], message: `port ${port}/${proto} is already taken by services[${first}] (${m.services![first]!.name})` });
      else taken.set(key, j);
    }
  });
}

/** Each sysctl must be one the lab's kernel has, with a value its proc handler accepts. */
function checkSysctls(m: MachineDoc, i: number, out: Problem[]): void {
  if (!m.sysctl) return;
  if (!hasNics(m.kind)) {
    out.push({ path: ['machines', i, 'sysctl'], message: `a ${m.kind} has no kernel settings` });
    return;
  }
  for (const [name, value] of Object.entries(m.sysctl)) {
    const path = ['machines', i, 'sysctl', name];
    if (!Object.hasOwn(SYSCTLS, name)) {
      out.push({ path, message: `unknown sysctl (known: ${Object.keys(SYSCTLS).join(', ')})` });
      continue;
    }
    const r = parseSysctl(name, String(value));
    if ('error' in r) out.push({ path, message: r.error });
  }
}
