import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../../../shared/testing/random';
import { IP_LOCAL_PORT_RANGE, chooseBindPort, chooseConnectPort, newPerturbTable, type PerturbTable } from './ephemeral';
import { makeTcpSecrets, type TcpSecrets } from './isn';

const A = 0x0a000001;
const B = 0x0a000002;
const REMAINING = IP_LOCAL_PORT_RANGE.high + 1 - IP_LOCAL_PORT_RANGE.low; // 28232

function u32Source(seed: number) {
  const f = seededRandom(seed);
  return () => Math.floor(f() * 2 ** 32) >>> 0;
}

/** A machine: secrets, perturbation table, random stream, and the ports its sockets hold. */
function machine(seed: number) {
  const rand = u32Source(seed);
  return { rand, secrets: makeTcpSecrets(rand), perturb: newPerturbTable(), held: new Set<number>() };
}

function connect(m: { rand: () => number; secrets: TcpSecrets; perturb: PerturbTable; held: Set<number> }, dport: number) {
  const port = chooseConnectPort({
    secrets: m.secrets,
    localAddr: A,
    remoteAddr: B,
    remotePort: dport,
    perturb: m.perturb,
    rand: m.rand,
    // Each earlier connection left its 4-tuple in TIME_WAIT (capture f: client closes first).
    inUse: (p) => m.held.has(p),
  });
  if (port !== undefined) m.held.add(port);
  return port;
}

const inRange = (p: number) => p >= IP_LOCAL_PORT_RANGE.low && p <= IP_LOCAL_PORT_RANGE.high;

describe('connect() ephemeral ports (__inet_hash_connect), README rows 5-6, capture f', () => {
  it('successive connects to one destination: even ports climbing by small even steps (2..16)', () => {
    // Capture f: 47356, 47364, 47370, 47376, 47386, 47390, 47398, 47402, 47418, 47422.
    for (const seed of [1, 2, 3, 4, 5]) {
      const m = machine(seed);
      const ports = Array.from({ length: 10 }, () => connect(m, 5030)!);
      for (const p of ports) {
        expect(inRange(p)).toBe(true);
        expect(p % 2).toBe(0);
      }
      for (let i = 1; i < ports.length; i++) {
        const step = (ports[i]! - ports[i - 1]! + REMAINING) % REMAINING; // modulo the range (may wrap)
        expect(step % 2).toBe(0);
        expect(step).toBeGreaterThanOrEqual(2);
        expect(step).toBeLessThanOrEqual(16);
      }
    }
  });

  it('a different destination port starts in another region (capture f: :5031 -> 50418...)', () => {
    const m = machine(11);
    const a = connect(m, 5030)!;
    const b = connect(m, 5031)!;
    expect(Math.abs(a - b)).toBeGreaterThan(16);
    expect(b % 2).toBe(0);
  });

  it('is deterministic for a seed', () => {
    const run = () => {
      const m = machine(99);
      return [connect(m, 5030), connect(m, 5030), connect(m, 5031)];
    };
    expect(run()).toEqual(run());
  });

  it('skips ports in use and scans on with the same parity; the scan length feeds the perturbation', () => {
    const m = machine(21);
    const probe = machine(21); // same state, to learn where the scan would start
    const first = connect(probe, 5030)!;
    // Block that port and the next 9 even ones: the choice moves 20 past, all even.
    for (let k = 0; k < 10; k++) m.held.add(first + 2 * k);
    const port = connect(m, 5030)!;
    expect(port).toBe(first + 20);
    // i = 20 dominates random(0..7) * 2 <= 14: the bucket advanced by 20 + 2, so the next connect
    // starts (and, that port being free, lands) at first + 22.
    const next = connect(m, 5030)!;
    expect(next).toBe(first + 22);
  });

  it('uses odd ports only when every even port is taken, then fails (EADDRNOTAVAIL)', () => {
    const range = { low: 40000, high: 40009 }; // 10 ports
    const rand = u32Source(5);
    const secrets = makeTcpSecrets(rand);
    const perturb = newPerturbTable();
    const held = new Set<number>();
    const pick = () => {
      const p = chooseConnectPort({ secrets, localAddr: A, remoteAddr: B, remotePort: 80, perturb, rand, range, inUse: (x) => held.has(x) });
      if (p !== undefined) held.add(p);
      return p;
    };
    const got = Array.from({ length: 10 }, pick);
    expect(got.slice(0, 5).every((p) => p! % 2 === 0)).toBe(true);
    expect(got.slice(5).every((p) => p! % 2 === 1)).toBe(true);
    expect(new Set(got).size).toBe(10);
    expect(pick()).toBeUndefined();
  });

  it('never picks a reserved port (ip_local_reserved_ports)', () => {
    const m = machine(3);
    const probe = machine(3);
    const first = connect(probe, 5030)!;
    const port = chooseConnectPort({
      secrets: m.secrets,
      localAddr: A,
      remoteAddr: B,
      remotePort: 5030,
      perturb: m.perturb,
      rand: m.rand,
      inUse: () => false,
      reserved: (p) => p === first,
    });
    expect(port).toBe(first + 2);
  });
});

describe('bind(0) / autobind ports (inet_csk_find_open_port), README row 7', () => {
  it('random odd ports across the range (capture f: 56317, 42883, 41363, 56439, 58971, 36711)', () => {
    const rand = u32Source(8);
    const held = new Set<number>();
    const ports = Array.from({ length: 6 }, () => {
      const p = chooseBindPort({ rand, inUse: (x) => held.has(x) })!;
      held.add(p);
      return p;
    });
    for (const p of ports) {
      expect(inRange(p)).toBe(true);
      expect(p % 2).toBe(1);
    }
    // Spread out, not consecutive.
    expect(Math.max(...ports) - Math.min(...ports)).toBeGreaterThan(1000);
  });

  it('with SO_REUSEADDR the lower half [32768, 46884) is tried first', () => {
    const rand = u32Source(9);
    for (let k = 0; k < 20; k++) {
      const p = chooseBindPort({ rand, inUse: () => false, reuseAddr: true })!;
      expect(p).toBeLessThan(46884);
      expect(p % 2).toBe(1);
    }
    // Lower half full: the upper half is used.
    expect(chooseBindPort({ rand, inUse: (p) => p < 46884, reuseAddr: true })).toBeGreaterThanOrEqual(46884);
  });

  it('falls back to even ports, then fails (EADDRINUSE)', () => {
    const rand = u32Source(10);
    const range = { low: 50000, high: 50003 };
    expect(chooseBindPort({ rand, range, inUse: (p) => p % 2 === 1 })! % 2).toBe(0);
    expect(chooseBindPort({ rand, range, inUse: () => true })).toBeUndefined();
  });
});
