import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatMac } from '../wire/address';
import { deriveMac, formatLabError, parseLab, validateLab, type LabDoc, type ResolvedLab } from './index';

/** The minimal document of the lab format, exactly as examples/two-hosts.lab.json holds it. */
const MINIMAL = `{ "format": "packet-lab/1", "name": "two hosts", "seed": 7, "machines": [ { "id": "client", "kind": "host", "nics": [ { "name": "eth0", "ip": "10.0.0.1/24" } ] }, { "id": "server", "kind": "host", "nics": [ { "name": "eth0", "ip": "10.0.0.2/24" } ] } ], "links": [ { "a": "client:eth0", "b": "server:eth0", "latency": "1ms", "bandwidth": "100Mbps" } ], "script": [ { "at": "1s", "on": "client", "run": "ping -c 3 10.0.0.2" } ] }`;

function resolved(doc: unknown): ResolvedLab {
  const r = validateLab(doc);
  if (!r.ok) throw new Error(r.errors.map(formatLabError).join('\n'));
  return r.lab;
}

const macs = (lab: ResolvedLab, id: string) => lab.machines.find((m) => m.id === id)!.nics.map((n) => formatMac(n.mac));

describe('resolution', () => {
  it('resolves the minimal document, deriving MACs', () => {
    const r = parseLab(MINIMAL);
    if (!r.ok) throw new Error(r.errors.map(formatLabError).join('\n'));
    expect(r.lab).toEqual({
      name: 'two hosts',
      seed: 7,
      machines: [
        { id: 'client', kind: 'host', nics: [{ name: 'eth0', mac: 0x02_00_00_00_01_01, ip: { addr: 0x0a_00_00_01, prefix: 24 } }] },
        { id: 'server', kind: 'host', nics: [{ name: 'eth0', mac: 0x02_00_00_00_02_01, ip: { addr: 0x0a_00_00_02, prefix: 24 } }] },
      ],
      links: [{ a: { machine: 'client', nic: 'eth0' }, b: { machine: 'server', nic: 'eth0' }, latencyNs: 1_000_000, bandwidthBps: 100_000_000, loss: 0, mtu: 1500, up: true }],
      script: [{ atNs: 1_000_000_000, on: 'client', run: 'ping -c 3 10.0.0.2', input: [] }],
    } satisfies ResolvedLab);
    expect(macs(r.lab, 'client')).toEqual(['02:00:00:00:01:01']);
    expect(macs(r.lab, 'server')).toEqual(['02:00:00:00:02:01']);
  });

  it('is what examples/two-hosts.lab.json holds (there in canonical layout)', () => {
    const file = readFileSync(new URL('../../examples/two-hosts.lab.json', import.meta.url), 'utf8');
    expect(JSON.parse(file)).toEqual(JSON.parse(MINIMAL));
  });

  it('fills in defaults: seed 1, latency 100us, bandwidth 1Gbps, loss 0, MTU 1500, up', () => {
    const lab = resolved({
      format: 'packet-lab/1',
      name: 'defaults',
      machines: [{ id: 'a', kind: 'host', nics: [{ name: 'eth0' }] }, { id: 'b', kind: 'host', nics: [{ name: 'eth0' }] }],
      links: [{ a: 'a:eth0', b: 'b:eth0' }],
    });
    expect(lab.seed).toBe(1);
    expect(lab.links[0]).toEqual({ a: { machine: 'a', nic: 'eth0' }, b: { machine: 'b', nic: 'eth0' }, latencyNs: 100_000, bandwidthBps: 1_000_000_000, loss: 0, mtu: 1500, up: true });
    expect(lab.script).toEqual([]);
    expect(lab.machines[0]!.nics[0]).toEqual({ name: 'eth0', mac: 0x02_00_00_00_01_01 });
  });

  it('keeps link settings as written', () => {
    const lab = resolved({
      format: 'packet-lab/1',
      name: 'link',
      machines: [{ id: 'a', kind: 'host', nics: [{ name: 'eth0' }] }, { id: 'b', kind: 'host', nics: [{ name: 'eth0' }] }],
      links: [{ a: 'a:eth0', b: 'b:eth0', latency: '2.5ms', bandwidth: '64kbps', loss: 0.25, mtu: 576 }],
    });
    expect(lab.links[0]).toMatchObject({ latencyNs: 2_500_000, bandwidthBps: 64_000, loss: 0.25, mtu: 576 });
  });

  it('gives a switch ports p1..p8 by default, with MACs derived like NICs', () => {
    const lab = resolved({ format: 'packet-lab/1', name: 's', machines: [{ id: 'h', kind: 'host' }, { id: 'sw1', kind: 'switch' }], links: [] });
    expect(lab.machines[0]!.nics).toEqual([]);
    const sw = lab.machines[1]!;
    expect(sw.nics.map((n) => n.name)).toEqual(['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8']);
    expect(sw.nics.every((n) => n.ip === undefined)).toBe(true);
    expect(macs(lab, 'sw1')[0]).toBe('02:00:00:00:02:01');
    expect(macs(lab, 'sw1')[7]).toBe('02:00:00:00:02:08');
    expect(sw.gateway).toBeUndefined();
  });

  it('grows a switch or hub to the highest port a link names', () => {
    const lab = resolved({
      format: 'packet-lab/1',
      name: 'grow',
      machines: [
        { id: 'h', kind: 'host', nics: [{ name: 'eth0' }, { name: 'eth1' }] },
        { id: 'sw1', kind: 'switch', ports: 4 },
        { id: 'hub1', kind: 'hub', ports: 2 },
      ],
      links: [{ a: 'h:eth0', b: 'sw1:p6' }, { a: 'h:eth1', b: 'hub1:p64' }],
    });
    expect(lab.machines[1]!.nics).toHaveLength(6);
    expect(lab.machines[2]!.nics).toHaveLength(64);
    expect(macs(lab, 'hub1')[63]).toBe('02:00:00:00:03:40');
  });

  it('keeps an explicit port count above the ports in use', () => {
    const lab = resolved({ format: 'packet-lab/1', name: 'p', machines: [{ id: 'sw1', kind: 'switch', ports: 24 }], links: [] });
    expect(lab.machines[0]!.nics).toHaveLength(24);
  });

  it('uses a MAC written in the file, in any accepted spelling', () => {
    const lab = resolved({
      format: 'packet-lab/1',
      name: 'mac',
      machines: [{ id: 'a', kind: 'host', nics: [{ name: 'eth0', mac: '02-AA-BB-CC-DD-EE' }, { name: 'eth1' }] }],
      links: [],
    });
    expect(macs(lab, 'a')).toEqual(['02:aa:bb:cc:dd:ee', '02:00:00:00:01:02']);
  });

  it('resolves the gateway to a number and leaves it out when absent', () => {
    const lab = resolved({
      format: 'packet-lab/1',
      name: 'gw',
      machines: [{ id: 'a', kind: 'host', nics: [{ name: 'eth0', ip: '192.168.1.10/24' }], gateway: '192.168.1.1' }, { id: 'b', kind: 'router' }],
      links: [],
    });
    expect(lab.machines[0]!.gateway).toBe(0xc0_a8_01_01);
    expect('gateway' in lab.machines[1]!).toBe(false);
  });

  it('sorts the script by time, stably, and defaults input to []', () => {
    const doc: LabDoc = {
      format: 'packet-lab/1',
      name: 'script',
      machines: [{ id: 'a', kind: 'host' }],
      links: [],
      script: [
        { at: '2s', on: 'a', run: 'third' },
        { at: '1s', on: 'a', run: 'first' },
        { at: '1000ms', on: 'a', run: 'second', input: ['yes', ''] },
        { at: '0', on: 'a', run: 'zeroth' },
      ],
    };
    expect(resolved(doc).script).toEqual([
      { atNs: 0, on: 'a', run: 'zeroth', input: [] },
      { atNs: 1e9, on: 'a', run: 'first', input: [] },
      { atNs: 1e9, on: 'a', run: 'second', input: ['yes', ''] },
      { atNs: 2e9, on: 'a', run: 'third', input: [] },
    ]);
    // The document keeps the order it was written in.
    const r = validateLab(doc);
    expect(r.ok && r.doc.script!.map((e) => e.run)).toEqual(['third', 'first', 'second', 'zeroth']);
  });

  it('derives MACs as 02:00 + 3 bytes of machine index + 1 + 1 byte of NIC index + 1', () => {
    expect(formatMac(deriveMac(0, 0))).toBe('02:00:00:00:01:01');
    expect(formatMac(deriveMac(255, 63))).toBe('02:00:00:01:00:40');
    expect(formatMac(deriveMac(0xff_fffe, 0))).toBe('02:00:ff:ff:ff:01');
  });
});
