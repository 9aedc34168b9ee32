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
  return { a: { machine: am, nic: an }, b: { machine: bm, nic: bn }, latencyNs: 1e6, bandwidthBps: 100e6, loss: 0, mtu: 1500 };
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
