// The bridge from the app: expose a running service on 127.0.0.1 and reach it with a real HTTP
// request (Node's own client), in real time.
import { get } from 'node:http';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { TraceStore } from '../trace';
import { dispatch } from './dispatch';
import { LabService } from './lab-service';

const DEFAULT_LAB = readFileSync('examples/default.lab.json', 'utf8');

let svc: LabService | undefined;
let store: TraceStore | undefined;
afterEach(() => {
  svc?.dispose();
  store?.close();
});

const fetchText = (port: number) =>
  new Promise<string>((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/', timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve(`${res.statusCode} ${body}`));
    }).on('error', reject);
  });

describe('LabService bridges', () => {
  it('startBridge exposes server:80 on 127.0.0.1; the gateway shows in the lab state but not in the saved file; reset closes it', async () => {
    store = TraceStore.open(':memory:');
    svc = new LabService(DEFAULT_LAB, { store, autoTick: true, running: false });
    await svc.startService('server', 'http');
    const bridges = await svc.startBridge('server', 80, 0);
    expect(bridges).toHaveLength(1);
    const b = bridges[0]!;
    expect(b).toMatchObject({ machine: 'server', port: 80, gateway: 'bridge', gatewayAddress: '10.0.0.254' });
    expect(b.hint).toBe(`curl -v http://127.0.0.1:${b.localPort}/`);
    const state = await svc.getState();
    expect(state.status.running).toBe(true); // bridged labs run in real time
    expect(state.doc.machines.map((m) => m.id)).toContain('bridge');
    expect(await svc.saveLab()).not.toContain('"bridge"');
    // The editor sends back the document it was shown, gateway included: that is not an edit of it.
    const edited = structuredClone(state.doc);
    edited.machines[0]!.position = { x: 1, y: 2 };
    expect((await svc.editLab(edited)).ok).toBe(true);
    expect((await svc.getState()).doc.machines.map((m) => m.id)).toContain('bridge');
    expect(await svc.saveLab()).not.toContain('"bridge"');
    const page = await fetchText(b.localPort);
    expect(page).toMatch(/^200 /);
    expect(page).toContain('<h1>It works: server</h1>');
    expect((await svc.machineLog('bridge')).map((l) => l.text).join('\n')).toMatch(/bridge: connection 1 from 127\.0\.0\.1:\d+ -> server:80/);
    await svc.reset();
    expect(await svc.listBridges()).toEqual([]);
    expect((await svc.getState()).doc.machines.map((m) => m.id)).not.toContain('bridge');
  });

  it('refuses bad targets with a reason; arguments are validated at the API boundary', async () => {
    store = TraceStore.open(':memory:');
    svc = new LabService(DEFAULT_LAB, { store });
    await expect(svc.startBridge('sw1', 80)).rejects.toThrow(/sw1 is a switch/);
    await expect(svc.startBridge('nosuch', 80)).rejects.toThrow(/no machine/);
    await expect(dispatch(svc, 'startBridge', ['server', 70000])).rejects.toThrow();
    await expect(svc.stopBridge(1234)).rejects.toThrow('no bridge on 127.0.0.1:1234');
  });
});
