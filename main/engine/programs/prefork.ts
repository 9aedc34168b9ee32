// prefork [-n WORKERS] [-b BACKLOG] PORT: a pre-forking server (the Apache prefork model). The
// parent creates the listening socket, then forks the workers; every worker blocks in accept() on
// the one shared listener (ss -ltnp lists all of them as its owners) and the kernel hands each
// connection to one of them. A worker greets the client with a line, closes, and accepts again.
// Ctrl-C (SIGINT to the parent) stops the workers with SIGTERM and waits for them.
import { formatIpv4 } from '../../../shared/wire';
import { isErr, sys, type Sys } from '../process';
import { encodeUtf8 } from '../process/utf8';
import { getopt } from './getopt';
import { err, out } from './stdio';

const USAGE = 'usage: prefork [-n WORKERS] [-b BACKLOG] PORT\n';

function* worker(listener: number): Sys<number> {
  // Workers take the default action for the signals the parent catches: SIGTERM ends them.
  yield* sys.sigaction('SIGINT', 'default');
  yield* sys.sigaction('SIGTERM', 'default');
  const me = yield* sys.getpid();
  yield* out(`worker ${me} waiting in accept() on fd ${listener}\n`);
  for (;;) {
    const c = yield* sys.accept(listener);
    if (isErr(c)) {
      yield* err(`worker ${me}: accept: ${c.message}\n`);
      return 1;
    }
    const peer = `${formatIpv4(c.addr)}:${c.port}`;
    yield* out(`worker ${me} accepted ${peer} on fd ${c.fd}\n`);
    const sent = yield* sys.send(c.fd, encodeUtf8(`hello from worker ${me}\n`));
    if (isErr(sent)) yield* err(`worker ${me}: send to ${peer}: ${sent.message}\n`);
    yield* sys.close(c.fd);
    yield* out(`worker ${me} closed ${peer}\n`);
  }
}

export function* prefork(argv: string[]): Sys<number> {
  const g = getopt('prefork', argv, 'n:b:h');
  if ('error' in g) {
    yield* err(g.error + USAGE);
    return 2;
  }
  let workers = 3;
  let backlog = 16;
  for (const { key, value } of g.opts) {
    if (key === 'h') {
      yield* out(USAGE);
      return 0;
    }
    const n = Number(value);
    if (!/^\d+$/.test(value!) || (key === 'n' && (n < 1 || n > 64))) {
      yield* err(`prefork: invalid ${key === 'n' ? 'worker count' : 'backlog'}: '${value}'\n${USAGE}`);
      return 2;
    }
    if (key === 'n') workers = n;
    else backlog = n;
  }
  const port = Number(g.args[0]);
  if (g.args.length !== 1 || !/^\d+$/.test(g.args[0]!) || port < 1 || port > 65535) {
    yield* err(USAGE);
    return 2;
  }
  const me = yield* sys.getpid();
  const fd = yield* sys.socket('stream', 'tcp');
  if (isErr(fd)) {
    yield* err(`prefork: socket: ${fd.message}\n`);
    return 1;
  }
  yield* sys.setsockopt(fd, 'SO_REUSEADDR', 1);
  const b = yield* sys.bind(fd, 0, port);
  if (isErr(b)) {
    yield* err(`prefork: bind 0.0.0.0:${port}: ${b.message}\n`);
    return 1;
  }
  const l = yield* sys.listen(fd, backlog);
  if (isErr(l)) {
    yield* err(`prefork: listen: ${l.message}\n`);
    return 1;
  }
  yield* sys.sigaction('SIGINT', 'catch');
  yield* sys.sigaction('SIGTERM', 'catch');
  yield* out(`prefork: parent ${me} listening on 0.0.0.0:${port} (fd ${fd}, backlog ${backlog}), forking ${workers} workers\n`);
  const pids: number[] = [];
  for (let i = 0; i < workers; i++) {
    const pid = yield* sys.fork(() => worker(fd));
    if (isErr(pid)) {
      yield* err(`prefork: fork: ${pid.message}\n`);
      break;
    }
    pids.push(pid);
  }
  yield* out(`prefork: workers ${pids.join(' ')}\n`);
  // Wait for the workers; a caught SIGINT/SIGTERM interrupts the wait (EINTR) and ends them all.
  let live = [...pids];
  while (live.length) {
    const st = yield* sys.waitpid(live[0]!);
    if (isErr(st)) {
      if (st.name !== 'EINTR') break;
      yield* sys.sigtimedwait();
      yield* out(`prefork: stopping workers ${live.join(' ')}\n`);
      for (const p of live) yield* sys.kill(p, 'SIGTERM');
      for (const p of live) yield* sys.waitpid(p);
      return 130;
    }
    if (st === null) continue;
    yield* out(`prefork: worker ${st.pid} exited${st.signal ? ` (${st.signal})` : ` with status ${st.status}`}\n`);
    live = live.filter((p) => p !== st.pid);
  }
  return 0;
}
