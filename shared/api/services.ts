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

/**
 * A simulated service exposed on this computer's loopback (the bridge): real programs connect to
 * 127.0.0.1:localPort and reach machine:port through a gateway machine added to the lab.
 */
export interface BridgeStatus {
  machine: string;
  port: number;
  localPort: number;
  /** The gateway machine's id and address (it joins the target's switch). */
  gateway: string;
  gatewayAddress: string;
  /** What to type in a real terminal, e.g. "curl http://127.0.0.1:8080/". */
  hint: string;
}

/** What to run on this computer to use a bridged service (by the service's well-known port). */
export function bridgeHint(port: number, localPort: number): string {
  switch (port) {
    case 80:
      return `curl -v http://127.0.0.1:${localPort}/`;
    case 22:
      return `ssh -p ${localPort} student@127.0.0.1`;
    case 23:
      return `telnet 127.0.0.1 ${localPort}`;
    case 25:
      return `python3 -c "import smtplib; s=smtplib.SMTP('127.0.0.1', ${localPort}); s.sendmail('me@example.org', ['student'], 'Subject: hi\\n\\nhello'); s.quit()"`;
    case 21:
      return `ftp 127.0.0.1 ${localPort}   (the control connection only: FTP's data connections are not bridged)`;
    default:
      return `nc 127.0.0.1 ${localPort}`;
  }
}
