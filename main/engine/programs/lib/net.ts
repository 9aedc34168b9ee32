// Socket helpers for the services and clients: a listening socket that says who holds its port
// when bind() fails, and host name resolution (getaddrinfo over /etc/hosts, then DNS).
import type { SocketRow } from '../../../../shared/api/kernel-view';
import { formatIpv4 } from '../../../../shared/wire';
import { isErr, sys, type Errno, type Sys } from '../../process';
import { EAI_NONAME_TEXT, lookupHost } from './resolver';

/**
 * socket + SO_REUSEADDR + bind + listen, as every daemon does. On failure: the errno and a
 * sentence for the log, e.g. "bind 0.0.0.0:21: Address already in use (port 21 in use by ftpd pid 412)".
 */
export function* listenTcp(port: number, backlog = 128, addr = 0): Sys<{ fd: number } | { error: Errno; text: string }> {
  const fd = yield* sys.socket('stream', 'tcp');
  if (isErr(fd)) return { error: fd, text: `socket: ${fd.message}` };
  yield* sys.setsockopt(fd, 'SO_REUSEADDR', 1);
  const b = yield* sys.bind(fd, addr, port);
  if (isErr(b)) {
    yield* sys.close(fd);
    const holder = b.name === 'EADDRINUSE' ? yield* portHolder('tcp', port) : '';
    return { error: b, text: `bind ${formatIpv4(addr)}:${port}: ${b.message}${holder ? ` (${holder})` : ''}` };
  }
  const l = yield* sys.listen(fd, backlog);
  if (isErr(l)) {
    yield* sys.close(fd);
    return { error: l, text: `listen: ${l.message}` };
  }
  return { fd };
}

/** "port 21 in use by ftpd pid 412" from the socket table, or '' when nobody is found. */
export function* portHolder(proto: 'tcp' | 'udp', port: number): Sys<string> {
  const rows = yield* sys.netlink<SocketRow[]>('sockets');
  const row = rows.find((r) => r.proto === proto && r.localPort === port && (proto === 'udp' || r.state === 'LISTEN'))
    ?? rows.find((r) => r.proto === proto && r.localPort === port && r.owners.length > 0);
  if (!row) return '';
  const o = row.owners[0];
  return o ? `port ${port} in use by ${o.name} pid ${o.pid}` : `port ${port} in use (${row.state})`;
}

export type Resolved = { addr: number; name: string } | { error: string };

/** EAI_NONAME's text, as getaddrinfo's gai_strerror gives it. */
export const NAME_UNKNOWN = EAI_NONAME_TEXT;

/**
 * getaddrinfo for IPv4 (nsswitch "hosts: files dns"): a dotted address as is, then /etc/hosts,
 * then the DNS servers of /etc/resolv.conf (resolver.ts, glibc's stub resolver).
 */
export function* resolveHost(name: string): Sys<Resolved> {
  return yield* lookupHost(name);
}
