// Bad input from the wire: truncated, corrupted and random frames are dropped with a named reason
// and counted; the machine keeps working.
import { describe, expect, it } from 'vitest';
import { Rng, SEC } from '../sim';
import { ScriptRunner } from '../script';
import { MemorySink, twoHosts } from '../test/lab-fixtures';
import { World } from '../world';

function goodEcho(): Uint8Array {
  // Capture a real echo request from a scripted ping and reuse its bytes.
  const sink = new MemorySink();
  const w = new World(twoHosts([{ atNs: 0, on: 'client', run: 'ping -c 1 10.0.0.2', input: [] }]), sink);
  new ScriptRunner(w, w.lab.script);
  w.sched.runUntil(SEC);
  return sink.frames.find((f) => f.first && f.bytes[23] === 1 && f.bytes[34] === 8)!.bytes;
}

describe('a host receiving bad frames', () => {
  it('drops corrupted headers with IP_CSUM / ICMP_CSUM / PKT_TOO_SMALL / IP_INHDR and still answers pings', () => {
    const sink = new MemorySink();
    const world = new World(twoHosts([{ atNs: 2 * SEC, on: 'client', run: 'ping -c 1 10.0.0.2', input: [] }]), sink);
    const script = new ScriptRunner(world, world.lab.script);
    const server = world.machine('server')!.nics[0]!;
    const echo = goodEcho();
    const deliver = (b: Uint8Array) => server.deliver({ bytes: b, id: 9_000_000 + b.length });

    const badIpSum = echo.slice();
    badIpSum[24]! ^= 0xff;
    const badIcmpSum = echo.slice();
    badIcmpSum[40]! ^= 0x01;
    const badVersion = echo.slice();
    badVersion[14] = 0x65;
    const truncated = echo.slice(0, 10);
    for (const f of [badIpSum, badIcmpSum, badVersion, truncated]) deliver(f);
    world.sched.runUntil(SEC);
    const reasons = sink.events.filter((e) => e.type === 'drop').map((e) => e.reason);
    expect(reasons).toEqual(['IP_CSUM', 'ICMP_CSUM', 'IP_INHDR', 'PKT_TOO_SMALL']);
    expect(world.dropCounts.get('server')!.get('IP_CSUM')).toBe(1);

    world.sched.runUntil(4 * SEC);
    expect(script.runs[0]!.output).toContain('1 received');
  });

  it('never throws on 5,000 random or mutated frames', () => {
    const world = new World(twoHosts(), new MemorySink());
    const server = world.machine('server')!.nics[0]!;
    const echo = goodEcho();
    const rng = new Rng(99, 'fuzz');
    for (let i = 0; i < 5000; i++) {
      let b: Uint8Array;
      if (i % 2) {
        b = new Uint8Array(rng.int(0, 120)).map(() => rng.int(0, 255));
        if (b.length > 14 && i % 4 === 1) b.set([0x02, 0, 0, 0, 2, 1], 0); // addressed to the server
      } else {
        b = echo.slice(0, rng.int(0, echo.length));
        for (let k = rng.int(0, 3); k > 0; k--) if (b.length) b[rng.int(0, b.length - 1)] = rng.int(0, 255);
      }
      server.deliver({ bytes: b, id: i + 1 });
      world.sched.runFor(1000);
    }
    expect(world.dropCounts.get('server')!.size).toBeGreaterThan(3);
  });
});
