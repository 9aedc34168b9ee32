// Property-style tests: validateLab and parseLab never throw, whatever they are given, and whatever
// they accept is consistent (unique addresses, links on existing NICs, a lossless round trip).
// Seeded, so a failure reproduces; the seed and case number are in the assertion message.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkJson } from './json';
import { parseLab, serializeLab, validateLab, type LabDoc, type LabParseResult } from './index';
import { seededRandom as rng } from '../testing/random';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
const SEEDS = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith('.lab.json'))
  .map((f) => JSON.parse(readFileSync(EXAMPLES + f, 'utf8')) as LabDoc);


type Rand = () => number;
const pick = <T,>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** Values people (and bugs) put in lab files, valid and not. */
const PLAUSIBLE: unknown[] = [
  'host', 'switch', 'hub', 'router', 'server', 'eth0', 'eth1', 'p1', 'p9', 'p64', 'p65', 'lo', 'client', 'server',
  'client:eth0', 'server:eth0', 'sw1:p4', 'alice:eth0', 'bob:eth1', 'x:y', ':', 'a:b:c',
  '10.0.0.1/24', '10.0.0.2/24', '10.0.0.10/24', '10.0.1.1/24', '10.0.0.0/24', '10.0.0.255/24', '127.0.0.1/8', '10.0.0.1', '10.0.0.254',
  '02:00:00:00:01:01', '02:00:00:00:02:01', '02:aa:bb:cc:dd:ee', 'ff:ff:ff:ff:ff:ff', '00:00:00:00:00:00',
  '0', '1ms', '1.5s', '2m', '100us', '-1ms', '5 parsecs', '1Gbps', '10Mbps', '0bps', 'packet-lab/1', 'packet-lab/2', '', ' ',
  0, -0, 1, -1, 0.5, 1.5, 7, 8, 64, 65, 68, 1500, 9000, 9001, 2 ** 32, 1e300, NaN, Infinity, -Infinity,
  true, false, null, undefined, [], {}, [1, 2], { x: 1, y: 2 }, { x: '1', y: 2 }, { name: 'eth0' }, ['a\nb'],
];

/** A fresh copy: mutations must not reach the shared table. */
const plausible = (r: Rand): unknown => structuredClone(pick(r, PLAUSIBLE));

const KEYS = ['format', 'name', 'description', 'seed', 'machines', 'links', 'script', 'id', 'kind', 'nics', 'gateway', 'ports', 'position', 'ip', 'mac', 'x', 'y', 'a', 'b', 'latency', 'bandwidth', 'loss', 'mtu', 'at', 'on', 'run', 'input', 'nic', '__proto__', 'constructor', ''];

/** Any JS value, JSON-like or not. */
function randomValue(r: Rand, depth: number): unknown {
  const k = r();
  if (depth <= 0 || k < 0.45) {
    return r() < 0.6 ? plausible(r) : pick(r, [Symbol('s'), 10n, () => 1, new Date(0), 'x'.repeat(200), '\u0000', -0, Number.MAX_VALUE]);
  }
  if (k < 0.7) return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth - 1));
  const o: Record<string, unknown> = r() < 0.1 ? Object.create(null) : {};
  const n = Math.floor(r() * 5);
  for (let i = 0; i < n; i++) Object.defineProperty(o, pick(r, KEYS), { value: randomValue(r, depth - 1), enumerable: true, configurable: true, writable: true });
  return o;
}

/** Every container (object or array) inside v, with v itself (each once, cycles included). */
function containers(v: unknown, out = new Set<Record<string, unknown> | unknown[]>()): (Record<string, unknown> | unknown[])[] {
  if (typeof v === 'object' && v !== null && !out.has(v as object[])) {
    out.add(v as Record<string, unknown>);
    for (const c of Object.values(v)) containers(c, out);
  }
  return [...out];
}

/** One random edit somewhere in the tree. */
function mutate(r: Rand, root: unknown): void {
  const target = pick(r, containers(root));
  const keys = Object.keys(target);
  const key: string | number = Array.isArray(target) ? Math.floor(r() * (target.length + 1)) : keys.length > 0 && r() < 0.8 ? pick(r, keys) : pick(r, KEYS);
  const t = target as Record<string | number, unknown>;
  const op = r();
  if (op < 0.15) {
    if (Array.isArray(target)) target.splice(key as number, 1);
    else delete t[key];
  } else if (op < 0.3 && Array.isArray(target) && target.length > 0) {
    target.push(pick(r, target)); // shared, not copied: validateLab must not care
  } else if (op < 0.4 && typeof t[key] === 'string') {
    const s = t[key] as string;
    const at = Math.floor(r() * (s.length + 1));
    t[key] = s.slice(0, at) + pick(r, ['', 'x', ':', '.', '0', '9', ' ', '/']) + s.slice(at + 1);
  } else if (op < 0.5 && !Array.isArray(target) && keys.length > 0) {
    // Rename a key: the typo case.
    const from = pick(r, keys);
    const v = t[from];
    delete t[from];
    t[`${from}${pick(r, ['s', '', '_'])}`.slice(0, Math.max(1, from.length - (r() < 0.3 ? 1 : 0)) + 1)] = v;
  } else if (op < 0.85) {
    t[key] = plausible(r);
  } else {
    t[key] = randomValue(r, 3);
  }
}

function expectConsistent(result: LabParseResult, label: string): void {
  if (!result.ok) {
    expect(result.errors.length, label).toBeGreaterThan(0);
    for (const e of result.errors) {
      expect(typeof e.path, label).toBe('string');
      expect(typeof e.message, label).toBe('string');
      expect(e.message.length, label).toBeGreaterThan(0);
      expect(e.message, label).not.toMatch(/Invalid input|expected \w+, received/); // never zod's own wording
    }
    return;
  }
  const { doc, lab } = result;
  // A lossless round trip through the file text.
  const again = parseLab(serializeLab(doc));
  expect(again, label).toEqual(result);
  // Unique MACs and IPs; links on existing NICs; script in time order.
  const macs = lab.machines.flatMap((m) => m.nics.map((n) => n.mac));
  expect(new Set(macs).size, label).toBe(macs.length);
  const ips = lab.machines.flatMap((m) => m.nics.flatMap((n) => (n.ip ? [n.ip.addr] : [])));
  expect(new Set(ips).size, label).toBe(ips.length);
  for (const l of lab.links) {
    for (const end of [l.a, l.b]) expect(lab.machines.find((m) => m.id === end.machine)?.nics.some((n) => n.name === end.nic), label).toBe(true);
    expect(l.a.machine, label).not.toBe(l.b.machine);
  }
  for (let i = 1; i < lab.script.length; i++) expect(lab.script[i]!.atNs, label).toBeGreaterThanOrEqual(lab.script[i - 1]!.atNs);
}

describe('validateLab never throws', () => {
  it('on random values', () => {
    const r = rng(1);
    for (let i = 0; i < 3000; i++) {
      const v = randomValue(r, 5);
      let result: LabParseResult | undefined;
      expect(() => (result = validateLab(v)), `case ${i}`).not.toThrow();
      expectConsistent(result!, `random case ${i}`);
    }
  });

  it('on cyclic values', () => {
    const doc: Record<string, unknown> = { format: 'packet-lab/1', name: 'cycle', links: [] };
    const machine: Record<string, unknown> = { id: 'a', kind: 'host' };
    doc.machines = [machine, doc];
    machine.nics = doc.machines;
    machine.position = machine;
    const r = validateLab(doc);
    expect(r.ok).toBe(false);
    expectConsistent(r, 'cycle');
  });

  it('on random values under a valid header', () => {
    const r = rng(2);
    for (let i = 0; i < 2000; i++) {
      const v = { format: 'packet-lab/1', name: 'x', machines: randomValue(r, 4), links: randomValue(r, 4), script: randomValue(r, 3) };
      let result: LabParseResult | undefined;
      expect(() => (result = validateLab(v)), `case ${i}`).not.toThrow();
      expectConsistent(result!, `header case ${i}`);
    }
  });

  it('on mutated example labs (and what it accepts is consistent)', () => {
    const r = rng(3);
    let accepted = 0;
    for (let i = 0; i < 4000; i++) {
      const doc = structuredClone(pick(r, SEEDS)) as unknown;
      const edits = 1 + Math.floor(r() * 3);
      for (let k = 0; k < edits; k++) mutate(r, doc);
      let result: LabParseResult | undefined;
      expect(() => (result = validateLab(doc)), `case ${i}`).not.toThrow();
      expectConsistent(result!, `mutation case ${i}`);
      if (result!.ok) accepted++;
    }
    // The mutations should exercise both outcomes.
    expect(accepted).toBeGreaterThan(100);
    expect(accepted).toBeLessThan(3900);
  });
});

describe('parseLab never throws', () => {
  it('on mutated file text, and its JSON checker agrees with JSON.parse', () => {
    const r = rng(4);
    const texts = SEEDS.map(serializeLab);
    for (let i = 0; i < 3000; i++) {
      let t = pick(r, texts);
      const edits = 1 + Math.floor(r() * 3);
      for (let k = 0; k < edits; k++) {
        const at = Math.floor(r() * t.length);
        const op = r();
        const ch = pick(r, ['"', ',', ':', '{', '}', '[', ']', ' ', '\n', '\\', 'x', '1', '-', '.', 'e', '/', "'", '\t', '\u00e9']);
        t = op < 0.4 ? t.slice(0, at) + t.slice(at + 1) : op < 0.8 ? t.slice(0, at) + ch + t.slice(at) : t.slice(0, at) + ch + t.slice(at + 1);
      }
      let result: LabParseResult | undefined;
      expect(() => (result = parseLab(t)), `case ${i}`).not.toThrow();
      expectConsistent(result!, `text case ${i}`);
      let parses = true;
      try {
        JSON.parse(t);
      } catch {
        parses = false;
      }
      expect(checkJson(t).syntax === null, `text case ${i}: ${JSON.stringify(t)}`).toBe(parses);
      if (!parses) expect(result!.ok === false && result!.errors[0]!.message.startsWith('invalid JSON at ')).toBe(true);
    }
  });

  it('on random strings', () => {
    const r = rng(5);
    const alphabet = '{}[]",:0123456789.-+eE truefalsn\\/u\n\t\'ab';
    for (let i = 0; i < 3000; i++) {
      const t = Array.from({ length: Math.floor(r() * 40) }, () => pick(r, [...alphabet])).join('');
      let result: LabParseResult | undefined;
      expect(() => (result = parseLab(t)), `case ${i}`).not.toThrow();
      expectConsistent(result!, `string case ${i}`);
      let parses = true;
      try {
        JSON.parse(t);
      } catch {
        parses = false;
      }
      expect(checkJson(t).syntax === null, `string case ${i}: ${JSON.stringify(t)}`).toBe(parses);
    }
  });

  it('on values that are not text', () => {
    for (const v of [undefined, null, 5, {}, []]) {
      expect(parseLab(v as unknown as string)).toEqual({ ok: false, errors: [{ path: '', message: 'a lab file must be text' }] });
    }
  });
});
