// service / systemctl: start, stop and inspect the lab's daemons, SysV-init style (what Debian's
// `service` runs underneath): start-stop-daemon starts the daemon in the background as a child of
// init and records its pid and port in /run/NAME.pid; stop sends SIGTERM to it and its children;
// status reads the pid file, checks the process and shows the end of /var/log/DAEMON.log.
//   service NAME start [PORT] | stop | restart [PORT] | status      service --status-all
//   systemctl start|stop|restart|status NAME [PORT]                 (the same, systemd's word order)
import type { ProcessRow } from '../../../shared/api/kernel-view';
import { SERVICE_CATALOG, serviceInfo, type ServiceInfo } from '../../../shared/kernel/services';
import { isErr, sys, type Sys } from '../process';
import { decodeUtf8 } from '../process/utf8';
import { readFile, writeFile } from './lib/files';
import { processRows } from './ps';
import { err, out } from './stdio';

const pidFile = (name: string) => `/run/${name}.pid`;

interface Running {
  pid: number;
  port: number;
  proc: ProcessRow;
}

/** The service's process if its pid file names a live process of its daemon. */
function* running(def: ServiceInfo): Sys<Running | null> {
  const f = yield* readFile(pidFile(def.name));
  if (isErr(f)) return null;
  const [pidText, portText] = decodeUtf8(f).split('\n');
  const pid = Number(pidText);
  const proc = (yield* processRows()).find((p) => p.pid === pid && p.state !== 'Z' && p.name === def.daemon);
  return proc ? { pid, port: Number(portText), proc } : null;
}

function* start(def: ServiceInfo, portArg: string | undefined): Sys<number> {
  const port = portArg === undefined ? def.port : Number(portArg);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    yield* err(`service: ${portArg}: not a port number (1-65535)\n`);
    return 2;
  }
  const r = yield* running(def);
  if (r) {
    yield* out(`${def.name} is already running (pid ${r.pid}, port ${r.port})\n`);
    return 0;
  }
  const pid = yield* sys.spawnDaemon([def.daemon, '-p', String(port)]);
  if (isErr(pid)) {
    yield* err(`service: cannot start ${def.daemon}: ${pid.message}\n`);
    return 1;
  }
  const recorded = yield* writeFile(pidFile(def.name), `${pid}\n${port}\n`);
  if (isErr(recorded)) {
    yield* sys.kill(pid, 'SIGTERM');
    yield* err(`service: cannot write ${pidFile(def.name)}: ${recorded.message}\n`);
    return 1;
  }
  // Let the daemon run up to its accept(): a failed bind ends it at once.
  yield* sys.nanosleep(1_000_000);
  if (!(yield* running(def))) {
    yield* err(`Job for ${def.name}.service failed: ${def.daemon} exited at start.\n${yield* lastLog(def, 1)}`);
    return 1;
  }
  yield* out(`Started ${def.name}: ${def.daemon} (pid ${pid}) on port ${port}/${def.proto}\n`);
  return 0;
}

function* stop(def: ServiceInfo): Sys<number> {
  const r = yield* running(def);
  if (!r) {
    yield* out(`${def.name} is not running\n`);
    return 0;
  }
  // systemd's KillMode=control-group: the daemon and every process it forked.
  const procs = yield* processRows();
  const tree = [r.pid];
  for (let i = 0; i < tree.length; i++) for (const p of procs) if (p.ppid === tree[i]) tree.push(p.pid);
  for (const pid of tree) yield* sys.kill(pid, 'SIGTERM');
  yield* sys.unlink(pidFile(def.name));
  yield* out(`Stopped ${def.name} (pid ${r.pid}${tree.length > 1 ? ` and ${tree.length - 1} connection process${tree.length > 2 ? 'es' : ''}` : ''})\n`);
  return 0;
}

function* lastLog(def: ServiceInfo, lines: number): Sys<string> {
  const f = yield* readFile(`/var/log/${def.daemon}.log`);
  if (isErr(f)) return '';
  const all = decodeUtf8(f).split('\n').filter(Boolean);
  return all.slice(-lines).map((l) => `${l}\n`).join('');
}

function* status(def: ServiceInfo): Sys<number> {
  const r = yield* running(def);
  yield* out(`● ${def.name}.service - ${def.description}\n`);
  if (!r) {
    yield* out(`     Active: inactive (dead)\n`);
    const tail = yield* lastLog(def, 3);
    if (tail) yield* out(`\n${tail}`);
    return 3; // systemctl: "program is not running"
  }
  const now = yield* sys.now();
  const children = (yield* processRows()).filter((p) => p.ppid === r.pid && p.state !== 'Z');
  yield* out(`     Active: active (running) for ${((now - r.proc.startedNs) / 1e9).toFixed(1)} s\n`);
  yield* out(`   Main PID: ${r.pid} (${r.proc.name})\n`);
  yield* out(`     Listen: 0.0.0.0:${r.port} (${def.proto})\n`);
  if (children.length) yield* out(`      Tasks: ${children.length + 1} (${children.length} connection${children.length > 1 ? 's' : ''}: ${children.map((c) => c.pid).join(', ')})\n`);
  const tail = yield* lastLog(def, 5);
  if (tail) yield* out(`\n${tail}`);
  return 0;
}

function* statusAll(): Sys<number> {
  for (const def of SERVICE_CATALOG) yield* out(` [ ${(yield* running(def)) ? '+' : '-'} ]  ${def.name}\n`);
  return 0;
}

const USAGE = 'Usage: service NAME start [PORT] | stop | restart [PORT] | status\n       service --status-all\nServices: ' + SERVICE_CATALOG.map((d) => d.name).join(', ') + '\n';

function* act(name: string, action: string, port: string | undefined, prog: string): Sys<number> {
  const def = serviceInfo(name);
  if (!def) {
    yield* err(`${prog}: ${name}: unrecognized service\n`);
    return 1;
  }
  // Starting and stopping system services is root's (systemctl asks polkit; the lab just refuses).
  if (action !== 'status' && (yield* sys.getuid()).euid !== 0) {
    yield* err(`Failed to ${action} ${name}.service: Access denied\n`);
    return 4;
  }
  switch (action) {
    case 'start':
      return yield* start(def, port);
    case 'stop':
      return yield* stop(def);
    case 'restart':
      yield* stop(def);
      return yield* start(def, port);
    case 'status':
      return yield* status(def);
    default:
      yield* err(`${prog}: ${action}: unknown action\n${USAGE}`);
      return 2;
  }
}

export function* service(argv: string[]): Sys<number> {
  if (argv[1] === '--status-all') return yield* statusAll();
  if (argv.length < 3) {
    yield* err(USAGE);
    return 2;
  }
  return yield* act(argv[1]!, argv[2]!, argv[3], 'service');
}

export function* systemctl(argv: string[]): Sys<number> {
  if (argv[1] === 'list-units' || argv.length === 1) return yield* statusAll();
  if (argv.length < 3) {
    yield* err('Usage: systemctl start|stop|restart|status NAME [PORT]\n');
    return 2;
  }
  return yield* act(argv[2]!.replace(/\.service$/, ''), argv[1]!, argv[3], 'systemctl');
}
