// Editing while the lab runs: cables plugged and unplugged, machines added and removed, link
// parameters changed, all without a restart, and each seen by the stacks the way Linux sees it.
import { describe, expect, it } from 'vitest';
import { SEC } from './sim';
import { ScriptRunner } from './script';
import { World } from './world';
import { host, link, MemorySink, switched } from './test/lab-fixtures';

const end = (s: string) => {
  const [machine, nic] = s.split(':') as [string, string];
  return { machine, nic };
};
const cmd = (atNs: number, on: string, run: string) => ({ atNs, on, run, input: [] });

/** At 1 s: b moves behind a new switch sw2, joined to sw1 by two links (sw1:p4-sw2:p1, then sw1:p2-sw2:p2, which closes a loop). */
function closeSwitchLoop(world: World): void {
  world.addMachineLive({ id: 'sw2', kind: 'switch', nics: [1, 2, 3].map((i) => ({ name: `p${i}`, mac: 0x020000000901 + i })) });
  world.disconnectLive(end('b:eth0'), end('sw1:p2'));
  world.connectLive(link('b:eth0', 'sw2:p3'));
  world.connectLive(link('sw1:p4', 'sw2:p1'));
  world.connectLive(link('sw1:p2', 'sw2:p2'));
}

describe('editing a running lab', () => {
  it('an unplugged cable: the host sees NO-CARRIER, pings fail; plugged back, they work again', () => {
    const sink = new MemorySink();
    const world = new World(switched([cmd(1 * SEC, 'a', 'ping -c 1 10.0.0.2'), cmd(3 * SEC, 'b', 'ip link show eth0'), cmd(3 * SEC, 'a', 'ping -c 1 -W 1 10.0.0.2'), cmd(8 * SEC, 'a', 'ping -c 1 10.0.0.2')]), sink);
    const script = new ScriptRunner(world, world.lab.script);
    world.sched.at(2 * SEC, () => world.disconnectLive(end('b:eth0'), end('sw1:p2')));
    world.sched.at(7 * SEC, () => world.connectLive(link('b:eth0', 'sw1:p2')));
    world.sched.runUntil(12 * SEC);
    const [before, ipLink, during, after] = script.runs.map((r) => r.output);
    expect(before).toContain('1 received');
    expect(ipLink).toMatch(/eth0: <NO-CARRIER,BROADCAST,MULTICAST,UP> .* state DOWN/);
    expect(during).toContain('0 received');
    expect(after).toContain('1 received');
    const texts = sink.events.filter((e) => e.type === 'link').map((e) => e.text);
    expect(texts).toEqual(['link b:eth0<->sw1:p2 unplugged: both ends lost carrier', 'link b:eth0<->sw1:p2 plugged in']);
  });

  it('a link set down: NO-CARRIER at both ends, pings fail, frames on the wire are lost; set up again, they work', () => {
    const sink = new MemorySink();
    const world = new World(switched([cmd(1 * SEC, 'a', 'ping -c 1 10.0.0.2'), cmd(3 * SEC, 'b', 'ip link show eth0'), cmd(3 * SEC, 'a', 'ping -c 1 -W 1 10.0.0.2'), cmd(8 * SEC, 'a', 'ping -c 1 10.0.0.2')]), sink);
    const script = new ScriptRunner(world, world.lab.script);
    const params = (up: boolean) => ({ latencyNs: 1e6, bandwidthBps: 100e6, loss: 0, mtu: 1500, up });
    world.sched.at(2 * SEC, () => world.setLinkParamsLive(end('b:eth0'), end('sw1:p2'), params(false)));
    world.sched.at(7 * SEC, () => world.setLinkParamsLive(end('b:eth0'), end('sw1:p2'), params(true)));
    world.sched.runUntil(12 * SEC);
    const [before, ipLink, during, after] = script.runs.map((r) => r.output);
    expect(before).toContain('1 received');
    expect(ipLink).toMatch(/eth0: <NO-CARRIER,BROADCAST,MULTICAST,UP> .* state DOWN/);
    expect(during).toContain('0 received');
    expect(after).toContain('1 received');
    expect(sink.events.filter((e) => e.type === 'link').map((e) => e.text)).toEqual([
      'link b:eth0<->sw1:p2 down: both ends lost carrier',
      'link b:eth0<->sw1:p2 up: both ends have carrier again',
    ]);
    expect(sink.events.some((e) => e.type === 'drop' && e.reason === 'LINK_DOWN' && e.at > 3 * SEC && e.at < 7 * SEC)).toBe(true);
  });

  it('a lab that starts with a link down: that host has no carrier from time 0', () => {
    const lab = switched([cmd(1 * SEC, 'b', 'ip link show eth0')]);
    lab.links[1] = { ...lab.links[1]!, up: false };
    const world = new World(lab, new MemorySink());
    const script = new ScriptRunner(world, lab.script);
    world.sched.runUntil(2 * SEC);
    expect(script.runs[0]!.output).toMatch(/NO-CARRIER/);
  });

  it('a machine added on a new switch port answers; a removed one goes silent and its processes die', () => {
    const sink = new MemorySink();
    const world = new World(switched([cmd(2 * SEC, 'a', 'ping -c 1 10.0.0.9'), cmd(5 * SEC, 'a', 'ping -c 1 -W 1 10.0.0.3')]), sink);
    const script = new ScriptRunner(world, world.lab.script);
    world.sched.at(1 * SEC, () => {
      world.addMachineLive(host('d', 9, '10.0.0.9/24'));
      world.connectLive(link('d:eth0', 'sw1:p7')); // sw1 had 4 ports
    });
    world.sched.at(4 * SEC, () => world.removeMachineLive('c'));
    const late = new ScriptRunner(world, [cmd(6 * SEC, 'c', 'ip addr')]); // a script line for c, due after c is gone
    world.sched.runUntil(10 * SEC);
    expect(late.runs[0]!.output).toBe('(not run: c was removed from the lab)\r\n');
    expect(late.done).toBe(true);
    expect(script.runs[0]!.output).toContain('1 received');
    expect(script.runs[1]!.output).toContain('0 received');
    expect(world.machine('c')).toBeUndefined();
    expect(sink.frames.some((f) => f.machine === 'c' && f.at > 4 * SEC)).toBe(false);
    expect(sink.frames.some((f) => f.machine === 'sw1' && f.nic === 'p7')).toBe(true);
  });

  it("a slower link shows in the next ping's round trip", () => {
    // The first run's second echo is the one without ARP in front.
    const world = new World(switched([cmd(1 * SEC, 'a', 'ping -c 2 -i 0.2 10.0.0.2'), cmd(3 * SEC, 'a', 'ping -c 1 10.0.0.2')]), new MemorySink());
    const script = new ScriptRunner(world, world.lab.script);
    world.sched.at(2 * SEC, () => world.setLinkParamsLive(end('a:eth0'), end('sw1:p1'), { latencyNs: 20e6, bandwidthBps: 100e6, loss: 0, mtu: 1500, up: true }));
    world.sched.runUntil(6 * SEC);
    const rtt = (s: string) => Number([...s.matchAll(/time=([\d.]+) ms/g)].at(-1)![1]);
    // Before: 2 x 2 hops x 1 ms. After: a's hop is 20 ms each way, 2 x (20 + 1) ms.
    expect(rtt(script.runs[0]!.output)).toBeGreaterThanOrEqual(4);
    expect(rtt(script.runs[0]!.output)).toBeLessThan(5);
    expect(rtt(script.runs[1]!.output)).toBeGreaterThanOrEqual(42);
    expect(rtt(script.runs[1]!.output)).toBeLessThan(43);
  });

  it('a link plugged in that closes a switch loop is blocked; unplugging the other one lets it carry frames', () => {
    const sink = new MemorySink();
    const world = new World(switched([cmd(3 * SEC, 'a', 'ping -c 1 10.0.0.2')]), sink);
    const script = new ScriptRunner(world, world.lab.script);
    world.sched.at(1 * SEC, () => closeSwitchLoop(world));
    world.sched.at(2 * SEC, () => world.disconnectLive(end('sw1:p4'), end('sw2:p1')));
    world.sched.runUntil(6 * SEC);
    const texts = sink.events.filter((e) => e.type === 'link').map((e) => e.text);
    expect(texts).toContainEqual(expect.stringMatching(/^link sw1:p2-sw2:p2 closes a loop of switches and is blocked/));
    expect(texts).toContain('link sw1:p2<->sw2:p2 no longer closes a loop and carries frames again');
    expect(script.runs[0]!.output).toContain('1 received');
  });

  it('taking a loop`s other link down unblocks the spare; bringing it back up blocks the spare again', () => {
    const sink = new MemorySink();
    const world = new World(switched([cmd(3 * SEC, 'a', 'ping -c 1 10.0.0.2')]), sink);
    const script = new ScriptRunner(world, world.lab.script);
    const params = (up: boolean) => ({ latencyNs: 1e6, bandwidthBps: 100e6, loss: 0, mtu: 1500, up });
    world.sched.at(1 * SEC, () => closeSwitchLoop(world));
    world.sched.at(2 * SEC, () => world.setLinkParamsLive(end('sw1:p4'), end('sw2:p1'), params(false)));
    world.sched.at(5 * SEC, () => world.setLinkParamsLive(end('sw1:p4'), end('sw2:p1'), params(true)));
    world.sched.runUntil(6 * SEC);
    const texts = sink.events.filter((e) => e.type === 'link').map((e) => e.text);
    expect(texts.filter((t) => /^link sw1:p2-sw2:p2 closes a loop/.test(t))).toHaveLength(2);
    expect(texts).toContain('link sw1:p2<->sw2:p2 no longer closes a loop and carries frames again');
    expect(script.runs[0]!.output).toContain('1 received'); // through the spare while the other is down
  });

  it('a frame on a link that goes down and up again while it travels is lost', () => {
    const sink = new MemorySink();
    const world = new World(switched([cmd(1 * SEC, 'a', 'ping -c 1 -W 1 10.0.0.2')]), sink);
    const script = new ScriptRunner(world, world.lab.script);
    const params = (up: boolean) => ({ latencyNs: 50e6, bandwidthBps: 100e6, loss: 0, mtu: 1500, up });
    // b's link is 50 ms long: the ARP request leaves a at 1 s and is on that wire until ~1.05 s.
    world.sched.at(0.5 * SEC, () => world.setLinkParamsLive(end('b:eth0'), end('sw1:p2'), params(true)));
    world.sched.at(1.0011 * SEC, () => world.setLinkParamsLive(end('b:eth0'), end('sw1:p2'), params(false)));
    world.sched.at(1.002 * SEC, () => world.setLinkParamsLive(end('b:eth0'), end('sw1:p2'), params(true)));
    world.sched.runUntil(3 * SEC);
    expect(sink.events.some((e) => e.type === 'drop' && e.reason === 'LINK_DOWN' && /went down in flight/.test(e.text))).toBe(true);
    expect(script.runs[0]!.output).toContain('0 received');
  });
});

describe('a switch seen from outside', () => {
  it('shows each port with its cable and the MACs it learned, with their age; a hub learns nothing', () => {
    const world = new World(switched([cmd(1 * SEC, 'a', 'ping -c 1 10.0.0.2')]), new MemorySink());
    new ScriptRunner(world, world.lab.script);
    world.sched.runUntil(4 * SEC);
    const s = world.inspectSwitch('sw1')!;
    expect(s.kind).toBe('switch');
    expect(s.ports.map((p) => [p.name, p.linkedTo])).toEqual([['p1', 'a:eth0'], ['p2', 'b:eth0'], ['p3', 'c:eth0'], ['p4', null]]);
    const a = world.machine('a')!.nics[0]!.mac;
    const b = world.machine('b')!.nics[0]!.mac;
    const hex = (m: number) => m.toString(16).padStart(12, '0').replace(/(..)(?!$)/g, '$1:');
    expect(s.macTable).toEqual([
      { mac: hex(a), port: 'p1', ageSeconds: 2 },
      { mac: hex(b), port: 'p2', ageSeconds: 2 },
    ]);
    expect(s.ports[0]!.rxFrames).toBeGreaterThanOrEqual(2);
    expect(s.ageingSeconds).toBe(300);
    expect(world.inspectSwitch('a')).toBeUndefined();

    const hubbed = switched([cmd(1 * SEC, 'a', 'ping -c 1 10.0.0.2')]);
    hubbed.machines.find((m) => m.id === 'sw1')!.kind = 'hub';
    const w2 = new World(hubbed, new MemorySink());
    new ScriptRunner(w2, hubbed.script);
    w2.sched.runUntil(4 * SEC);
    const h = w2.inspectSwitch('sw1')!;
    expect(h.kind).toBe('hub');
    expect(h.macTable).toEqual([]);
    expect(h.ports[2]!.txFrames).toBeGreaterThanOrEqual(2); // c's port repeats a's and b's frames too
  });
});
