// Every file in examples/ loads, round-trips and is already in canonical form; every file in
// examples/bad/ fails with exactly the messages documented here.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatLabError, parseLab, serializeLab } from './index';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
const BAD = `${EXAMPLES}bad/`;

const good = readdirSync(EXAMPLES).filter((f) => f.endsWith('.lab.json'));
const bad = readdirSync(BAD).filter((f) => f.endsWith('.lab.json'));

/** The exact errors each bad example produces. */
const BAD_EXPECTED: Record<string, string[]> = {
  'invalid-json.lab.json': ['invalid JSON at 3:26: missing "," after a property value'],
  'bad-ip.lab.json': ['machines[1].nics[0].ip: "10.0.0.300/24" is not an IPv4 address with prefix (like "10.0.0.1/24")'],
  'unknown-endpoint.lab.json': ['links[0].b: no machine "srv"', 'links[1].b: machine "server" has no NIC "eth1"'],
  'duplicate-id.lab.json': ['machines[2].id: duplicate machine id "client" (also machines[0])'],
};

describe('examples/', () => {
  it('has the default lab and the minimal two-host lab', () => {
    expect(good).toEqual(expect.arrayContaining(['default.lab.json', 'two-hosts.lab.json']));
  });

  it.each(good)('%s loads, round-trips and is in canonical form', (file) => {
    const text = readFileSync(EXAMPLES + file, 'utf8');
    const r = parseLab(text);
    if (!r.ok) throw new Error(r.errors.map(formatLabError).join('\n'));
    expect(serializeLab(r.doc)).toBe(text);
    const again = parseLab(serializeLab(r.doc));
    expect(again).toEqual(r);
  });
});

describe('examples/bad/', () => {
  it('documents every bad example', () => {
    expect(bad.sort()).toEqual(Object.keys(BAD_EXPECTED).sort());
  });

  it.each(bad)('%s fails with the documented messages', (file) => {
    const r = parseLab(readFileSync(BAD + file, 'utf8'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map(formatLabError)).toEqual(BAD_EXPECTED[file]);
  });
});

describe('the default lab', () => {
  const r = parseLab(readFileSync(`${EXAMPLES}default.lab.json`, 'utf8'));
  if (!r.ok) throw new Error(r.errors.map(formatLabError).join('\n'));

  it('is two hosts and a server on a switch', () => {
    expect(r.doc.name).toBe('Two hosts and a server on a switch');
    expect(r.lab.machines.map((m) => [m.id, m.kind, m.nics[0]?.ip?.addr])).toEqual([
      ['server', 'server', 0x0a00000a],
      ['sw1', 'switch', undefined],
      ['alice', 'host', 0x0a00000b],
      ['bob', 'host', 0x0a00000c],
    ]);
    expect(r.lab.links.map((l) => `${l.a.machine}:${l.a.nic}-${l.b.machine}:${l.b.nic} ${l.latencyNs} ${l.bandwidthBps}`)).toEqual([
      'server:eth0-sw1:p1 1000000 100000000',
      'alice:eth0-sw1:p2 1000000 100000000',
      'bob:eth0-sw1:p3 1000000 100000000',
    ]);
    expect(r.lab.script).toEqual([{ atNs: 1_000_000_000, on: 'alice', run: 'ping -c 3 10.0.0.10', input: [] }]);
  });

  it('lays the canvas out top to bottom: server, switch, hosts', () => {
    const pos = Object.fromEntries(r.doc.machines.map((m) => [m.id, m.position!]));
    expect(pos.server!.y).toBeLessThan(pos.sw1!.y);
    expect(pos.sw1!.y).toBeLessThan(pos.alice!.y);
    expect(pos.alice!.y).toBe(pos.bob!.y);
    expect(pos.alice!.x).toBeLessThan(pos.sw1!.x);
    expect(pos.bob!.x).toBeGreaterThan(pos.sw1!.x);
    for (const p of Object.values(pos)) {
      expect(p.x).toBeGreaterThanOrEqual(0);
      expect(p.x).toBeLessThanOrEqual(600);
      expect(p.y).toBeGreaterThanOrEqual(0);
      expect(p.y).toBeLessThanOrEqual(600);
    }
  });
});
