// UDP against the Linux ground truth (README scenario (c), AS-08): ICMP port unreachable with
// TOS 0xc0 quoting the datagram, ECONNREFUSED once on a connected socket, nothing on an unconnected
// one, and the per-peer ICMP rate limit (6 in hand, then 1 per second).
import { describe, expect, it } from 'vitest';
import { parseIpv4, parseIpv4Header, parseIcmpv4, parseIcmpQuote } from '../../../shared/wire';
import { Errno, isErr, sys, type Sys } from '../process';
import { MS, SEC } from '../sim';
import { MemorySink, twoHosts } from '../test/lab-fixtures';
import { World } from '../world';

const SERVER = parseIpv4('10.0.0.2')!;
const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const text = (b: Uint8Array) => String.fromCharCode(...b);

function lab() {
  const sink = new MemorySink();
  const world = new World(twoHosts(), sink);
  const run = (machine: string, prog: () => Sys<number>) => world.machine(machine)!.kernel.startProgram(['test'], prog);
  return { sink, world, run };
}

describe('UDP', () => {
  it('delivers a datagram to the bound socket and answers from the right port', () => {
    const { world, run } = lab();
    const got: string[] = [];
    run('server', function* () {
      const fd = (yield* sys.socket('dgram', 'udp')) as number;
      expect(yield* sys.bind(fd, 0, 6000)).toBe(0);
      const m = yield* sys.recvfrom(fd);
      if (isErr(m)) throw m;
      got.push(`${text(m.data)} from port ${m.port}`);
      yield* sys.sendto(fd, bytes('pong'), m.addr, m.port);
      return 0;
    });
    run('client', function* () {
      const fd = (yield* sys.socket('dgram', 'udp')) as number;
      yield* sys.connect(fd, SERVER, 6000);
      const name = yield* sys.getsockname(fd);
      expect(isErr(name) ? 0 : name.port).toBeGreaterThanOrEqual(32768);
      yield* sys.send(fd, bytes('ping'));
      const r = yield* sys.recv(fd);
      got.push(isErr(r) ? r.name : text(r));
      return 0;
    });
    world.sched.runUntil(SEC);
    expect(got[0]).toMatch(/^ping from port \d+$/);
    expect(got[1]).toBe('pong');
  });

  it('AS-08: a datagram to a closed port draws ICMP 3/3 (TOS 0xc0, quoting it); only a connected socket sees ECONNREFUSED, once', () => {
    const { world, run, sink } = lab();
    const results: string[] = [];
    run('client', function* () {
      const u = (yield* sys.socket('dgram', 'udp')) as number;
      yield* sys.sendto(u, bytes('0123456789abcdef'), SERVER, 6000);
      yield* sys.setNonblock(u, true);
      yield* sys.nanosleep(100 * MS);
      const r0 = yield* sys.recvfrom(u);
      results.push(`unconnected: ${isErr(r0) ? r0.name : 'data'}`);
      const c = (yield* sys.socket('dgram', 'udp')) as number;
      yield* sys.connect(c, SERVER, 6001);
      yield* sys.send(c, bytes('x'));
      yield* sys.nanosleep(100 * MS);
      const r1 = yield* sys.recv(c);
      results.push(`connected: ${(r1 as Errno).name}`);
      yield* sys.setNonblock(c, true);
      const r2 = yield* sys.recv(c);
      results.push(`again: ${(r2 as Errno).name}`);
      results.push(`send after: ${yield* sys.send(c, bytes('y'))}`);
      return 0;
    });
    world.sched.runUntil(SEC);
    expect(results).toEqual(['unconnected: EAGAIN', 'connected: ECONNREFUSED', 'again: EAGAIN', 'send after: 1']);
    const icmp = sink.frames.filter((f) => f.first && f.machine === 'server' && f.bytes[23] === 1);
    expect(icmp).toHaveLength(3);
    const ip = parseIpv4Header(icmp[0]!.bytes, 14);
    expect(ip.ok && ip.value.tos).toBe(0xc0);
    const m = parseIcmpv4(icmp[0]!.bytes, 34);
    expect(m.ok && [m.value.type, m.value.code]).toEqual([3, 3]);
    const q = parseIcmpQuote(icmp[0]!.bytes, 34);
    expect(q.ok && q.value.dstPort).toBe(6000);
    expect(q.ok && q.value.ip.payloadLength).toBe(8 + 16); // the whole datagram is quoted
    const delivery = sink.events.find((e) => e.type === 'deliver' && e.machine === 'server');
    expect(delivery?.data).toMatchObject({ protocol: 'udp', reply: 'ICMP port unreachable', drop: { reason: 'NO_SOCKET' } });
  });

  it('AS-08 rate limit: after 6 s of silence a burst of 10 draws 6 ICMPs, then one per second', () => {
    const { world, run, sink } = lab();
    run('client', function* () {
      const u = (yield* sys.socket('dgram', 'udp')) as number;
      for (let i = 0; i < 10; i++) yield* sys.sendto(u, bytes('burst'), SERVER, 6000);
      yield* sys.nanosleep(1500 * MS);
      for (let i = 0; i < 3; i++) yield* sys.sendto(u, bytes('later'), SERVER, 6000);
      return 0;
    });
    world.sched.runUntil(6 * SEC);
    const icmpTimes = sink.frames.filter((f) => f.first && f.machine === 'server' && f.bytes[23] === 1).map((f) => f.at);
    expect(icmpTimes.filter((t) => t < SEC)).toHaveLength(6);
    expect(icmpTimes.filter((t) => t > SEC)).toHaveLength(1);
    expect(world.machine('server')!.counters().IcmpOutRateLimitHost).toBe(6);
  });

  it('bind rules: EADDRINUSE on a taken port unless both sockets set SO_REUSEADDR; EADDRNOTAVAIL for a foreign address', () => {
    const { world, run } = lab();
    const r: unknown[] = [];
    run('server', function* () {
      const a = (yield* sys.socket('dgram', 'udp')) as number;
      const b = (yield* sys.socket('dgram', 'udp')) as number;
      r.push(yield* sys.bind(a, 0, 7000));
      r.push(((yield* sys.bind(b, 0, 7000)) as Errno).name);
      r.push(((yield* sys.bind(b, parseIpv4('10.9.9.9')!, 7001)) as Errno).name);
      const c = (yield* sys.socket('dgram', 'udp')) as number;
      const d = (yield* sys.socket('dgram', 'udp')) as number;
      yield* sys.setsockopt(c, 'SO_REUSEADDR', 1);
      yield* sys.setsockopt(d, 'SO_REUSEADDR', 1);
      r.push(yield* sys.bind(c, 0, 7002), yield* sys.bind(d, 0, 7002));
      return 0;
    });
    world.sched.runUntil(SEC);
    expect(r).toEqual([0, 'EADDRINUSE', 'EADDRNOTAVAIL', 0, 0]);
  });
});
