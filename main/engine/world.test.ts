import { describe, expect, it } from 'vitest';
import { isErr, sys } from './process';
import { MS, SEC } from './sim';
import { ScriptRunner } from './script';
import { World } from './world';
import { MemorySink, switched, twoHosts } from './test/lab-fixtures';

const run = (cmd: string, atNs = SEC, on = 'client', input: string[] = []) => ({ atNs, on, run: cmd, input });

describe('two hosts: ping', () => {
  it('ping -c 3 gets three replies, ARP first, Linux-like output', () => {
    const sink = new MemorySink();
    const world = new World(twoHosts([run('ping -c 3 10.0.0.2')]), sink);
    const script = new ScriptRunner(world, world.lab.script);
    world.sched.runUntil(4 * SEC);
    expect(script.done).toBe(true);
    const out = script.runs[0]!.output.replace(/\r\n/g, '\n');
    expect(out).toMatch(/^PING 10\.0\.0\.2 \(10\.0\.0\.2\) 56\(84\) bytes of data\.\n/);
    expect(out.match(/64 bytes from 10\.0\.0\.2: icmp_seq=\d ttl=64 time=[\d.]+ ms/g)).toHaveLength(3);
    expect(out).toContain('3 packets transmitted, 3 received, 0% packet loss');
    expect(out).toMatch(/rtt min\/avg\/max\/mdev = [\d.]+\/[\d.]+\/[\d.]+\/[\d.]+ ms\n$/);
    const firsts = sink.frames.filter((f) => f.first);
    // ARP request + reply, then 3 x (echo request + echo reply)
    expect(firsts).toHaveLength(8);
    expect(firsts[0]!.machine).toBe('client');
    expect(firsts[0]!.bytes[12]).toBe(0x08);
    expect(firsts[0]!.bytes[13]).toBe(0x06);
  });

  it('the server probes its STALE entry for the client with a unicast ARP 5 s after first use (DELAY -> PROBE)', () => {
    const sink = new MemorySink();
    const world = new World(twoHosts([run('ping -c 3 10.0.0.2')]), sink);
    new ScriptRunner(world, world.lab.script);
    world.sched.runUntil(10 * SEC);
    const arps = sink.frames.filter((f) => f.first && f.bytes[13] === 0x06);
    expect(arps).toHaveLength(4);
    const probe = arps[2]!;
    expect(probe.machine).toBe('server');
    expect(Buffer.from(probe.bytes.subarray(0, 6)).toString('hex')).toBe('020000000101'); // unicast to the client
    expect(probe.at).toBeGreaterThanOrEqual(6 * SEC);
    expect(probe.at).toBeLessThan(6.1 * SEC);
  });

  it('records how each echo was delivered: the server kernel answers, the reply reaches the ping socket', () => {
    const sink = new MemorySink();
    const world = new World(twoHosts([run('ping -c 1 10.0.0.2')]), sink);
    new ScriptRunner(world, world.lab.script);
    world.sched.runUntil(3 * SEC);
    const d = sink.events.filter((e) => e.type === 'deliver').map((e) => e.data as { machine: string; reply?: string; queue?: string; steps: { table: string; hit: boolean }[]; socket?: { owners: { name: string }[] } });
    expect(d.find((x) => x.machine === 'server')).toMatchObject({ reply: 'ICMP echo reply', steps: [] });
    const atClient = d.find((x) => x.machine === 'client')!;
    expect(atClient).toMatchObject({ queue: 'receive queue', steps: [{ table: 'ping', hit: true }] });
    expect(atClient.socket!.owners.map((o) => o.name)).toEqual(['ping']);
  });

  it('RTT reflects latency and serialization: 2 x (1 ms + 98 B at 100 Mbps)', () => {
    const world = new World(twoHosts([run('ping -c 1 10.0.0.2')]), new MemorySink());
    const script = new ScriptRunner(world, world.lab.script);
    world.sched.runUntil(5 * SEC);
    // 98-byte frames + 24 bytes of preamble/FCS/IFG: 9.76 us each way; the first ping also waits for ARP.
    const out = script.runs[0]!.output;
    const rtt = Number(/time=([\d.]+) ms/.exec(out)![1]);
    expect(rtt).toBeGreaterThan(2.0);
    expect(rtt).toBeLessThan(4.2);
  });

  it('is deterministic: the same lab and seed give identical frames', () => {
    const trace = () => {
      const sink = new MemorySink();
      const world = new World(twoHosts([run('ping -c 3 10.0.0.2')]), sink);
      new ScriptRunner(world, world.lab.script);
      world.sched.runUntil(10 * SEC);
      return sink.frames.map((f) => `${f.at} ${f.machine}:${f.nic} ${f.dir} ${Buffer.from(f.bytes).toString('hex')}`).join('\n');
    };
    expect(trace()).toBe(trace());
  });

  it('unanswered ARP: Destination Host Unreachable after 3 tries, like Linux', () => {
    const sink = new MemorySink();
    const world = new World(twoHosts([run('ping -c 2 10.0.0.9')]), sink);
    const script = new ScriptRunner(world, world.lab.script);
    world.sched.runUntil(30 * SEC);
    const out = script.runs[0]!.output.replace(/\r\n/g, '\n');
    expect(out).toContain('From 10.0.0.1 icmp_seq=1 Destination Host Unreachable');
    expect(out).toMatch(/2 packets transmitted, 0 received, \+2 errors, 100% packet loss/);
    const arpRequests = sink.frames.filter((f) => f.first && f.bytes[13] === 0x06 && f.bytes[21] === 1);
    expect(arpRequests.length).toBeGreaterThanOrEqual(3);
    expect(sink.events.some((e) => e.type === 'drop' && e.reason === 'NEIGH_FAILED')).toBe(true);
  });

  it('ping to an off-subnet address without a gateway: Network is unreachable', () => {
    const world = new World(twoHosts([run('ping -c 1 192.168.1.1')]), new MemorySink());
    const script = new ScriptRunner(world, world.lab.script);
    world.sched.runUntil(15 * SEC);
    expect(script.runs[0]!.output).toContain('ping: sendmsg: Network is unreachable');
  });

  it('ping 127.0.0.1 goes through lo', () => {
    const sink = new MemorySink();
    const world = new World(twoHosts([run('ping -c 1 127.0.0.1')]), sink);
    const script = new ScriptRunner(world, world.lab.script);
    world.sched.runUntil(5 * SEC);
    expect(script.runs[0]!.output).toContain('64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.000 ms');
    expect(sink.frames.every((f) => f.nic === 'lo')).toBe(true);
  });
});

describe('shell', () => {
  it('unknown command, ip addr, ip route, arp -n', () => {
    const world = new World(
      twoHosts([run('frobnicate'), run('ip addr', 2 * SEC), run('ip route', 2 * SEC), run('ping -c 1 10.0.0.2', 3 * SEC), run('arp -n', 5 * SEC), run('ip neigh', 5 * SEC)]),
      new MemorySink(),
    );
    const script = new ScriptRunner(world, world.lab.script);
    world.sched.runUntil(10 * SEC);
    const out = script.runs.map((r) => r.output.replace(/\r\n/g, '\n'));
    expect(out[0]).toBe('frobnicate: command not found\n');
    expect(out[1]).toContain('2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500');
    expect(out[1]).toContain('inet 10.0.0.1/24 brd 10.0.0.255 scope global eth0');
    expect(out[1]).toContain('inet 127.0.0.1/8 scope host lo');
    expect(out[2]).toBe('10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.1 \n');
    expect(out[4]).toMatch(/10\.0\.0\.2\s+ether\s+02:00:00:00:02:01\s+C\s+eth0/);
    expect(out[5]).toBe('10.0.0.2 dev eth0 lladdr 02:00:00:00:02:01 REACHABLE\n');
  });

  it('Ctrl-C stops a ping that runs forever and prints its statistics', () => {
    const world = new World(twoHosts(), new MemorySink());
    let screen = '';
    const term = world.machine('client')!.openTerminal({ output: (s) => (screen += s) });
    world.sched.runUntil(10 * MS);
    term.input('ping 10.0.0.2\r');
    world.sched.runUntil(3500 * MS);
    term.input('\x03');
    world.sched.runUntil(4 * SEC);
    const text = screen.replace(/\r\n/g, '\n');
    expect(text).toContain('icmp_seq=4');
    expect(text).toContain('^C\n--- 10.0.0.2 ping statistics ---\n4 packets transmitted, 4 received, 0% packet loss');
    expect(text.endsWith('client$ ')).toBe(true);
  });
});

describe('shell job control', () => {
  it('runs a command in the background with &, lists it with jobs, and reports it Done at a later prompt', () => {
    const world = new World(twoHosts(), new MemorySink());
    let screen = '';
    const term = world.machine('client')!.openTerminal({ output: (s) => (screen += s) });
    world.sched.runUntil(10 * MS);
    term.input('ping -q -c 2 10.0.0.2 &\r');
    world.sched.runUntil(20 * MS);
    term.input('jobs\r');
    world.sched.runUntil(5 * SEC);
    term.input('\r');
    world.sched.runUntil(6 * SEC);
    const text = screen.replace(/\r\n/g, '\n');
    expect(text).toMatch(/client\$ ping -q -c 2 10\.0\.0\.2 &\n\[1\] \d+\nclient\$ /);
    expect(text).toContain('[1]+  Running                 ping -q -c 2 10.0.0.2 &');
    expect(text).toContain('[1]+  Done                    ping -q -c 2 10.0.0.2');
  });
});

describe('switch', () => {
  it('learns MACs: the first ARP request is flooded, the echo exchange is not', () => {
    const sink = new MemorySink();
    const world = new World(switched([{ atNs: SEC, on: 'a', run: 'ping -c 2 10.0.0.2', input: [] }]), sink);
    const script = new ScriptRunner(world, world.lab.script);
    world.sched.runUntil(10 * SEC);
    expect(script.runs[0]!.output).toContain('2 received');
    const atC = sink.frames.filter((f) => f.machine === 'c' && f.dir === 'rx');
    expect(atC).toHaveLength(1); // only the broadcast ARP request reached c
    const sw = world.switches.get('sw1');
    expect(sw && 'entries' in sw ? sw.entries().length : 0).toBe(2);
  });
});

describe('attaching a machine to a running lab', () => {
  it('a host cabled to a free switch port joins the segment and reaches the others; a cabled NIC is refused', () => {
    const sink = new MemorySink();
    const world = new World(switched(), sink);
    world.sched.runUntil(SEC);
    const spec = { id: 'late', kind: 'host' as const, nics: [{ name: 'eth0', mac: 0x0200000000ff, ip: { addr: 0x0a000009, prefix: 24 } }] };
    const late = world.attach(spec, { a: { machine: 'late', nic: 'eth0' }, b: { machine: 'sw1', nic: 'p4' }, latencyNs: 1e5, bandwidthBps: 1e9, loss: 0, mtu: 1500, up: true });
    let replies = 0;
    late.kernel.startProgram(['ping'], function* () {
      const fd = (yield* sys.socket('dgram', 'icmp')) as number;
      const req = new Uint8Array(16);
      req[0] = 8;
      yield* sys.sendto(fd, req, 0x0a000001);
      const r = yield* sys.recvfrom(fd, 100);
      if (!isErr(r)) replies++;
      return 0;
    });
    world.sched.runUntil(2 * SEC);
    expect(replies).toBe(1);
    expect(() => world.attach({ ...spec, id: 'again' }, { a: { machine: 'again', nic: 'eth0' }, b: { machine: 'sw1', nic: 'p1' }, latencyNs: 1, bandwidthBps: 1e9, loss: 0, mtu: 1500, up: true })).toThrow(/sw1:p1 is already cabled/);
    expect(world.machine('again')).toBeUndefined(); // nothing half-added
  });
});

describe('a loop of switches', () => {
  it('the link that closes it is blocked and named; broadcasts do not storm and ping works over the other link', () => {
    const lab = switched([{ atNs: SEC, on: 'a', run: 'ping -c 2 10.0.0.2', input: [] }]);
    // sw1 and sw2 joined twice: p4-p1 and p5-p2 make a loop; b moves to sw2.
    lab.machines.push({ id: 'sw2', kind: 'switch', nics: [1, 2, 3].map((i) => ({ name: `p${i}`, mac: 0x020000000901 + i })) });
    lab.machines.find((m) => m.id === 'sw1')!.nics.push({ name: 'p5', mac: 0x0200000004ff });
    lab.links = lab.links.filter((l) => l.a.machine !== 'b');
    const cable = (a: string, an: string, b: string, bn: string) => ({ a: { machine: a, nic: an }, b: { machine: b, nic: bn }, latencyNs: 1e6, bandwidthBps: 100e6, loss: 0, mtu: 1500, up: true });
    lab.links.push(cable('sw1', 'p4', 'sw2', 'p1'), cable('sw1', 'p5', 'sw2', 'p2'), cable('b', 'eth0', 'sw2', 'p3'));
    const sink = new MemorySink();
    const world = new World(lab, sink);
    const script = new ScriptRunner(world, world.lab.script);
    world.sched.runUntil(5 * SEC);
    expect(script.runs[0]!.output).toContain('2 packets transmitted, 2 received');
    expect(sink.events.find((e) => e.type === 'link')?.text).toMatch(/^link sw1:p5-sw2:p2 closes a loop of switches and is blocked/);
    expect(sink.frames.filter((f) => f.first).length).toBeLessThan(20); // no storm
    expect(sink.events.some((e) => e.reason === 'LINK_BLOCKED')).toBe(true);
  });
});
