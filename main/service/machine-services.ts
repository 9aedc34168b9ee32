// The Services dialog's backend: what each catalogue service of a machine is doing (its pid file and
// the process table, the same test `service NAME status` makes), and running a command inside the
// machine as root with its output captured, the way a GUI runs `sh -c 'service ftp start'` (popen
// with 2>&1): the same program, the same code path and the same errors as typing it in a console.
import type { ServiceStatus } from '../../shared/api/services';
import { SERVICE_CATALOG, type ServiceInfo } from '../../shared/kernel/services';
import { programKit, type Machine } from '../engine';

const { sys, isErr, readFile } = programKit;

/** Every catalogue service on `m`, running (its pid file names a live process of its daemon) or stopped. */
export function serviceStatuses(m: Machine): ServiceStatus[] {
  const procs = m.processes();
  return SERVICE_CATALOG.map((def) => {
    const row = base(def);
    const pidFile = m.fs.readText(`/run/${def.name}.pid`);
    if (pidFile === null) return row;
    const [pidText = '', portText = ''] = pidFile.split('\n');
    const pid = Number(pidText);
    const port = Number(portText);
    const live = procs.some((p) => p.pid === pid && p.state !== 'Z' && p.name === def.daemon);
    return live ? { ...row, state: 'running', pid, ...(Number.isInteger(port) && port > 0 ? { port } : {}) } : row;
  });
}

function base(def: ServiceInfo): ServiceStatus {
  return { name: def.name, description: def.description, daemon: def.daemon, defaultPort: def.port, proto: def.proto, state: 'stopped' };
}

/** A command started by startCaptured: filled in when it has exited. */
export interface CapturedRun {
  readonly command: string;
  done: boolean;
  exitStatus: number;
  output: string;
}

/** open() flags with Linux's values (include/uapi/asm-generic/fcntl.h). */
const O_WRONLY = 0o1;
const O_CREAT = 0o100;
const O_EXCL = 0o200;

/**
 * Start `argv` on `m` as root, under a `sh -c` process (a child of init) that sends its stdout and
 * stderr to one file (`>FILE 2>&1`), waits for it, reads the file back and removes it. (The lab's
 * sockets take bytes and programs write text to their terminal or a file: a file is the redirect
 * every program's output survives unchanged.) Nothing happens until the machine's scheduler runs:
 * the caller drives it until `done`. Daemons the command starts get /dev/null (start-stop-daemon).
 */
export function startCaptured(m: Machine, argv: string[]): CapturedRun {
  const command = argv.join(' ');
  const run: CapturedRun = { command, done: false, exitStatus: -1, output: '' };
  const finish = (exitStatus: number, output: string): number => {
    run.exitStatus = exitStatus;
    run.output = output;
    run.done = true;
    return exitStatus;
  };
  function* sh(): programKit.Sys<number> {
    const path = `/run/sh-${yield* sys.getpid()}.out`;
    const fd = yield* sys.open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600);
    if (isErr(fd)) return finish(2, `sh: cannot create ${path}: ${fd.message}\n`);
    yield* sys.dup2(fd, 1);
    yield* sys.dup2(fd, 2);
    yield* sys.close(fd);
    const pid = yield* sys.spawn(argv);
    yield* sys.close(1);
    yield* sys.close(2);
    const st = isErr(pid) ? pid : yield* sys.waitpid(pid);
    const text = yield* readFile(path);
    yield* sys.unlink(path);
    const output = isErr(text) ? '' : programKit.decodeUtf8(text);
    if (isErr(pid)) return finish(127, `sh: 1: ${argv[0]}: not found\n`);
    return finish(isErr(st) || st === null ? 1 : st.status, output);
  }
  m.kernel.startProgram(['sh', '-c', command], sh);
  return run;
}
