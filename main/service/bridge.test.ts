// Real programs (curl, Python's smtplib, OpenSSH) talk to simulated services through the bridge.
// These tests run in real time (a real client needs it); each skips with a printed reason when its
// program is not installed.
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLab } from '../../shared/lab';
import { World } from '../engine';
import { MemorySink } from '../engine/test/lab-fixtures';
import { addGateway, Bridge, parseBridgeSpec, runRealtime, type GatewayPlan } from './bridge';
import { readDefaultLab } from './default-lab';
import { NODE_PROGRAMS } from './programs';

const has = (cmd: string, args: string[]) => {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env) =>
  new Promise<{ out: string; err: string; code: number }>((resolve) => {
    execFile(cmd, args, { env, timeout: 20_000 }, (e, out, err) => resolve({ out, err, code: e ? ((e as { code?: number }).code ?? 1) : 0 }));
  });

describe('bridge specs and the gateway machine', () => {
  it('parses MACHINE:PORT=127.0.0.1:PORT and refuses other addresses', () => {
    expect(parseBridgeSpec('server:80=127.0.0.1:8080')).toEqual({ target: 'server', targetPort: 80, listenPort: 8080 });
    expect(parseBridgeSpec('server:22=2222')).toEqual({ target: 'server', targetPort: 22, listenPort: 2222 });
    expect(parseBridgeSpec('server:80=0.0.0.0:8080')).toEqual({ error: 'server:80=0.0.0.0:8080: the bridge listens on 127.0.0.1 only' });
    expect(parseBridgeSpec('server:99999=127.0.0.1:1')).toEqual({ error: 'server:99999=127.0.0.1:1: service port 99999 is not 1..65535' });
    expect('error' in parseBridgeSpec('server')).toBe(true);
  });

  it('adds a gateway host on the target\'s switch with the highest free address', () => {
    const r = parseLab(readDefaultLab());
    if (!r.ok) throw new Error('default lab');
    const plan = addGateway(r.lab, [{ target: 'server', targetPort: 80, listenPort: 8080 }]);
    if ('error' in plan) throw new Error(plan.error);
    expect(plan.gateway).toBe('bridge');
    expect(plan.gatewayAddr).toBe(0x0a0000fe); // 10.0.0.254
    expect(plan.lab.links.at(-1)).toMatchObject({ a: { machine: 'bridge', nic: 'eth0' }, b: { machine: 'sw1' } });
    expect(addGateway(r.lab, [{ target: 'nosuch', targetPort: 80, listenPort: 1 }])).toEqual({ error: 'bridge: no machine "nosuch" in the lab' });
    // Addresses above 128.0.0.0 (unsigned arithmetic): 192.168.1.0/24 gets .254.
    const high = structuredClone(r.lab);
    for (const m of high.machines) for (const n of m.nics) if (n.ip) n.ip.addr = (0xc0a80100 | (n.ip.addr & 0xff)) >>> 0;
    const p2 = addGateway(high, [{ target: 'server', targetPort: 80, listenPort: 8080 }]);
    expect('error' in p2 ? p2.error : p2.gatewayAddr).toBe(0xc0a801fe);
  });
});

describe('real clients through the bridge (real time)', () => {
  let world: World;
  let plan: GatewayPlan;
  let stop: () => void;
  const bridges = new Map<number, Bridge>();
  const sink = new MemorySink();
  const dir = mkdtempSync(join(tmpdir(), 'bridge-'));

  beforeAll(async () => {
    const r = parseLab(readDefaultLab());
    if (!r.ok) throw new Error('default lab');
    const server = r.lab.machines.find((m) => m.id === 'server')!;
    server.services = [{ name: 'http' }, { name: 'smtp' }, { name: 'ssh' }];
    const specs = [80, 25, 22].map((p) => ({ target: 'server', targetPort: p, listenPort: 0 }));
    const p = addGateway(r.lab, specs);
    if ('error' in p) throw new Error(p.error);
    plan = p;
    world = new World(plan.lab, sink, NODE_PROGRAMS);
    stop = runRealtime(world).stop;
    for (const s of specs) bridges.set(s.targetPort, await Bridge.start(world, plan, s));
  });
  afterAll(async () => {
    stop();
    for (const b of bridges.values()) await b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('curl fetches the simulated server\'s page; the frames are in the trace, from the gateway', async (ctx) => {
    if (!has('curl', ['--version'])) return ctx.skip('curl is not installed');
    const r = await run('curl', ['-s', '-i', `http://127.0.0.1:${bridges.get(80)!.port}/`]);
    expect(r.out).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(r.out).toContain('<h1>It works: server</h1>');
    expect(sink.frames.some((f) => f.machine === 'bridge' && f.dir === 'tx')).toBe(true);
  });

  it('Python smtplib sends a message that lands in student\'s mailbox', async (ctx) => {
    if (!has('python3', ['-c', 'import smtplib'])) return ctx.skip('python3 with smtplib is not installed');
    const script = `import smtplib\ns = smtplib.SMTP('127.0.0.1', ${bridges.get(25)!.port}, timeout=15)\ns.sendmail('tester@example.org', ['student@server.lab'], 'Subject: via the bridge\\r\\n\\r\\nhello from python\\r\\n')\ns.quit()\n`;
    const r = await run('python3', ['-c', script]);
    expect(r.code, r.err).toBe(0);
    const box = world.machine('server')!.fs.readText('/var/mail/student') ?? '';
    expect(box).toContain('Subject: via the bridge');
    expect(box).toContain('hello from python');
  });

  it('OpenSSH logs in with a password and runs a command', async (ctx) => {
    if (!has('ssh', ['-V'])) return ctx.skip('the OpenSSH client is not installed');
    const askpass = join(dir, 'askpass.sh');
    writeFileSync(askpass, '#!/bin/sh\necho student\n');
    chmodSync(askpass, 0o755);
    const env = { ...process.env, SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0' };
    const r = await run('ssh', ['-p', String(bridges.get(22)!.port), '-o', 'StrictHostKeyChecking=no', '-o', `UserKnownHostsFile=${join(dir, 'known_hosts')}`, '-o', 'PubkeyAuthentication=no', '-o', 'PreferredAuthentications=password', '-o', 'BatchMode=no', 'student@127.0.0.1', 'whoami'], env);
    expect(r.err).not.toMatch(/Permission denied/);
    expect(r.out.trim()).toBe('student');
  });
});
