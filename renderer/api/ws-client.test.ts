import { describe, expect, it } from 'vitest';
import type { LabEvent } from '../../shared/api/contract';
import { makeLabApi } from './make-api';
import { buildWsUrl, WsLabClient, type ConnectionState, type SocketLike, type Timers } from './ws-client';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: unknown[] = [];
  closed = false;
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: { code?: number; reason?: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string): void {
    if (this.readyState !== 1) throw new Error('send while not open');
    this.sent.push(JSON.parse(data));
  }
  close(): void {
    this.closed = true;
  }
  // Server side
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  reply(msg: unknown): void {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
  drop(code = 1006, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
}

class FakeTimers implements Timers {
  queue: { fn: () => void; ms: number; id: number }[] = [];
  private seq = 0;
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.queue.push({ fn, ms, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.queue = this.queue.filter((t) => t.id !== handle);
  }
  fire(): number {
    const t = this.queue.shift();
    if (!t) throw new Error('no timer');
    t.fn();
    return t.ms;
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const timers = new FakeTimers();
  const client = new WsLabClient('ws://h/api?token=t', (url) => {
    const s = new FakeSocket(url);
    sockets.push(s);
    return s;
  }, { timers, initialDelayMs: 100, maxDelayMs: 400 });
  const states: ConnectionState[] = [];
  client.onConnection((s) => states.push(s));
  return { client, sockets, timers, states, last: () => sockets[sockets.length - 1] };
}

describe('WsLabClient', () => {
  it('queues calls while connecting and sends them on open', async () => {
    const { client, last } = setup();
    const p = client.call('getState', []);
    expect(last().sent).toEqual([]);
    last().open();
    expect(last().sent).toEqual([{ id: 1, method: 'getState', args: [] }]);
    last().reply({ id: 1, result: { ok: 1 } });
    await expect(p).resolves.toEqual({ ok: 1 });
  });

  it('matches replies to requests by id, in any order', async () => {
    const { client, last } = setup();
    last().open();
    const a = client.call('step', []);
    const b = client.call('getFrame', [7]);
    const c = client.call('moveMachine', ['h1', 1, 2]);
    expect(last().sent).toEqual([
      { id: 1, method: 'step', args: [] },
      { id: 2, method: 'getFrame', args: [7] },
      { id: 3, method: 'moveMachine', args: ['h1', 1, 2] },
    ]);
    last().reply({ id: 3, result: null });
    last().reply({ id: 1, result: 'one' });
    last().reply({ id: 2, result: 'two' });
    await expect(a).resolves.toBe('one');
    await expect(b).resolves.toBe('two');
    await expect(c).resolves.toBeNull();
  });

  it('rejects with the server error message', async () => {
    const { client, last } = setup();
    last().open();
    const p = client.call('openConsole', ['sw1']);
    last().reply({ id: 1, error: 'sw1 has no shell' });
    await expect(p).rejects.toThrow('sw1 has no shell');
  });

  it('delivers pushed events to every listener and stops after unsubscribe', () => {
    const { client, last } = setup();
    last().open();
    const got: LabEvent[] = [];
    const got2: LabEvent[] = [];
    const off = client.onEvent((e) => got.push(e));
    client.onEvent((e) => got2.push(e));
    const ev: LabEvent = { type: 'console', consoleId: 'c1', data: 'hi\r\n' };
    last().reply({ event: ev });
    off();
    last().reply({ event: { type: 'console', consoleId: 'c1', data: 'again' } });
    expect(got).toEqual([ev]);
    expect(got2).toHaveLength(2);
  });

  it('ignores malformed messages, unknown ids and duplicate replies', async () => {
    const { client, last } = setup();
    last().open();
    const p = client.call('saveLab', []);
    last().onmessage?.({ data: 'not json' });
    last().onmessage?.({ data: new ArrayBuffer(2) });
    last().reply(42);
    last().reply({ id: 99, result: 'stray' });
    last().reply({ id: 1, result: 'text' });
    last().reply({ id: 1, result: 'dup' });
    await expect(p).resolves.toBe('text');
  });

  it('a result of undefined/null is a success, not an error', async () => {
    const { client, last } = setup();
    last().open();
    const p = client.call('closeConsole', ['c1']);
    last().reply({ id: 1 });
    await expect(p).resolves.toBeUndefined();
  });

  it('rejects outstanding calls on close, reports the state and reconnects with backoff', async () => {
    const { client, sockets, timers, states, last } = setup();
    last().open();
    const p = client.call('run', []);
    last().drop(1006);
    await expect(p).rejects.toThrow(/lost/);
    expect(states.map((s) => s.kind)).toEqual(['connecting', 'open', 'closed']);
    // While closed, calls fail fast.
    await expect(client.call('getState', [])).rejects.toThrow(/not connected/);
    expect(timers.fire()).toBe(100);
    expect(sockets).toHaveLength(2);
    expect(client.connection).toEqual({ kind: 'connecting', attempt: 1 });
    // Failing again backs off: 100, 200, 400, 400...
    last().drop();
    expect(timers.fire()).toBe(100);
    last().drop();
    expect(timers.fire()).toBe(200);
    last().drop();
    expect(timers.fire()).toBe(400);
    last().drop();
    expect(timers.fire()).toBe(400);
    last().open();
    expect(client.connection.kind).toBe('open');
    const q = client.call('getState', []);
    last().reply({ id: 2, result: 's' });
    await expect(q).resolves.toBe('s');
  });

  it('carries close code and reason into the closed state', () => {
    const { last, states } = setup();
    last().drop(1008, 'bad token');
    expect(states[states.length - 1]).toEqual({ kind: 'closed', code: 1008, reason: 'bad token', retryInMs: 100 });
  });

  it('retryNow reconnects immediately', () => {
    const { client, sockets, timers, last } = setup();
    last().drop();
    client.retryNow();
    expect(sockets).toHaveLength(2);
    expect(timers.queue).toHaveLength(0);
  });

  it('ignores a stale socket after reconnecting', async () => {
    const { client, sockets, timers } = setup();
    const first = sockets[0];
    first.drop();
    timers.fire();
    sockets[1].open();
    const p = client.call('getState', []);
    first.onmessage?.({ data: JSON.stringify({ id: 1, result: 'stale' }) });
    sockets[1].reply({ id: 1, result: 'fresh' });
    await expect(p).resolves.toBe('fresh');
  });

  it('dispose rejects pending calls and closes the socket', async () => {
    const { client, last, timers } = setup();
    last().open();
    const p = client.call('run', []);
    client.dispose();
    await expect(p).rejects.toThrow(/closed/);
    expect(last().closed).toBe(true);
    expect(timers.queue).toHaveLength(0);
  });

  it('drives a typed LabApi', async () => {
    const { client, last } = setup();
    last().open();
    const api = makeLabApi((m, args) => client.call(m, args));
    const p = api.listFrames({ offset: 200, limit: 200 });
    expect(last().sent).toEqual([{ id: 1, method: 'listFrames', args: [{ offset: 200, limit: 200 }] }]);
    last().reply({ id: 1, result: { total: 0, rows: [] } });
    await expect(p).resolves.toEqual({ total: 0, rows: [] });
  });
});

describe('buildWsUrl', () => {
  it('uses the page host and token', () => {
    expect(buildWsUrl({ protocol: 'http:', host: '127.0.0.1:5173', search: '?token=a b&x=1' })).toEqual({
      url: 'ws://127.0.0.1:5173/api?token=a%20b',
      token: 'a b',
    });
  });
  it('uses wss for https and reports a missing token', () => {
    expect(buildWsUrl({ protocol: 'https:', host: 'lab.example', search: '' })).toEqual({
      url: 'wss://lab.example/api',
      token: null,
    });
  });
});
