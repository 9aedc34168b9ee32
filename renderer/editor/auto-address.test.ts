import { describe, expect, it } from 'vitest';
import { validateLab } from '../../shared/lab/parse';
import type { LabDoc } from '../../shared/lab/types';
import { autoAddress, l2Segments } from './auto-address';
import { addLink, addMachine, type Edit } from './edits';

const empty: LabDoc = { format: 'packet-lab/1', name: 'lab', machines: [], links: [] };

function ok(e: Edit<unknown>): LabDoc {
  if (!e.ok) throw new Error(`refused: ${e.reason}`);
  const v = validateLab(e.doc);
  if (!v.ok) throw new Error(`invalid lab: ${JSON.stringify(v.errors)}`);
  return e.doc;
}

function build(kinds: Parameters<typeof addMachine>[1][], links: [string, string][]): LabDoc {
  let d = empty;
  for (const k of kinds) d = ok(addMachine(d, k, { x: 0, y: 0 }));
  for (const [a, b] of links) d = ok(addLink(d, a, b));
  return d;
}

const ips = (d: LabDoc): Record<string, (string | undefined)[]> =>
  Object.fromEntries(d.machines.filter((m) => m.nics).map((m) => [m.id, m.nics!.map((n) => n.ip)]));

describe('auto-address', () => {
  it('gives a switched segment one /24, hosts from .10', () => {
    const d = ok(autoAddress(build(['switch', 'host', 'host', 'host'], [['h1', 'sw1'], ['h2', 'sw1'], ['h3', 'sw1']])));
    expect(ips(d)).toEqual({ h1: ['10.0.1.10/24'], h2: ['10.0.1.11/24'], h3: ['10.0.1.12/24'] });
    expect(d.machines.every((m) => m.gateway === undefined)).toBe(true);
  });

  it('gives each side of a router its own subnet, the router .1 and the hosts their gateway', () => {
    const d = ok(autoAddress(build(['host', 'switch', 'router', 'hub', 'server'], [['h1', 'sw1'], ['sw1', 'r1'], ['r1', 'hub1'], ['hub1', 'srv1']])));
    expect(ips(d)).toEqual({ h1: ['10.0.1.10/24'], r1: ['10.0.1.1/24', '10.0.2.1/24'], srv1: ['10.0.2.10/24'] });
    expect(d.machines.find((m) => m.id === 'h1')!.gateway).toBe('10.0.1.1');
    expect(d.machines.find((m) => m.id === 'srv1')!.gateway).toBe('10.0.2.1');
    expect(d.machines.find((m) => m.id === 'r1')!.gateway).toBeUndefined();
  });

  it('keeps addresses and gateways already there, uses their subnet and avoids their numbers', () => {
    let d = build(['switch', 'host', 'host', 'host', 'switch', 'host'], [['h1', 'sw1'], ['h2', 'sw1'], ['h3', 'sw2'], ['h4', 'sw2']]);
    d = { ...d, machines: d.machines.map((m) => (m.id === 'h2' ? { ...m, nics: [{ name: 'eth0', ip: '192.168.5.10/24' }], gateway: '192.168.5.254' } : m)) };
    d = { ...d, machines: d.machines.map((m) => (m.id === 'h3' ? { ...m, nics: [{ name: 'eth0', ip: '10.0.1.7/24' }] } : m)) };
    const out = ok(autoAddress(d));
    expect(ips(out)).toEqual({ h1: ['192.168.5.11/24'], h2: ['192.168.5.10/24'], h3: ['10.0.1.7/24'], h4: ['10.0.1.10/24'] });
    expect(out.machines.find((m) => m.id === 'h2')!.gateway).toBe('192.168.5.254');
  });

  it('skips subnets in use elsewhere and leaves unlinked NICs alone; a second run changes nothing', () => {
    let d = build(['host', 'switch', 'host', 'host'], [['h1', 'sw1']]);
    d = { ...d, machines: d.machines.map((m) => (m.id === 'h3' ? { ...m, nics: [{ name: 'eth0', ip: '10.0.1.5/24' }] } : m)) };
    const out = ok(autoAddress(d));
    expect(ips(out)).toEqual({ h1: ['10.0.2.10/24'], h2: [undefined], h3: ['10.0.1.5/24'] });
    const again = autoAddress(out);
    expect(again.ok && again.doc).toBe(out);
  });

  it('finds segments through chains of switches and hubs, and stops at routers', () => {
    const d = build(['host', 'switch', 'hub', 'switch', 'host', 'router', 'host'], [['h1', 'sw1'], ['sw1', 'hub1'], ['hub1', 'sw2'], ['sw2', 'h2'], ['sw2', 'r1'], ['r1', 'h3']]);
    const names = l2Segments(d).map((seg) => seg.map((x) => `${d.machines[x.machine]!.id}:${d.machines[x.machine]!.nics![x.nic]!.name}`));
    expect(names).toEqual([['h1:eth0', 'h2:eth0', 'r1:eth0'], ['r1:eth1', 'h3:eth0']]);
  });
});
