// A checked document -> the resolved lab the engine runs: numbers instead of strings, defaults
// filled in, MACs derived, switch/hub ports listed, script sorted by time. Only called after the
// schema and checks passed, so every parse here succeeds.

import { parseCidr, parseIpv4 } from '../wire/address';
import { DEFAULT_BANDWIDTH, DEFAULT_LATENCY, DEFAULT_LOSS, DEFAULT_MTU, DEFAULT_SEED } from './limits';
import { interfacesOf, parseLinkEnd, portCounts } from './topology';
import type { LabDoc, LinkDoc, ResolvedLab, ResolvedLink, ResolvedMachine, ResolvedNic, ResolvedScriptEntry } from './types';
import { parseDuration, parseRate } from './units';

export function resolveLab(doc: LabDoc): ResolvedLab {
  const ports = portCounts(doc);
  const script: ResolvedScriptEntry[] = (doc.script ?? []).map((e) => ({
    atNs: valid(parseDuration(e.at), e.at),
    on: e.on,
    run: e.run,
    input: [...(e.input ?? [])],
  }));
  // Array.prototype.sort is stable (ES2019): entries at the same time keep their file order.
  script.sort((x, y) => x.atNs - y.atNs);
  return {
    name: doc.name,
    seed: doc.seed ?? DEFAULT_SEED,
    machines: doc.machines.map((_, i) => resolveMachine(doc, i, ports[i]!)),
    links: doc.links.map(resolveLink),
    script,
  };
}

function resolveMachine(doc: LabDoc, i: number, ports: number): ResolvedMachine {
  const m = doc.machines[i]!;
  const nicDocs = m.nics ?? [];
  const nics = interfacesOf(doc, i, ports).map((f): ResolvedNic => {
    const ip = f.nicPath ? nicDocs[f.index]?.ip : undefined;
    return ip === undefined ? { name: f.name, mac: f.mac } : { name: f.name, mac: f.mac, ip: valid(parseCidr(ip), ip) };
  });
  const out: ResolvedMachine = { id: m.id, kind: m.kind, nics };
  if (m.gateway !== undefined) out.gateway = valid(parseIpv4(m.gateway), m.gateway);
  if (m.sysctl) out.sysctl = Object.fromEntries(Object.entries(m.sysctl).map(([k, v]) => [k, String(v)]));
  if (m.dns !== undefined) out.dns = valid(parseIpv4(m.dns), m.dns);
  if (m.users) out.users = m.users.map((u) => ({ name: u.name, password: u.password }));
  if (m.routes) out.routes = m.routes.map((r) => {
    const c = valid(parseCidr(r.to), r.to);
    return { dst: c.addr, prefix: c.prefix, via: valid(parseIpv4(r.via), r.via) };
  });
  if (m.services) out.services = m.services.map((s) => (s.port === undefined ? { name: s.name } : { name: s.name, port: s.port }));
  return out;
}

function resolveLink(l: LinkDoc): ResolvedLink {
  const latency = l.latency ?? DEFAULT_LATENCY;
  const bandwidth = l.bandwidth ?? DEFAULT_BANDWIDTH;
  return {
    a: valid(parseLinkEnd(l.a), l.a),
    b: valid(parseLinkEnd(l.b), l.b),
    latencyNs: valid(parseDuration(latency), latency),
    bandwidthBps: valid(parseRate(bandwidth), bandwidth),
    loss: l.loss ?? DEFAULT_LOSS,
    mtu: l.mtu ?? DEFAULT_MTU,
    up: l.up ?? true,
  };
}

/** The schema accepted `text`, so its parse cannot fail; failing here is a bug in the schema. */
function valid<T>(v: T | null, text: string): T {
  if (v === null) throw new Error(`lab resolve: ${JSON.stringify(text)} passed the schema but does not parse`);
  return v;
}
