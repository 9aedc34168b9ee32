import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { LabEvent } from '../../shared/api/contract';
import { TraceStore } from '../trace';
import { LabService } from './lab-service';
import type { WallClock } from './pacer';

const TWO_HOSTS = readFileSync('examples/two-hosts.lab.json', 'utf8');

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

  it('typing while paused echoes and runs the command at the current instant', async () => {
    const { svc, consoleText } = make();
    const { consoleId } = await svc.openConsole('client');
    await svc.consoleInput(consoleId, 'ip route\r');
    expect(consoleText()).toContain('client$ ip route\r\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.1 \r\nclient$ ');
  });

  it('an invalid lab file changes nothing and returns every problem', async () => {
    const { svc } = make();
    const before = await svc.saveLab();
    const r = await svc.openLab('{"format":"packet-lab/1","name":"x","machines":[{"id":"a","kind":"host","nics":[{"name":"eth0","ip":"1.2.3.4/99"}]}],"links":[]}');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.path).toBe('machines[0].nics[0].ip');
    expect(await svc.saveLab()).toBe(before);
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
