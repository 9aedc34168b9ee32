// fdpass [-b BACKLOG] PORT: a listener process that accepts connections and hands each accepted
// descriptor to a worker process over a socketpair(AF_UNIX) with sendmsg(SCM_RIGHTS), then closes
// its own copy; the worker (forked before the listener exists, so it never holds the listening
// socket) greets each client and echoes what it sends. The passed fd arrives in the worker as a new
// descriptor sharing the same open-file description (ss -tnp shows the worker as the owner once
// the listener has closed its copy). Ctrl-C stops both.
import { formatIpv4 } from '../../../shared/wire';
import { isErr, POLLIN, sys, type Sys } from '../process';
import { encodeUtf8 } from '../process/utf8';
import { getopt } from './getopt';
import { err, out } from './stdio';

const USAGE = 'usage: fdpass [-b BACKLOG] PORT\n';

function* worker(channel: number, parentEnd: number, listenerPid: number): Sys<number> {
  yield* sys.sigaction('SIGINT', 'default');
  yield* sys.sigaction('SIGTERM', 'default');
  const me = yield* sys.getpid();
  yield* sys.close(parentEnd);
  yield* out(`worker ${me} waiting for descriptors on fd ${channel}\n`);
  const clients = new Map<number, string>();
  for (;;) {
    const ready = yield* sys.poll([{ fd: channel, events: POLLIN }, ...[...clients.keys()].map((fd) => ({ fd, events: POLLIN }))], null);
    if (isErr(ready)) continue;
    for (const { fd } of ready) {
      if (fd === channel) {
        const m = yield* sys.recvmsg(channel);
        if (isErr(m)) {
          yield* err(`worker ${me}: recvmsg: ${m.message}\n`);
          return 1;
        }
        if (m.data.length === 0 && m.fds.length === 0) {
          yield* out(`worker ${me}: the listener closed the socketpair, exiting\n`);
          return 0;
        }
        for (const got of m.fds) {
          const p = yield* sys.getpeername(got);
          const peer = isErr(p) ? `not connected: ${p.message}` : `${formatIpv4(p.addr)}:${p.port}`;
          yield* out(`worker ${me} got fd ${got} (peer ${peer})\n`);
          clients.set(got, peer);
          yield* sys.send(got, encodeUtf8(`hello from worker ${me} (fd passed by ${listenerPid})\n`));
        }
        continue;
      }
      const peer = clients.get(fd)!;
      const d = yield* sys.recv(fd);
      if (isErr(d) || d.length === 0) {
        yield* sys.close(fd);
        clients.delete(fd);
        yield* out(`worker ${me} closed fd ${fd} (peer ${peer}${isErr(d) ? `: ${d.message}` : ''})\n`);
        continue;
      }
      yield* sys.send(fd, d);
    }
  }
}

export function* fdpass(argv: string[]): Sys<number> {
  const g = getopt('fdpass', argv, 'b:h');
  if ('error' in g) {
    yield* err(g.error + USAGE);
    return 2;
  }
  let backlog = 16;
  for (const { key, value } of g.opts) {
    if (key === 'h') {
      yield* out(USAGE);
      return 0;
    }
    if (!/^\d+$/.test(value!)) {
      yield* err(`fdpass: invalid backlog: '${value}'\n${USAGE}`);
      return 2;
    }
    backlog = Number(value);
  }
  const port = Number(g.args[0]);
  if (g.args.length !== 1 || !/^\d+$/.test(g.args[0]!) || port < 1 || port > 65535) {
    yield* err(USAGE);
    return 2;
  }
  const me = yield* sys.getpid();
  const pair = yield* sys.socketpair('stream');
  if (isErr(pair)) {
    yield* err(`fdpass: socketpair: ${pair.message}\n`);
    return 1;
  }
  const [mine, theirs] = pair;
  const wpid = yield* sys.fork(() => worker(theirs, mine, me));
  if (isErr(wpid)) {
    yield* err(`fdpass: fork: ${wpid.message}\n`);
    return 1;
  }
  yield* sys.close(theirs);
  yield* sys.sigaction('SIGINT', 'catch');
  yield* sys.sigaction('SIGTERM', 'catch');
  const stop = function* (code: number): Sys<number> {
    yield* sys.kill(wpid, 'SIGTERM');
    yield* sys.waitpid(wpid);
    return code;
  };
  const fd = yield* sys.socket('stream', 'tcp');
  if (isErr(fd)) {
    yield* err(`fdpass: socket: ${fd.message}\n`);
    return yield* stop(1);
  }
  yield* sys.setsockopt(fd, 'SO_REUSEADDR', 1);
  const b = yield* sys.bind(fd, 0, port);
  if (isErr(b)) {
    yield* err(`fdpass: bind 0.0.0.0:${port}: ${b.message}\n`);
    return yield* stop(1);
  }
  yield* sys.listen(fd, backlog);
  yield* out(`fdpass: listener ${me} on 0.0.0.0:${port} (fd ${fd}), worker ${wpid} over socketpair fd ${mine}\n`);
  for (;;) {
    const c = yield* sys.accept(fd);
    if (isErr(c)) {
      if (c.name === 'EINTR') {
        yield* sys.sigtimedwait();
        yield* out(`fdpass: stopping worker ${wpid}\n`);
        return yield* stop(130);
      }
      yield* err(`fdpass: accept: ${c.message}\n`);
      return yield* stop(1);
    }
    yield* out(`listener ${me} accepted ${formatIpv4(c.addr)}:${c.port} as fd ${c.fd}\n`);
    const s = yield* sys.sendmsg(mine, encodeUtf8('F'), [c.fd]);
    if (isErr(s)) yield* err(`fdpass: sendmsg: ${s.message}\n`);
    else yield* out(`passed fd ${c.fd} to worker ${wpid}\n`);
    yield* sys.close(c.fd);
  }
}
