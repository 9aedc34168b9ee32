// WebSocket transport for browser mode (main/web). Protocol:
//   client -> { id, method, args }          server -> { id, result } | { id, error }
//   server -> { event: LabEvent }           (pushed; not a reply)
// Calls made while the socket is connecting are queued; a close rejects every outstanding call
// (the host may or may not have applied them: never retried) and schedules a reconnect.
import type { LabEvent } from '../../shared/api/contract';

/** The subset of the DOM WebSocket the client uses (a fake in tests). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code?: number; reason?: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

export type SocketFactory = (url: string) => SocketLike;

export type ConnectionState =
  | { kind: 'connecting'; attempt: number }
  | { kind: 'open' }
  | { kind: 'closed'; code?: number; reason?: string; retryInMs: number };

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface WsClientOptions {
  /** First reconnect delay; doubles up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  timers?: Timers;
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  method: string;
}

const OPEN = 1;

export class WsLabClient {
  private socket: SocketLike | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private queue: string[] = [];
  private readonly eventListeners = new Set<(e: LabEvent) => void>();
  private readonly stateListeners = new Set<(s: ConnectionState) => void>();
  private state: ConnectionState = { kind: 'connecting', attempt: 1 };
  private attempt = 0;
  private retryTimer: unknown = null;
  private disposed = false;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly timers: Timers;

  constructor(
    private readonly url: string,
    private readonly factory: SocketFactory,
    options: WsClientOptions = {},
  ) {
    this.initialDelayMs = options.initialDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 5000;
    this.timers = options.timers ?? {
      setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
      clearTimeout: (h) => globalThis.clearTimeout(h as number),
    };
    this.connect();
  }

  get connection(): ConnectionState {
    return this.state;
  }

  call(method: string, args: unknown[]): Promise<unknown> {
    if (this.disposed) return Promise.reject(new Error('client closed'));
    if (this.state.kind === 'closed') {
      return Promise.reject(new Error(`not connected to the lab host (${method})`));
    }
    const id = this.nextId++;
    const text = JSON.stringify({ id, method, args });
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, method });
      if (this.socket && this.socket.readyState === OPEN) this.socket.send(text);
      else this.queue.push(text);
    });
  }

  onEvent(cb: (e: LabEvent) => void): () => void {
    this.eventListeners.add(cb);
    return () => this.eventListeners.delete(cb);
  }

  /** Calls cb now with the current state, then on every change. */
  onConnection(cb: (s: ConnectionState) => void): () => void {
    this.stateListeners.add(cb);
    cb(this.state);
    return () => this.stateListeners.delete(cb);
  }

  /** Reconnect now instead of waiting for the backoff timer. */
  retryNow(): void {
    if (this.disposed || this.state.kind !== 'closed') return;
    this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.connect();
  }

  dispose(): void {
    this.disposed = true;
    this.timers.clearTimeout(this.retryTimer);
    const s = this.socket;
    this.socket = null;
    if (s) {
      s.onopen = s.onclose = s.onerror = s.onmessage = null;
      s.close();
    }
    this.failAll(new Error('client closed'));
  }

  private setState(s: ConnectionState): void {
    this.state = s;
    for (const cb of this.stateListeners) cb(s);
  }

  private connect(): void {
    this.attempt++;
    this.setState({ kind: 'connecting', attempt: this.attempt });
    let socket: SocketLike;
    try {
      socket = this.factory(this.url);
    } catch (err) {
      this.handleClose(undefined, err instanceof Error ? err.message : String(err));
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.attempt = 0;
      const queued = this.queue;
      this.queue = [];
      for (const text of queued) socket.send(text);
      this.setState({ kind: 'open' });
    };
    socket.onmessage = (ev) => {
      if (this.socket === socket) this.handleMessage(ev.data);
    };
    socket.onerror = () => {
      // A close event always follows; it carries the details.
    };
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.handleClose(ev.code, ev.reason);
    };
  }

  private handleClose(code: number | undefined, reason: string | undefined): void {
    this.failAll(new Error('connection to the lab host was lost'));
    if (this.disposed) return;
    const delay = Math.min(this.maxDelayMs, this.initialDelayMs * 2 ** Math.max(0, this.attempt - 1));
    this.setState({ kind: 'closed', code, reason: reason || undefined, retryInMs: delay });
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = null;
      if (!this.disposed) this.connect();
    }, delay);
  }

  private failAll(err: Error): void {
    this.queue = [];
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(err);
  }

  /** Handles one server message; malformed messages are ignored. */
  handleMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    let msg: unknown;
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof msg !== 'object' || msg === null) return;
    const m = msg as { id?: unknown; result?: unknown; error?: unknown; event?: unknown };
    if (m.event !== undefined) {
      if (typeof m.event === 'object' && m.event !== null) {
        for (const cb of [...this.eventListeners]) cb(m.event as LabEvent);
      }
      return;
    }
    if (typeof m.id !== 'number') return;
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if ('error' in m && m.error !== undefined) {
      p.reject(new Error(typeof m.error === 'string' ? m.error : JSON.stringify(m.error)));
    } else {
      p.resolve(m.result);
    }
  }
}

/**
 * `ws(s)://<host>/api?token=<token>` from the page's location; the token is the page URL's `token`
 * query parameter. Without one, the query is left off (the host may accept its session cookie).
 */
export function buildWsUrl(loc: { protocol: string; host: string; search: string }): {
  url: string;
  token: string | null;
} {
  const token = new URLSearchParams(loc.search).get('token');
  const scheme = loc.protocol === 'https:' ? 'wss' : 'ws';
  const query = token === null ? '' : `?token=${encodeURIComponent(token)}`;
  return { url: `${scheme}://${loc.host}/api${query}`, token };
}
