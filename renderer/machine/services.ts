// The Services dialog's logic (pure; see services.test.ts): what the port field holds and means,
// how a service's state reads, and what a start or stop said.
import type { ServiceCommandResult, ServiceStatus } from '../../shared/api';

/** The port field's text for a service: the port it runs on, else the one typed, else the well-known one. */
export function portFieldText(s: ServiceStatus, typed: string | undefined): string {
  if (s.state === 'running' && s.port !== undefined) return String(s.port);
  return typed ?? String(s.defaultPort);
}

export type PortChoice = { ok: true; port: number | undefined } | { ok: false; error: string };

/**
 * The port to start a service on: undefined for its well-known port (the command is then
 * `service NAME start`, as a person would type it), else an integer in 1..65535.
 */
export function parsePortField(text: string, s: ServiceStatus): PortChoice {
  const t = text.trim();
  if (t === '') return { ok: true, port: undefined };
  if (!/^\d{1,5}$/.test(t)) return { ok: false, error: `"${t}" is not a port number (1-65535)` };
  const port = Number(t);
  if (port < 1 || port > 65535) return { ok: false, error: `${port} is not a port number (1-65535)` };
  return { ok: true, port: port === s.defaultPort ? undefined : port };
}

/** "running · pid 105 · port 21/tcp" or "stopped". */
export function serviceStateText(s: ServiceStatus): string {
  if (s.state !== 'running') return 'stopped';
  const parts = ['running'];
  if (s.pid !== undefined) parts.push(`pid ${s.pid}`);
  if (s.port !== undefined) parts.push(`port ${s.port}/${s.proto}`);
  return parts.join(' · ');
}

export interface ServiceMessage {
  kind: 'ok' | 'error';
  /** The command that ran, as a console would show it. */
  command: string;
  /** Its output (the reason, when it failed). */
  text: string;
}

/** What a start/stop said, for the line under the service's row. */
export function commandMessage(r: ServiceCommandResult): ServiceMessage {
  const text = r.output.replace(/\s+$/, '');
  if (r.exitStatus === 0) return { kind: 'ok', command: r.command, text };
  return { kind: 'error', command: r.command, text: text || `${r.command} failed with exit status ${r.exitStatus}` };
}

/** A failed call (the machine left the lab, the connection dropped...) as an error message. */
export function callFailedMessage(command: string, reason: string): ServiceMessage {
  return { kind: 'error', command, text: reason };
}

/** The command line a start or stop will run, for the button's title. */
export function commandLine(name: string, action: 'start' | 'stop', port?: number): string {
  return `service ${name} ${action}${action === 'start' && port !== undefined ? ` ${port}` : ''}`;
}

/** Running TCP services a bridge can expose (UDP, like DNS over UDP, is not bridged). */
export function bridgeable(services: readonly ServiceStatus[]): ServiceStatus[] {
  return services.filter((s) => s.state === 'running' && s.port !== undefined && s.proto !== 'udp');
}

/** The loopback port offered first: 8000 + a privileged port (80 -> 8080), else the same port. */
export function defaultLocalPort(port: number): number {
  return port < 1024 ? 8000 + port : port;
}
