// The shape every TCP daemon here shares (inetd's, Apache prefork's, vsftpd's): listen, then for
// each connection fork a child that serves it while the parent goes back to accept(). The child
// closes the listening socket and the parent the connection, so each fd has one owner and `ss -tanp`
// shows the listener in the parent and every connection in its own child.
import { formatIpv4 } from '../../../../shared/wire';
import { isErr, sys, type Sys } from '../../process';
import { listenTcp } from './net';
import { DaemonLog } from './log';

export interface Peer {
  fd: number;
  addr: number;
  port: number;
  /** Our side of the connection (the address the client reached). */
  localAddr: number;
  localPort: number;
}

/** Listen on `port` and serve each connection in a forked child; returns only on a failure. */
export function* serveTcp(tag: string, port: number, serve: (peer: Peer, log: DaemonLog) => Sys<number>, log?: DaemonLog): Sys<number> {
  yield* sys.ignoreChildren(); // finished connections leave no zombies
  const logger = log ?? (yield* DaemonLog.open(tag));
  const l = yield* listenTcp(port);
  if ('error' in l) {
    yield* logger.line(l.text);
    return 1;
  }
  yield* logger.line(`listening on 0.0.0.0:${port}`);
  for (;;) {
    const a = yield* sys.accept(l.fd);
    if (isErr(a)) {
      if (a.name === 'EINTR') {
        yield* sys.sigtimedwait(); // take the caught signal, or the next accept() fails at once again
        continue;
      }
      yield* logger.line(`accept: ${a.message}`);
      return 1;
    }
    const local = yield* sys.getsockname(a.fd);
    const peer: Peer = { fd: a.fd, addr: a.addr, port: a.port, localAddr: isErr(local) ? 0 : local.addr, localPort: isErr(local) ? port : local.port };
    yield* logger.line(`connection from ${formatIpv4(a.addr)}:${a.port}`);
    const listener = l.fd;
    yield* sys.fork(function* () {
      yield* sys.close(listener);
      return yield* serve(peer, logger);
    });
    yield* sys.close(a.fd);
  }
}
