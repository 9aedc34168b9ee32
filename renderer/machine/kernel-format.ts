// How the kernel's tables read on screen: `ss`-style state names, endpoints, owners and timers
// (pure; see kernel-format.test.ts).
import type { SocketOwner, SocketRow, SocketStateName, SocketTimer } from '../../shared/api';
import { formatIpv4, parseIpv4 } from '../../shared/wire';

/** `ss` spells the kernel's states with dashes and abbreviates ESTABLISHED (ss.c sstate_name). */
export function ssState(state: SocketStateName): string {
  switch (state) {
    case 'ESTABLISHED':
      return 'ESTAB';
    case 'SYN_SENT':
      return 'SYN-SENT';
    case 'SYN_RECV':
      return 'SYN-RECV';
    case 'FIN_WAIT1':
      return 'FIN-WAIT-1';
    case 'FIN_WAIT2':
      return 'FIN-WAIT-2';
    case 'CLOSE_WAIT':
      return 'CLOSE-WAIT';
    case 'LAST_ACK':
      return 'LAST-ACK';
    case 'TIME_WAIT':
      return 'TIME-WAIT';
    case 'LISTEN':
    case 'CLOSING':
    case 'CLOSE':
    case 'UNCONN':
      return state;
    default:
      return assertNever(state);
  }
}

/** "10.0.0.2:5010"; port 0 prints as "*" (unbound / no peer), as `ss` does. */
export function endpoint(addr: number, port: number): string {
  return `${formatIpv4(addr >>> 0)}:${port === 0 ? '*' : port}`;
}

export function localEndpoint(row: SocketRow): string {
  return endpoint(row.localAddr, row.localPort);
}

export function peerEndpoint(row: SocketRow): string {
  return endpoint(row.peerAddr, row.peerPort);
}

/** "10.0.0.2:5000" / "*:*" / "0.0.0.0:*" -> address and port (0 for "*"); null when unreadable. */
export function parseEndpoint(text: string): { addr: number; port: number } | null {
  const i = text.lastIndexOf(':');
  if (i < 0) return null;
  const host = text.slice(0, i);
  const portText = text.slice(i + 1);
  const addr = host === '*' ? 0 : parseIpv4(host);
  const port = portText === '*' ? 0 : Number(portText);
  if (addr === null || !Number.isInteger(port) || port < 0 || port > 65535) return null;
  return { addr, port };
}

/** `ss -p` users, one per fd: "server(412)/3, server(413)/3". */
export function ownersText(owners: readonly SocketOwner[]): string {
  return owners.map((o) => `${o.name}(${o.pid})/${o.fd}`).join(', ');
}

/** "server(412) fd 3" (the delivery view's spelling). */
export function ownerLong(o: SocketOwner): string {
  return `${o.name}(${o.pid}) fd ${o.fd}`;
}

/** A remaining duration in integer ns: "850ms", "57s", "1.5s", "2m03s". Negative -> "0ms". */
export function formatRemaining(ns: number): string {
  const ms = Math.max(0, Math.floor(ns / 1e6));
  if (ms < 1000) return `${ms}ms`;
  if (ms < 10_000) {
    const tenths = Math.floor(ms / 100);
    return tenths % 10 === 0 ? `${tenths / 10}s` : `${(tenths / 10).toFixed(1)}s`;
  }
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** `ss -o` timer: "timewait 57s", "on 850ms (2 retrans)". */
export function timerText(timer: SocketTimer | undefined, nowNs: number): string {
  if (!timer) return '';
  const base = `${timer.kind} ${formatRemaining(timer.expiresNs - nowNs)}`;
  if (timer.retransmits === 0) return base;
  const n = timer.retransmits;
  const probes = timer.kind === 'keepalive' || timer.kind === 'persist';
  return `${base} (${n} ${probes ? (n === 1 ? 'probe' : 'probes') : 'retrans'})`;
}

export function assertNever(x: never): never {
  throw new Error(`unexpected value ${JSON.stringify(x)}`);
}
