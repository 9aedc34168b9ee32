import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { LabEvent } from '../../shared/api/contract';
import { TraceStore } from '../trace';
import { ApiError, dispatch } from './dispatch';
import { LabService } from './lab-service';
import type { WallClock } from './pacer';

const TWO_HOSTS = readFileSync('examples/two-hosts.lab.json', 'utf8');
const DEFAULT_LAB = readFileSync('examples/default.lab.json', 'utf8');

class FakeClock implements WallClock {
  t = 0;
  now() {
    return this.t;
  }
}

let svc: LabService | undefined;
let store: TraceStore | undefined;
afterEach(() => {
  svc?.dispose();
  store?.close();
});

function make(text = TWO_HOSTS) {
  const clock = new FakeClock();
  store = TraceStore.open(':memory:');
  svc = new LabService(text, { store, clock });
  const events: LabEvent[] = [];
  svc.onEvent((e) => events.push(e));
  const consoleText = () => events.filter((e) => e.type === 'console').map((e) => (e as { data: string }).data).join('');
  return { svc, clock, events, consoleText };
}

describe('LabService', () => {
  it('paces virtual time at real time x factor', async () => {
    const { svc, clock } = make();
    await svc.run();
    svc.tick();
    clock.t += 500;
    svc.tick();
    expect((await svc.getState()).status.timeNs).toBe(500e6);
    await svc.setSpeed({ mode: 'realtime', factor: 2 });
    svc.tick();
    clock.t += 250;
    svc.tick();
    expect((await svc.getState()).status.timeNs).toBe(1000e6);
  });

  it('does not advance while paused, and step runs one event', async () => {
    const { svc, clock } = make();
    clock.t += 5000;
    svc.tick();
    expect((await svc.getState()).status.timeNs).toBe(0);
    const s = await svc.step(); // the script's first event: its terminal opens at 1 s
    expect(s.timeNs).toBe(1e9);
    expect(s.running).toBe(false);
  });

  it('a frame step runs on to the next event that captures a frame at some NIC (the ARP request leaving, then arriving)', async () => {
    const { svc } = make();
    const a = await svc.step('frame');
    expect([a.timeNs, a.captureCount, a.running]).toEqual([1e9, 1, false]);
    const b = await svc.step('frame');
    // 1 ms latency + (42 bytes + 18 of padding + 24 of preamble, FCS and gap) at 100 Mbps = 6.72 us.
    // The server answers within the event in which the request arrives: its reply leaves at once.
    expect([b.timeNs, b.captureCount]).toEqual([1_001_006_720, 3]);
    expect((await svc.listFrames({ offset: 0, limit: 5, allCapturePoints: true })).rows.map((r) => `${r.machine}:${r.dir}:${r.info}`)).toEqual([
      'client:tx:Who has 10.0.0.2? Tell 10.0.0.1',
      'server:rx:Who has 10.0.0.2? Tell 10.0.0.1',
      'server:tx:10.0.0.2 is at 02:00:00:00:02:01',
    ]);
    // 'event' (the default) is one scheduler event: here the reply's arrival.
    const c = await svc.step();
    expect([c.timeNs, c.captureCount]).toEqual([1_002_013_440, 5]); // and the queued echo request leaves
  });

  it('slow motion skips the time in which no frame is on a wire, and paces the rest at the factor', async () => {
    const { svc, clock } = make();
    await svc.setSpeed({ mode: 'realtime', factor: 0.001 });
    await svc.run();
    svc.tick(); // nothing until the ping at 1 s: skipped; its ARP request is now on the wire
    expect((await svc.getState()).status.timeNs).toBe(1e9);
    clock.t += 100; // 100 ms of wall time = 100 us of lab time
    svc.tick();
    expect((await svc.getState()).status.timeNs).toBe(1e9 + 100e3);
    // Above the slow-motion factor, idle time is paced like any other.
    const normal = make();
    await normal.svc.setSpeed({ mode: 'realtime', factor: 0.1 });
    await normal.svc.run();
    normal.svc.tick();
    normal.clock.t += 100;
    normal.svc.tick();
    expect((await normal.svc.getState()).status.timeNs).toBe(10e6);
  });

  it('counts drops in the status and pages them in order (listDrops)', async () => {
    const lab = JSON.parse(TWO_HOSTS);
    lab.script = [{ at: '1s', on: 'client', run: 'ping -c 1 10.0.0.2' }, { at: '2s', on: 'client', run: 'sock "socket udp; connect 10.0.0.2:9; send a; send b"' }];
    const { svc } = make(JSON.stringify(lab));
    await svc.setSpeed({ mode: 'max' });
    await svc.run();
    for (let i = 0; i < 5; i++) svc.tick();
    const st = (await svc.getState()).status;
    const drops = await svc.listDrops({ offset: 0, limit: 10 });
    expect(st.dropCount).toBe(drops.length);
    expect(drops.map((d) => `${d.index} ${d.machine} ${d.reason}`)).toEqual(['0 server NO_SOCKET', '1 server NO_SOCKET']);
    expect(drops[0]!.frameId).toBeGreaterThan(0);
    expect(await svc.listDrops({ offset: 1, limit: 10 })).toEqual([drops[1]]);
  });

  it('as fast as possible: the scripted ping completes within one tick budget', async () => {
    const { svc } = make();
    await svc.setSpeed({ mode: 'max' });
    await svc.run();
    for (let i = 0; i < 5; i++) svc.tick();
    const st = (await svc.getState()).status;
    // ARP request/reply + 3 echo request/reply; later the server's unicast ARP probe (DELAY -> PROBE).
    expect(st.frameCount).toBeGreaterThanOrEqual(8);
    const page = await svc.listFrames({ offset: 0, limit: 8 });
    expect(page.rows.map((r) => r.protocol)).toEqual(['ARP', 'ARP', 'ICMP', 'ICMP', 'ICMP', 'ICMP', 'ICMP', 'ICMP']);
    const detail = await svc.getFrame(page.rows[2]!.no);
    const layers = detail!.tree.map((n) => n.label);
    expect(layers.some((l) => l.startsWith('Ethernet II'))).toBe(true);
    expect(layers.some((l) => l.startsWith('Internet Protocol Version 4, Src: 10.0.0.1, Dst: 10.0.0.2'))).toBe(true);
    expect(layers.some((l) => l.startsWith('Internet Control Message Protocol'))).toBe(true);
    expect(Buffer.from(detail!.bytesBase64, 'base64')).toHaveLength(98);
  });

  it('a display filter pages the frames it selects, stays live as the lab runs, and refuses a bad filter with its place', async () => {
    const { svc } = make();
    await svc.setSpeed({ mode: 'max' });
    await svc.run();
    svc.tick();
    const icmp = await svc.listFrames({ offset: 0, limit: 100, filter: 'icmp.type == 8' });
    expect(icmp.rows.map((r) => r.info.startsWith('Echo (ping) request'))).toEqual([true, true, true]);
    expect(icmp.total).toBe(3);
    const page = await svc.listFrames({ offset: 1, limit: 1, filter: 'icmp.type == 8' });
    expect(page.rows.map((r) => r.no)).toEqual([icmp.rows[1]!.no]);
    const all = await svc.listFrames({ offset: 0, limit: 100 });
    expect((await svc.listFrames({ offset: 0, limit: 100, filter: 'arp or icmp' })).total).toBe(all.rows.filter((r) => r.protocol === 'ARP' || r.protocol === 'ICMP').length);
    expect((await svc.listFrames({ offset: 0, limit: 100, filter: ' ' })).total).toBe(all.total); // blank: no filter
    await expect(svc.listFrames({ offset: 0, limit: 10, filter: 'icmp.tpye == 8' })).rejects.toThrow('display filter, at character 1: "icmp.tpye" is neither a field nor a protocol name Packet Lab knows');
  });

  it('typing while paused echoes and runs the command at the current instant', async () => {
    const { svc, consoleText } = make();
    const { consoleId } = await svc.openConsole('client');
    await svc.consoleInput(consoleId, 'ip route\r');
    expect(consoleText()).toContain('client$ ip route\r\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.1 \r\nclient$ ');
  });

  it('editLab takes a link down and up again without a restart: the host sees its carrier go and come back', async () => {
    const { svc, consoleText } = make();
    const { consoleId } = await svc.openConsole('client');
    const doc = (await svc.getState()).doc;
    const r = await svc.editLab({ ...doc, links: [{ ...doc.links[0]!, up: false }] });
    expect(r.ok).toBe(true);
    await svc.consoleInput(consoleId, 'ip link show eth0\r');
    expect(consoleText()).toMatch(/eth0: <NO-CARRIER,BROADCAST,MULTICAST,UP>/);
    expect(await svc.saveLab()).toContain('"up": false');
    await svc.editLab(doc);
    await svc.consoleInput(consoleId, 'ip link show eth0\r');
    expect(consoleText().split('ip link show eth0').at(-1)).toMatch(/eth0: <BROADCAST,MULTICAST,UP,LOWER_UP>/);
  });

  it('an invalid lab file changes nothing and returns every problem', async () => {
    const { svc } = make();
    const before = await svc.saveLab();
    const r = await svc.openLab('{"format":"packet-lab/1","name":"x","machines":[{"id":"a","kind":"host","nics":[{"name":"eth0","ip":"1.2.3.4/99"}]}],"links":[]}');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.path).toBe('machines[0].nics[0].ip');
    expect(await svc.saveLab()).toBe(before);
  });

  it('editLab applies the editor\'s document to the running lab: a host added on a switch answers, a removed one closes its consoles', async () => {
    const lab = {
      format: 'packet-lab/1',
      name: 'switched',
      machines: [
        { id: 'sw1', kind: 'switch' },
        { id: 'a', kind: 'host', nics: [{ name: 'eth0', ip: '10.0.0.1/24' }] },
        { id: 'b', kind: 'host', nics: [{ name: 'eth0', ip: '10.0.0.2/24' }] },
      ],
      links: [
        { a: 'a:eth0', b: 'sw1:p1' },
        { a: 'b:eth0', b: 'sw1:p2' },
      ],
    };
    const { svc, consoleText } = make(JSON.stringify(lab));
    await svc.setSpeed({ mode: 'max' });
    await svc.run();
    const onA = (await svc.openConsole('a')).consoleId;
    const onB = (await svc.openConsole('b')).consoleId;
    svc.tick();
    const timeBefore = (await svc.getState()).status.timeNs;
    const added = structuredClone(lab) as typeof lab & { machines: { position?: unknown }[] };
    added.machines.push({ id: 'c', kind: 'host', nics: [{ name: 'eth0', ip: '10.0.0.3/24' }] });
    added.links.push({ a: 'c:eth0', b: 'sw1:p9' }); // sw1 grows a port
    added.machines[1]!.position = { x: 5, y: 5 };
    const r = await svc.editLab(added as never);
    expect(r.ok).toBe(true);
    expect((await svc.getState()).status.timeNs).toBeGreaterThanOrEqual(timeBefore); // no restart
    await svc.consoleInput(onA, 'ping -c 1 10.0.0.3\r');
    for (let i = 0; i < 5; i++) svc.tick();
    expect(consoleText()).toContain('1 packets transmitted, 1 received');
    const removed = { ...added, machines: added.machines.filter((m) => m.id !== 'b'), links: added.links.filter((l) => !l.a.startsWith('b:')) };
    expect((await svc.editLab(removed as never)).ok).toBe(true);
    await expect(svc.consoleInput(onB, 'ls\r')).rejects.toThrow(/no console/);
    await svc.consoleInput(onA, 'id\r');
    const before = await svc.saveLab();
    const bad = await svc.editLab({ ...removed, links: [...removed.links, { a: 'a:eth0', b: 'ghost:eth0' }] } as never);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map((e) => e.path)).toContain('links[2].b');
    expect(await svc.saveLab()).toBe(before);
    await expect(dispatch(svc, 'editLab', [])).rejects.toThrow(ApiError);
  });

  it('an internal error in the simulation pauses the lab and is reported, instead of ending the process', async () => {
    const { svc, events } = make();
    const world = (svc as unknown as { session: { world: { sched: { at(t: number, f: () => void): void } } } }).session.world;
    world.sched.at(2e9, () => {
      throw new Error('boom');
    });
    await svc.setSpeed({ mode: 'max' });
    await svc.run();
    expect(() => {
      for (let i = 0; i < 5; i++) svc.tick();
    }).not.toThrow();
    const fault = events.find((e) => e.type === 'fault');
    expect(fault).toEqual({ type: 'fault', message: 'The simulation stopped at t = 2.000000 s: boom. The lab is paused; Save keeps your lab, Reset starts it over.' });
    expect((await svc.getState()).status.running).toBe(false);
  });

  it('reset starts over at time 0 with an empty trace and keeps consoles open with a new shell', async () => {
    const { svc, consoleText } = make();
    const { consoleId } = await svc.openConsole('client');
    await svc.setSpeed({ mode: 'max' });
    await svc.run();
    for (let i = 0; i < 3; i++) svc.tick();
    const st = await svc.reset();
    expect(st.status.timeNs).toBe(0);
    expect(st.status.frameCount).toBe(0);
    await svc.consoleInput(consoleId, 'ip neigh\r');
    expect(consoleText()).toContain('[lab reset: new shell]');
  });

  it('moveMachine keeps the position for saving; unknown ids are refused', async () => {
    const { svc } = make();
    await svc.moveMachine('server', 12.4, 99.6);
    expect(JSON.parse(await svc.saveLab()).machines[1].position).toEqual({ x: 12, y: 100 });
    await expect(svc.moveMachine('nobody', 1, 1)).rejects.toThrow('no machine "nobody"');
    await expect(svc.consoleInput('c999', 'x')).rejects.toThrow('no console "c999"');
  });

  it('exports pcapng and pcap as base64 with a file name from the lab', async () => {
    const { svc } = make();
    await svc.setSpeed({ mode: 'max' });
    await svc.run();
    for (let i = 0; i < 3; i++) svc.tick();
    const ng = await svc.exportCapture('pcapng');
    expect(ng.fileName).toBe('two-hosts.pcapng');
    expect(Buffer.from(ng.dataBase64, 'base64').readUInt32LE(0)).toBe(0x0a0d0d0a);
    const pc = await svc.exportCapture('pcap');
    expect(Buffer.from(pc.dataBase64, 'base64').readUInt32LE(0)).toBe(0xa1b23c4d);
  });
});

describe('LabService: services and the machine log', () => {
  /** Type one line on a console, then let the lab run in real time until `until` shows up (or fail). */
  async function typeAndWait(t: ReturnType<typeof make>, consoleId: string, line: string, until: string) {
    const before = t.consoleText().length;
    await t.svc.consoleInput(consoleId, `${line}\r`);
    for (let i = 0; i < 100 && !t.consoleText().slice(before).includes(until); i++) {
      t.clock.t += 50;
      t.svc.tick();
    }
    expect(t.consoleText().slice(before)).toContain(until);
  }

  it('startService runs `service ftp start` as root; listServices shows it running with its pid and port 21', async () => {
    const { svc } = make(DEFAULT_LAB);
    const before = await svc.listServices('server');
    expect(before.map((s) => s.name)).toEqual(['echo', 'ftp', 'http', 'ssh', 'telnet', 'smtp', 'dns', 'listen']);
    expect(before.every((s) => s.state === 'stopped' && s.pid === undefined)).toBe(true);
    expect(before.find((s) => s.name === 'ftp')).toMatchObject({ daemon: 'ftpd', defaultPort: 21, proto: 'tcp' });

    const r = await svc.startService('server', 'ftp');
    expect(r.command).toBe('service ftp start');
    expect(r.exitStatus).toBe(0);
    expect(r.output).toMatch(/^Started ftp: ftpd \(pid (\d+)\) on port 21\/tcp\n$/);
    const pid = Number(/pid (\d+)/.exec(r.output)![1]);
    const ftp = (await svc.listServices('server')).find((s) => s.name === 'ftp')!;
    expect(ftp).toMatchObject({ state: 'running', pid, port: 21 });
    expect(r.services.find((s) => s.name === 'ftp')).toEqual(ftp);
    // The daemon is what ps would show: a child of init, run by root, listening on 21.
    const st = await svc.getMachineState('server');
    expect(st.processes.find((p) => p.pid === pid)).toMatchObject({ name: 'ftpd', ppid: 1, user: 'root' });
    expect(st.sockets.some((s) => s.state === 'LISTEN' && s.localPort === 21 && s.owners.some((o) => o.pid === pid))).toBe(true);
    // The command needed 1 ms of lab time (it waits for the daemon to reach accept()), paused or not.
    expect((await svc.getState()).status.timeNs).toBeGreaterThanOrEqual(1e6);
  });

  it('a port that is taken fails with the holder in the reason; a given port is used; stop ends the daemon', async () => {
    const { svc } = make(DEFAULT_LAB);
    const ftp = await svc.startService('server', 'ftp');
    const ftpPid = Number(/pid (\d+)/.exec(ftp.output)![1]);

    const clash = await svc.startService('server', 'http', 21);
    expect(clash.command).toBe('service http start 21');
    expect(clash.exitStatus).toBe(1);
    expect(clash.output).toContain('Job for http.service failed: httpd exited at start.');
    expect(clash.output).toContain(`port 21 in use by ftpd pid ${ftpPid}`);
    expect(clash.services.find((s) => s.name === 'http')!.state).toBe('stopped');

    const http = await svc.startService('server', 'http', 8080);
    expect(http.exitStatus).toBe(0);
    expect(http.services.find((s) => s.name === 'http')).toMatchObject({ state: 'running', port: 8080, defaultPort: 80 });

    const again = await svc.startService('server', 'ftp');
    expect(again.output).toBe(`ftp is already running (pid ${ftpPid}, port 21)\n`);

    const stop = await svc.stopService('server', 'ftp');
    expect(stop).toMatchObject({ command: 'service ftp stop', exitStatus: 0, output: `Stopped ftp (pid ${ftpPid})\n` });
    const stopped = stop.services.find((s) => s.name === 'ftp')!;
    expect(stopped.state).toBe('stopped');
    expect(stopped.pid).toBeUndefined();
    expect(stopped.port).toBeUndefined();
    expect((await svc.getMachineState('server')).processes.some((p) => p.pid === ftpPid)).toBe(false);
    expect((await svc.stopService('server', 'ftp')).output).toBe('ftp is not running\n');
  });

  it('an FTP login from a console shows in the server\'s log with its time; offset and limit page it', async () => {
    const t = make(DEFAULT_LAB);
    const { svc } = t;
    await svc.startService('server', 'ftp');
    await svc.run();
    const { consoleId } = await svc.openConsole('alice');
    await typeAndWait(t, consoleId, 'ftp 10.0.0.10', 'Name (10.0.0.10:');
    await typeAndWait(t, consoleId, 'student', 'Password:');
    await typeAndWait(t, consoleId, 'student', 'ftp>');
    await typeAndWait(t, consoleId, 'bye', '221');

    const log = await svc.machineLog('server');
    const login = log.find((l) => /^ftpd\[\d+\]: OK LOGIN: Client "10\.0\.0\.11", user "student"$/.test(l.text));
    expect(login).toBeDefined();
    expect(login!.timeNs).toBeGreaterThan(0);
    expect(log.map((l) => l.timeNs)).toEqual([...log.map((l) => l.timeNs)].sort((a, b) => a - b));
    expect(await svc.machineLog('alice')).toEqual([]);
    expect(await svc.machineLog('server', { offset: 1, limit: 1 })).toEqual(log.slice(1, 2));
    expect(await svc.machineLog('server', { offset: log.length })).toEqual([]);
  });

  it('refuses unknown machines, switches, unknown services and bad ports', async () => {
    const { svc } = make(DEFAULT_LAB);
    await expect(svc.listServices('nobody')).rejects.toThrow('no machine "nobody"');
    await expect(svc.listServices('sw1')).rejects.toThrow('sw1 is a switch: it runs no services');
    await expect(svc.startService('sw1', 'ftp')).rejects.toThrow('sw1 is a switch: it runs no services');
    await expect(svc.machineLog('sw1')).rejects.toThrow('sw1 is a switch: it has no log');
    await expect(svc.startService('server', 'gopher')).rejects.toThrow('no service "gopher"');
    await expect(svc.stopService('server', 'gopher')).rejects.toThrow('no service "gopher"');
    await expect(svc.startService('server', 'ftp', 70000)).rejects.toThrow('70000 is not a port number (1-65535)');
    await expect(svc.startService('server', 'ftp', 2.5)).rejects.toThrow('not a port number');
  });

  it('dispatch validates the new calls\' arguments before the service sees them', async () => {
    const { svc } = make(DEFAULT_LAB);
    const bad = async (method: string, args: unknown[], text: string) => {
      const p = dispatch(svc, method, args);
      await expect(p).rejects.toBeInstanceOf(ApiError);
      await expect(dispatch(svc, method, args)).rejects.toThrow(text);
    };
    await bad('listServices', [''], 'listServices: invalid argument 0');
    await bad('listServices', [], 'listServices: invalid argument');
    await bad('startService', ['server', 'gopher'], 'startService: invalid argument 1');
    await bad('startService', ['server', 'ftp', 0], 'startService: invalid argument 2');
    await bad('startService', ['server', 'ftp', 65536], 'startService: invalid argument 2');
    await bad('startService', ['server', 'ftp', 21.5], 'startService: invalid argument 2');
    await bad('startService', ['server', 'ftp', '21'], 'startService: invalid argument 2');
    await bad('startService', ['server', 'ftp', 21, 'x'], 'startService: invalid argument');
    await bad('stopService', ['server', 'ftp', 21], 'stopService: invalid argument');
    await bad('machineLog', ['server', { offset: -1 }], 'machineLog: invalid argument 1.offset');
    await bad('machineLog', ['server', { limit: 100_000 }], 'machineLog: invalid argument 1.limit');
    await bad('machineLog', ['server', { since: 0 }], 'machineLog: invalid argument 1');
    // JSON has no undefined: an absent port arrives as null and means the well-known port.
    const r = (await dispatch(svc, 'startService', ['server', 'ftp', null])) as { command: string; exitStatus: number };
    expect(r).toMatchObject({ command: 'service ftp start', exitStatus: 0 });
    await expect(dispatch(svc, 'machineLog', ['server'])).resolves.toEqual(expect.any(Array));
    await expect(dispatch(svc, 'listServices', ['nobody'])).rejects.toThrow('no machine "nobody"');
  });
});
