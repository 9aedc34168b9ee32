// The programs every machine has (its /bin). Shell builtins (exit, clear) live in shell.ts.
import type { Program, Sys } from '../process';
import { arp } from './arp';
import { curl } from './clients/curl';
import { dig } from './clients/dig';
import { nslookup } from './clients/nslookup';
import { ftp } from './clients/ftp';
import { mail, sendmail } from './clients/mail';
import { nmap } from './clients/nmap';
import { telnet } from './clients/telnet';
import { traceroute } from './clients/traceroute';
import { dnsd } from './daemons/dnsd';
import { echod } from './daemons/echod';
import { ftpd } from './daemons/ftpd';
import { smtpd } from './daemons/smtpd';
import { telnetd } from './daemons/telnetd';
import { httpd } from './daemons/httpd';
import { listend } from './daemons/listend';
import { cat, echo, id, mkdir, mv, pwd, rm, rmdir, touch, whoami } from './files';
import { service, systemctl } from './service';
import { su } from './su';
import { fdpass } from './fdpass';
import { ip } from './ip';
import { kill } from './kill';
import { ls } from './ls';
import { lsof } from './lsof';
import { nc } from './nc';
import { netstat } from './netstat';
import { nstat } from './nstat';
import { ping } from './ping';
import { prefork } from './prefork';
import { ps } from './ps';
import { shell } from './shell';
import { sock } from './sock';
import { ss } from './ss';
import { out } from './stdio';
import { sysctl } from './sysctl';

export { shell, shellPrompt } from './shell';

const HELP: [string, string][] = [
  ['ip addr | ip link | ip route | ip neigh', 'show interfaces, addresses, routes, the neighbour (ARP) cache'],
  ['arp -n', 'show the ARP cache (net-tools format)'],
  ['ping [-c N] [-i S] [-s N] [-t TTL] [-W S] [-f] [-q] <ip>', 'send ICMP echo requests'],
  ['traceroute [-n] HOST', 'the routers on the way (UDP probes with growing TTL)'],
  ['ip route add NET/LEN via GW | ip route del NET/LEN', 'static routes (root)'],
  ['ss [-tuxlanpoe] [state S] [sport = :P]', 'socket table (iproute2): queues, states, owners, timers'],
  ['netstat [-tulanpoe] | netstat -s | netstat -r', 'socket table, protocol statistics, routes (net-tools)'],
  ['nstat [-az] [PATTERN]', 'kernel MIB counters (TcpExtListenOverflows...)'],
  ['ps [-ef | -l | aux | -o FMT]', 'processes (STAT, WCHAN)'],
  ['lsof -i [-nP] [-p PID]', 'open sockets per process and fd'],
  ['ls -l /proc/<pid>/fd | ls /proc', 'a process\'s descriptors (socket:[inode])'],
  ['kill [-SIG] <pid>... | kill -l', 'send a signal'],
  ['sysctl NAME | sysctl -w NAME=VALUE | sysctl -a', 'kernel parameters (net.ipv4.tcp_syncookies...)'],
  ["sock 'socket tcp; bind *:5000; listen 1; ...'", 'make socket calls one by one, strace-style (sock -h)'],
  ['nc [-u] HOST PORT | nc -l [-k] PORT', 'netcat: TCP/UDP client and server'],
  ['prefork [-n N] PORT', 'pre-forked server: N workers accept on one socket'],
  ['fdpass PORT', 'listener passes accepted fds to a worker (SCM_RIGHTS)'],
  ['service NAME start [PORT] | stop | status', 'run a service: ftp, ssh, telnet, smtp, http, dns, echo, listen (systemctl too)'],
  ['curl [-v] [-I] [-o FILE] URL', 'HTTP client'],
  ['ftp [-p] HOST', 'FTP client (active mode; -p or `passive` for passive)'],
  ['telnet HOST [PORT]', 'Telnet client (plaintext login; any TCP port: telnet HOST 80)'],
  ['ssh [USER@]HOST [CMD]', 'SSH client (encrypted login)'],
  ['mail [-s SUBJ] USER@HOST | mail [-H]', 'send mail over SMTP; read /var/mail/$USER (? for commands)'],
  ['sendmail [-v] [-t] [-f FROM] USER@HOST', 'send a whole message from stdin; -v shows the SMTP dialogue'],
  ['dig [@SERVER] NAME [TYPE] [+short] | dig -x ADDR', 'DNS lookup (BIND 9.18 output)'],
  ['nslookup NAME [SERVER]', 'DNS lookup, classic output'],
  ['nmap [-sS|-sT|-sU] [-p PORTS] HOST', 'port scanner: which ports are open'],
  ['ls [-la] [DIR] | cd DIR | pwd | cat FILE', 'files (mkdir, rm, rmdir, mv, touch too)'],
  ['echo TEXT > FILE | CMD >> FILE | CMD < FILE', 'write to and read from files with redirections'],
  ['whoami | id | su [-] USER [-c CMD]', 'who this shell runs as; run as another user'],
  ['clear', 'clear the terminal'],
  ['exit', 'close this shell'],
  ['help', 'this list'],
];

function* help(): Sys<number> {
  yield* out('Packet Lab shell. Commands:\n');
  for (const [cmd, what] of HELP) yield* out(`  ${cmd.padEnd(48)} ${what}\n`);
  yield* out('Ctrl-C interrupts the running command.\n');
  return 0;
}

export const PROGRAMS: Record<string, Program> = {
  sh: shell,
  bash: shell,
  help,
  ip,
  arp,
  ping,
  ss,
  netstat,
  nstat,
  ps,
  lsof,
  ls,
  kill,
  sysctl,
  sock,
  nc,
  netcat: nc,
  prefork,
  fdpass,
  service,
  systemctl,
  curl,
  ftp,
  telnet,
  nmap,
  traceroute,
  mail,
  sendmail,
  dig,
  nslookup,
  cat,
  echo,
  pwd,
  mkdir,
  rm,
  rmdir,
  touch,
  mv,
  whoami,
  id,
  su,
  // Daemons (started by `service`; runnable by hand too).
  dnsd,
  echod,
  ftpd,
  httpd,
  smtpd,
  telnetd,
  listend,
};

/** Installed set-uid root, as on Debian: they run as root and check who called them. */
const SETUID_ROOT = new Set(['su']);
export const isSetuidRoot = (name: string): boolean => SETUID_ROOT.has(name);

export function findProgram(name: string): Program | undefined {
  return Object.hasOwn(PROGRAMS, name) ? PROGRAMS[name] : undefined;
}
