import { describe, expect, it } from 'vitest';
import type { ResolvedLab } from '../../../shared/lab/types';
import { parseCidr, parseIpv4 } from '../../../shared/wire';
import { ScriptRunner } from '../script';
import { SEC } from '../sim';
import { MemorySink } from '../test/lab-fixtures';
import { World } from '../world';

const ip = (s: string) => parseIpv4(s)!;
const link = (a: string, b: string) => {
  const [am, an] = a.split(':') as [string, string];
  const [bm, bn] = b.split(':') as [string, string];
  return { a: { machine: am, nic: an }, b: { machine: bm, nic: bn }, latencyNs: 1e6, bandwidthBps: 100e6, loss: 0, mtu: 1500, up: true };
};

/** h1 (10.0.0.1) -- r1 (10.0.0.254 | 10.0.1.254) -- h2 (10.0.1.2), each host's gateway the router. */
function routed(script: ResolvedLab['script']): ResolvedLab {
  return {
    name: 'routed',
    seed: 3,
    machines: [
      { id: 'h1', kind: 'host', nics: [{ name: 'eth0', mac: 0x020000000101, ip: parseCidr('10.0.0.1/24')! }], gateway: ip('10.0.0.254') },
      { id: 'r1', kind: 'router', nics: [{ name: 'eth0', mac: 0x020000000201, ip: parseCidr('10.0.0.254/24')! }, { name: 'eth1', mac: 0x020000000202, ip: parseCidr('10.0.1.254/24')! }] },
      { id: 'h2', kind: 'host', nics: [{ name: 'eth0', mac: 0x020000000301, ip: parseCidr('10.0.1.2/24')! }], gateway: ip('10.0.1.254') },
    ],
    links: [link('h1:eth0', 'r1:eth0'), link('r1:eth1', 'h2:eth0')],
    script,
  };
}

function run(cmds: [number, string, string][], edit: (lab: ResolvedLab) => void = () => {}) {
  const sink = new MemorySink();
  const lab = routed(cmds.map(([at, on, run]) => ({ atNs: at * SEC, on, run, input: [] })));
  edit(lab);
  const world = new World(lab, sink);
  const script = new ScriptRunner(world, world.lab.script);
  world.sched.runUntil(30 * SEC);
  return { world, sink, out: script.runs.map((r) => r.output.replace(/\r\n/g, '\n')) };
}

describe('IPv4 forwarding on a router (ip_forward)', () => {
  it('forwards between its subnets with TTL - 1 (the reply arrives with ttl=63) and counts IpForwDatagrams', () => {
    const r = run([[1, 'h1', 'ping -c 2 10.0.1.2']]);
    expect(r.out[0]).toMatch(/64 bytes from 10\.0\.1\.2: icmp_seq=1 ttl=63 time=/);
    expect(r.out[0]).toContain('2 packets transmitted, 2 received, 0% packet loss');
    expect(r.world.machine('r1')!.counters().IpForwDatagrams).toBe(4);
    // The router's note on the frame it forwarded.
    expect(r.sink.events.some((e) => e.machine === 'r1' && e.type === 'route' && /^forwarded 10\.0\.0\.1 -> 10\.0\.1\.2 from eth0 to eth1 \(TTL 64 -> 63\)$/.test(e.text))).toBe(true);
  });

  it('TTL 1 expires at the router: ICMP time exceeded from 10.0.0.254, a named drop, IcmpOutTimeExcds', () => {
    const r = run([[1, 'h1', 'ping -c 1 -t 1 10.0.1.2']]);
    expect(r.out[0]).toContain('From 10.0.0.254 icmp_seq=1 Time to live exceeded');
    const rt = r.world.machine('r1')!;
    expect(rt.counters().IcmpOutTimeExcds).toBe(1);
    expect(r.sink.events.find((e) => e.machine === 'r1' && e.type === 'drop')?.reason).toBe('IP_TTL_EXPIRED');
  });

  it('no route: ICMP network unreachable; a host does not forward (ip_forward 0)', () => {
    const r = run([
      [1, 'h1', 'ping -c 1 192.168.9.9'],
      [3, 'r1', 'sysctl -w net.ipv4.ip_forward=0'],
      [4, 'h1', 'ping -c 1 -W 1 10.0.1.2'],
    ]);
    expect(r.out[0]).toContain('From 10.0.0.254 icmp_seq=1 Destination Net Unreachable');
    expect(r.out[2]).toContain('1 packets transmitted, 0 received');
    expect(r.sink.events.some((e) => e.machine === 'r1' && e.reason === 'OTHERHOST' && e.at > 4 * SEC)).toBe(true);
  });

  it('too big for the next link with DF set: ICMP fragmentation needed carries the next hop\'s MTU', () => {
    const r = run([[1, 'h1', 'ping -c 1 -s 1000 10.0.1.2']], (lab) => (lab.links[1]!.mtu = 576));
    expect(r.out[0]).toContain('From 10.0.0.254 icmp_seq=1 Frag needed and DF set (mtu = 576)');
    expect(r.sink.events.find((e) => e.machine === 'r1' && e.type === 'drop')?.reason).toBe('IP_FRAG_NEEDED');
  });
});

/** h1 -- r1 -- r2 -- h2: three subnets; r1 needs a route to 10.0.2.0/24, r2 one back to 10.0.0.0/24. */
function chain(script: ResolvedLab['script'], r2Routes = true): ResolvedLab {
  const nic = (name: string, mac: number, cidr: string) => ({ name, mac, ip: parseCidr(cidr)! });
  return {
    name: 'chain',
    seed: 5,
    machines: [
      { id: 'h1', kind: 'host', nics: [nic('eth0', 0x020000000101, '10.0.0.1/24')], gateway: ip('10.0.0.254') },
      { id: 'r1', kind: 'router', nics: [nic('eth0', 0x020000000201, '10.0.0.254/24'), nic('eth1', 0x020000000202, '10.0.1.1/24')] },
      { id: 'r2', kind: 'router', nics: [nic('eth0', 0x020000000301, '10.0.1.2/24'), nic('eth1', 0x020000000302, '10.0.2.254/24')], routes: r2Routes ? [{ dst: ip('10.0.0.0'), prefix: 24, via: ip('10.0.1.1') }] : undefined },
      { id: 'h2', kind: 'host', nics: [nic('eth0', 0x020000000401, '10.0.2.2/24')], gateway: ip('10.0.2.254') },
    ],
    links: [link('h1:eth0', 'r1:eth0'), link('r1:eth1', 'r2:eth0'), link('r2:eth1', 'h2:eth0')],
    script,
  };
}

describe('static routes: ip route add/del and the lab file\'s routes', () => {
  it('without a route r1 answers net unreachable; ip route add makes the path; errors read like iproute2', () => {
    const steps: [number, string, string][] = [
      [1, 'h1', 'ping -c 1 10.0.2.2'],
      [3, 'r1', 'ip route add 10.0.2.0/24 via 10.0.1.2'],
      [4, 'r1', 'ip route'],
      [5, 'h1', 'ping -c 1 10.0.2.2'],
      [7, 'r1', 'ip route add 10.0.2.0/24 via 10.0.1.2'],
      [8, 'r1', 'ip route add 10.9.0.0/16 via 192.168.1.1'],
      [9, 'r1', 'ip route del 10.8.0.0/16'],
      [10, 'r1', 'ip route add 10.0.2.5/24 via 10.0.1.2'],
      [11, 'h1', 'ip route add 10.7.0.0/16 via 10.0.0.254'],
    ];
    const sink = new MemorySink();
    const world = new World(chain(steps.map(([at, on, run]) => ({ atNs: at * SEC, on, run, input: [] }))), sink);
    const script = new ScriptRunner(world, world.lab.script);
    world.sched.runUntil(20 * SEC);
    const out = script.runs.map((r) => r.output.replace(/\r\n/g, '\n'));
    expect(out[0]).toContain('From 10.0.0.254 icmp_seq=1 Destination Net Unreachable');
    expect(out[2]).toContain('10.0.2.0/24 via 10.0.1.2 dev eth1 proto static \n');
    expect(out[3]).toMatch(/64 bytes from 10\.0\.2\.2: icmp_seq=1 ttl=62 time=/); // two routers: TTL 64 - 2
    expect(out[4]).toBe('RTNETLINK answers: File exists\n');
    expect(out[5]).toBe('Error: Nexthop has invalid gateway.\n');
    expect(out[6]).toBe('RTNETLINK answers: No such process\n');
    expect(out[7]).toBe('Error: Invalid prefix for given prefix length.\n');
    expect(out[8]).toBe(''); // root may add routes on a host too
  });
});

describe('traceroute', () => {
  it('names each router on the way (time exceeded) and stops at the destination (port unreachable)', () => {
    const sink = new MemorySink();
    const world = new World(chain([{ atNs: 1 * SEC, on: 'r1', run: 'ip route add 10.0.2.0/24 via 10.0.1.2', input: [] }, { atNs: 2 * SEC, on: 'h1', run: 'traceroute 10.0.2.2', input: [] }, { atNs: 40 * SEC, on: 'h1', run: 'traceroute -n -q 1 -m 2 10.0.2.2', input: [] }]), sink);
    const script = new ScriptRunner(world, world.lab.script);
    world.sched.runUntil(90 * SEC);
    const out = script.runs.map((r) => r.output.replace(/\r\n/g, '\n'));
    expect(out[1]).toMatch(/^traceroute to 10\.0\.2\.2 \(10\.0\.2\.2\), 30 hops max, 60 byte packets\n 1  10\.0\.0\.254 \(10\.0\.0\.254\)  [\d.]+ ms  [\d.]+ ms  [\d.]+ ms\n 2  10\.0\.1\.2 \(10\.0\.1\.2\)  [\d.]+ ms  [\d.]+ ms  [\d.]+ ms\n 3  10\.0\.2\.2 \(10\.0\.2\.2\)  [\d.]+ ms  [\d.]+ ms  [\d.]+ ms\n$/);
    expect(out[2]).toMatch(/ 1  10\.0\.0\.254  [\d.]+ ms\n 2  10\.0\.1\.2  [\d.]+ ms\n$/);
  });
});
