// Browser mode: the built renderer over HTTP and the LabService over a WebSocket, on 127.0.0.1
// only. Protocol: {id, method, args} -> {id, result} | {id, error}; pushed {event}.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { LabEvent } from '../../shared/api/contract';
import { dispatch, type LabService } from '../service';
import { authorize, COOKIE, newToken, originAllowed } from './auth';
import { securityHeaders, serveFile } from './static';

export interface WebHostOptions {
  service: LabService;
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  token?: string;
}

export interface WebHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MAX_MESSAGE = 20 * 1024 * 1024;

export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const token = opts.token ?? newToken();
  let port = 0;
  const server = createServer((req, res) => {
    const auth = authorize(req, token, port);
    const headers = securityHeaders(port);
    if (!auth.ok) {
      res.writeHead(auth.status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end(`Packet Lab: ${auth.reason}\n`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers).end();
      return;
    }
    if (auth.viaQuery) headers['Set-Cookie'] = `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    void serveFile(opts.rendererDir, new URL(req.url ?? '/', 'http://x').pathname, res, headers);
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE });
  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    const auth = authorize(req, token, port);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (!auth.ok || path !== '/api' || !originAllowed(req, port)) {
      socket.end(`HTTP/1.1 ${auth.ok ? 403 : auth.status} Forbidden\r\nConnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveClient(ws, opts.service));
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise((ok) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.close(() => ok());
      }),
  };
}

function serveClient(ws: WebSocket, service: LabService): void {
  const send = (msg: unknown) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  };
  const unsubscribe = service.onEvent((event: LabEvent) => send({ event }));
  // A console belongs to the page that opened it: when the page goes, its shells are hung up.
  const consoles = new Set<string>();
  ws.on('close', () => {
    unsubscribe();
    for (const id of consoles) void service.closeConsole(id).catch(() => {});
  });
  ws.on('message', async (raw, isBinary) => {
    let msg: unknown;
    try {
      msg = isBinary ? undefined : JSON.parse(raw.toString());
    } catch {
      msg = undefined;
    }
    const m = msg as { id?: unknown; method?: unknown; args?: unknown } | undefined;
    if (!m || typeof m !== 'object' || typeof m.id !== 'number' || !Number.isSafeInteger(m.id)) {
      send({ id: null, error: 'bad message: expected {"id": number, "method": string, "args": [...]}' });
      return;
    }
    try {
      const result = await dispatch(service, m.method, m.args);
      if (m.method === 'openConsole') consoles.add((result as { consoleId: string }).consoleId);
      if (m.method === 'closeConsole' && Array.isArray(m.args)) consoles.delete(String(m.args[0]));
      send({ id: m.id, result: result ?? null });
    } catch (e) {
      send({ id: m.id, error: (e as Error).message });
    }
  });
}
