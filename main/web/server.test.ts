import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { LabEvent } from '../../shared/api/contract';
import { LabService, readDefaultLab } from '../service';
import { TraceStore } from '../trace';
import { tempDir } from '../test/tools';
import { startWebHost, type WebHost } from './server';

let host: WebHost;
let service: LabService;
let store: TraceStore;
let dir: string;

beforeEach(async () => {
  dir = tempDir('plab-web-');
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
  store = TraceStore.open(':memory:');
  service = new LabService(readDefaultLab(), { store });
  host = await startWebHost({ service, rendererDir: dir });
});

afterEach(async () => {
  await host.close();
  service.dispose();
  store.close();
});

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => ok({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

function connect(query = `?token=${host.token}`): Promise<WebSocket> {
  return new Promise((ok, fail) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api${query}`);
    ws.once('open', () => ok(ws));
    ws.once('error', fail);
  });
}

/** A minimal client: calls by id, collects pushed events. */
function client(ws: WebSocket) {
  let id = 0;
  const events: LabEvent[] = [];
  const waiting = new Map<number, (m: { result?: unknown; error?: string }) => void>();
  ws.on('message', (raw) => {
    const m = JSON.parse(raw.toString());
    if (m.event) events.push(m.event);
    else waiting.get(m.id)?.(m);
  });
  return {
    events,
    call: (method: string, ...args: unknown[]) =>
      new Promise<{ result?: unknown; error?: string }>((ok) => {
        const n = ++id;
        waiting.set(n, ok);
        ws.send(JSON.stringify({ id: n, method, args }));
      }),
  };
}

describe('browser mode host', () => {
  it('listens on 127.0.0.1 and prints a URL with the token', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
  });

  it('refuses pages without the token, serves them with it and sets an HttpOnly cookie', async () => {
    expect((await get('/')).status).toBe(403);
    expect((await get('/?token=wrong')).status).toBe(403);
    const ok = await get(`/?token=${host.token}`);
    expect(ok.status).toBe(200);
    expect(String(ok.headers['set-cookie'])).toMatch(/packetlab_token=.*HttpOnly; SameSite=Strict/);
    expect(String(ok.headers['content-security-policy'])).toContain("script-src 'self'");
    expect((await get('/index.html', { cookie: `packetlab_token=${host.token}` })).status).toBe(200);
  });

  it('refuses a foreign Host header (DNS rebinding) and path traversal', async () => {
    expect((await get(`/?token=${host.token}`, { host: 'evil.example:80' })).status).toBe(421);
    expect((await get(`/..%2f..%2fetc%2fpasswd?token=${host.token}`)).status).toBe(404);
  });

  it('refuses a WebSocket without the token or from another origin', async () => {
    await expect(connect('')).rejects.toThrow(/403/);
    await expect(
      new Promise((ok, fail) => {
        const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api?token=${host.token}`, { origin: 'http://evil.example' });
        ws.once('open', ok);
        ws.once('error', fail);
      }),
    ).rejects.toThrow(/403/);
  });

  it('answers calls, validates arguments, and streams console output', async () => {
    const ws = await connect();
    const c = client(ws);
    const state = (await c.call('getState')).result as { doc: { machines: { id: string }[] } };
    expect(state.doc.machines.map((m) => m.id)).toContain('server');
    expect((await c.call('nope')).error).toMatch(/unknown method/);
    expect((await c.call('listFrames', { offset: -1, limit: 10 })).error).toMatch(/listFrames: invalid argument 0.offset/);
    expect((await c.call('openConsole', 'sw1')).error).toMatch(/sw1 is a switch: it has no shell/);
    const { consoleId } = (await c.call('openConsole', 'alice')).result as { consoleId: string };
    await c.call('consoleInput', consoleId, 'ip addr\r');
    const text = c.events.filter((e) => e.type === 'console').map((e) => (e as { data: string }).data).join('');
    expect(text).toContain('alice$ ip addr');
    expect(text).toContain('inet 10.0.0.11/24');
    ws.close();
  });

  it('carries the service calls: start (a JSON null port is the well-known one), list, the log, and their validation', async () => {
    const ws = await connect();
    const c = client(ws);
    const started = (await c.call('startService', 'server', 'ftp', null)).result as { command: string; exitStatus: number; output: string };
    expect(started).toMatchObject({ command: 'service ftp start', exitStatus: 0 });
    expect(started.output).toMatch(/^Started ftp: ftpd \(pid \d+\) on port 21\/tcp\n$/);
    const list = (await c.call('listServices', 'server')).result as { name: string; state: string; port?: number }[];
    expect(list.find((s) => s.name === 'ftp')).toMatchObject({ state: 'running', port: 21 });
    const log = (await c.call('machineLog', 'server', { limit: 10 })).result as { timeNs: number; text: string }[];
    expect(log.some((l) => /^ftpd\[\d+\]: /.test(l.text))).toBe(true);
    expect((await c.call('startService', 'server', 'gopher')).error).toMatch(/startService: invalid argument 1/);
    expect((await c.call('startService', 'server', 'http', 70000)).error).toMatch(/startService: invalid argument 2/);
    expect((await c.call('stopService', 'nobody', 'ftp')).error).toMatch(/no machine "nobody"/);
    expect((await c.call('machineLog', 'server', { limit: 0 })).error).toMatch(/machineLog: invalid argument 1.limit/);
    expect((await c.call('stopService', 'server', 'ftp')).result).toMatchObject({ command: 'service ftp stop', exitStatus: 0 });
    ws.close();
  });

  it("hangs up a page's consoles when its socket closes", async () => {
    const ws = await connect();
    const { consoleId } = (await client(ws).call('openConsole', 'bob')).result as { consoleId: string };
    await new Promise<void>((ok) => {
      ws.once('close', () => ok());
      ws.close();
    });
    await new Promise((ok) => setTimeout(ok, 50)); // let the server see the close
    const other = client(await connect());
    expect((await other.call('consoleInput', consoleId, 'x')).error).toMatch(/no console/);
  });

  it('rejects malformed messages without closing the connection', async () => {
    const ws = await connect();
    const replies: unknown[] = [];
    ws.on('message', (raw) => replies.push(JSON.parse(raw.toString())));
    ws.send('not json');
    ws.send(JSON.stringify({ id: 'x' }));
    const c = client(ws);
    expect((await c.call('getState')).result).toBeTruthy();
    expect(replies.filter((r) => (r as { error?: string }).error?.startsWith('bad message'))).toHaveLength(2);
    ws.close();
  });
});
