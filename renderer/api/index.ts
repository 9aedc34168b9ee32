// The renderer's one door to the backend: window.lab (Electron) or the WebSocket host (browser).
import type { LabApi, LabEvent, OpenedFile } from '../../shared/api/contract';
import { withListAhead } from './ahead';
import './bridge';
import { makeLabApi, type CallFn } from './make-api';
import { buildWsUrl, WsLabClient, type ConnectionState, type SocketLike } from './ws-client';

export type { ConnectionState } from './ws-client';
export { cleanErrorMessage } from './make-api';

export interface LabClient {
  api: LabApi;
  onEvent(cb: (e: LabEvent) => void): () => void;
  /** The connection as it is now (the object onConnection's first call gives). */
  readonly connection: ConnectionState;
  /** Calls cb now and on every change; Electron IPC is always open. */
  onConnection(cb: (s: ConnectionState) => void): () => void;
  /** Browser mode: reconnect now. */
  retryNow(): void;
  /** Browser mode without `?token=` in the page URL. */
  missingToken: boolean;
  transport: 'ipc' | 'websocket';
  /** Electron: open a capture or trace through the native dialog (no size limit). Browser mode: null, the page uploads the file. */
  openFileDialog: (() => Promise<OpenedFile>) | null;
}

let client: LabClient | null = null;

/** The packet list is never taller than the window: the height its first pages are asked ahead for. */
const listHeight = (): number => window.innerHeight;

/** Either transport's api, with the list's first pages asked ahead. */
const labApiOver = (call: CallFn): LabApi => withListAhead(makeLabApi(call), listHeight).api;

export function getLabApi(): LabClient {
  client ??= window.lab ? ipcClient(window.lab) : wsClient();
  return client;
}

const IPC_OPEN: ConnectionState = { kind: 'open' };

function ipcClient(bridge: NonNullable<Window['lab']>): LabClient {
  const call: CallFn = (method, args) => bridge.call(method, args);
  return {
    api: labApiOver(call),
    onEvent: (cb) => bridge.onEvent(cb),
    connection: IPC_OPEN,
    onConnection: (cb) => {
      cb(IPC_OPEN);
      return () => {};
    },
    retryNow: () => {},
    missingToken: false,
    transport: 'ipc',
    openFileDialog: () => bridge.openFileDialog(),
  };
}

function wsClient(): LabClient {
  const { url, token } = buildWsUrl(window.location);
  // The DOM WebSocket has the SocketLike members; its handler types are narrower (DOM events).
  const ws = new WsLabClient(url, (u) => new WebSocket(u) as unknown as SocketLike);
  return {
    api: labApiOver((method, args) => ws.call(method, args)),
    onEvent: (cb) => ws.onEvent(cb),
    get connection() {
      return ws.connection;
    },
    onConnection: (cb) => ws.onConnection(cb),
    retryNow: () => ws.retryNow(),
    missingToken: !token,
    transport: 'websocket',
    openFileDialog: null,
  };
}
