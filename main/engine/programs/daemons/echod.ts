// The echo service (RFC 862) on TCP and UDP: TCP returns every byte received until the client
// closes; UDP sends each datagram back to its sender. One process per TCP connection (daemon.ts);
// a second process serves UDP.
import { formatIpv4 } from '../../../../shared/wire';
import { isErr, sys, type Sys } from '../../process';
import { serveTcp } from '../lib/daemon';
import { DaemonLog } from '../lib/log';
import { writeAll } from '../lib/lineio';
import { portArg } from './args';

function* udpEcho(port: number, log: DaemonLog): Sys<number> {
  const fd = yield* sys.socket('dgram', 'udp');
  if (isErr(fd)) return 1;
  const b = yield* sys.bind(fd, 0, port);
  if (isErr(b)) {
    yield* log.line(`udp bind 0.0.0.0:${port}: ${b.message}`);
    return 1;
  }
  for (;;) {
    const d = yield* sys.recvfrom(fd, 65535);
    if (isErr(d)) return 1;
    yield* log.line(`udp ${d.data.length} bytes from ${formatIpv4(d.addr)}:${d.port}, echoed`);
    yield* sys.sendto(fd, d.data, d.addr, d.port);
  }
}

export function* echod(argv: string[]): Sys<number> {
  const port = yield* portArg(argv, 7);
  if (port === null) return 2;
  const log = yield* DaemonLog.open('echod');
  yield* sys.fork(() => udpEcho(port, log));
  return yield* serveTcp('echod', port, function* (peer) {
    for (;;) {
      const d = yield* sys.recv(peer.fd, 65536);
      if (isErr(d) || d.length === 0) break;
      const w = yield* writeAll(peer.fd, d);
      if (isErr(w)) break;
    }
    yield* sys.close(peer.fd);
    return 0;
  }, log);
}
