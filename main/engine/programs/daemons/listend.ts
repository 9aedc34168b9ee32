// A generic listener ("listen on port N"): accepts connections, logs what arrives and holds each
// connection open until the client closes it. A target for nc, telnet and port scans.
import { formatIpv4 } from '../../../../shared/wire';
import { isErr, sys, type Sys } from '../../process';
import { serveTcp } from '../lib/daemon';
import { portArg } from './args';

export function* listend(argv: string[]): Sys<number> {
  const port = yield* portArg(argv, 9000);
  if (port === null) return 2;
  return yield* serveTcp('listend', port, function* (peer, log) {
    let total = 0;
    for (;;) {
      const d = yield* sys.recv(peer.fd, 65536);
      if (isErr(d) || d.length === 0) break;
      total += d.length;
    }
    yield* log.line(`${formatIpv4(peer.addr)}:${peer.port} closed after sending ${total} bytes`);
    yield* sys.close(peer.fd);
    return 0;
  });
}
