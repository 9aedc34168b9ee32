// The services of a machine as the UI sees them (the Services dialog and the machine's Log tab):
// one row per catalogue entry (shared/kernel/services.ts) with what its pid file and the process
// table say, the result of `service NAME start|stop` run inside the machine, and the machine's log.
import type { ServiceInfo } from '../kernel/services';

export interface ServiceStatus {
  /** Catalogue name (`service NAME start`). */
  name: string;
  description: string;
  /** The program that serves it (what ps shows). */
  daemon: string;
  /** Well-known port, used when none is given. */
  defaultPort: number;
  proto: ServiceInfo['proto'];
  /** 'running': /run/NAME.pid names a live process of the daemon (what `service NAME status` checks). */
  state: 'running' | 'stopped';
  /** The daemon's pid and the port it was started on (running only). */
  pid?: number;
  port?: number;
}

/** What running `service NAME start|stop` as root inside the machine gave. */
export interface ServiceCommandResult {
  /** The command line that ran, e.g. "service ftp start 21". */
  command: string;
  /** Its exit status (0 = success; `service` uses 1 for a failed start, 2 for a bad port). */
  exitStatus: number;
  /** What it printed, stdout and stderr interleaved ("\n" line ends). */
  output: string;
  /** Every service of the machine after the command. */
  services: ServiceStatus[];
}

export interface LogQuery {
  /** Lines to skip from the start of the machine's log (default 0). */
  offset?: number;
  /** At most this many lines (default and maximum MAX_LOG_LIMIT). */
  limit?: number;
}

/** One line a daemon logged through syslog, e.g. `ftpd[412]: OK LOGIN: Client "10.0.0.11", user "student"`. */
export interface LogLine {
  /** Virtual time in integer nanoseconds. */
  timeNs: number;
  text: string;
}

export const MAX_LOG_LIMIT = 1000;

/** A port as the service command takes it: an integer in 1..65535. */
export function isPortNumber(port: unknown): port is number {
  return typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535;
}
