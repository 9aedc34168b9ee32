// Socket syscalls (net/socket.c): look the fd up, call the socket, and turn AGAIN into a sleep on
// the socket's wait queue (or EAGAIN / EINPROGRESS for O_NONBLOCK descriptors).
import { AGAIN, Block, blockingIo, Errno, isErr, type Kernel, type OpenFile, type Process, type SockDomain, type SockProtocol, type SockType } from '../process';
import { SocketFile } from './socket-file';
import type { Sock } from './sock';

export type SockFactory = (domain: SockDomain, type: SockType, protocol: SockProtocol) => Sock | Errno;

/** A connected pair of AF_UNIX sockets (socketpair). */
export type PairFactory = (type: SockType) => [Sock, Sock] | Errno;

function socketOf(p: Process, fd: number): { of: OpenFile; sock: Sock } | Errno {
  const of = p.fds.get(fd);
  if (!of) return new Errno('EBADF');
  if (!(of.file instanceof SocketFile)) return new Errno('ENOTSOCK');
  return { of, sock: of.file.sock };
}

/**
 * `unprivilegedPortStart`: net.ipv4.ip_unprivileged_port_start; binding a port below it needs root
 * (inet_bind_sk: CAP_NET_BIND_SERVICE), else EACCES.
 */
export function registerSocketSyscalls(k: Kernel, create: SockFactory, pair: PairFactory, unprivilegedPortStart: () => number): void {
  const withSock = <T>(p: Process, fd: number, f: (s: { of: OpenFile; sock: Sock }) => T): T | Errno => {
    const s = socketOf(p, fd);
    return isErr(s) ? s : f(s);
  };
  k.register('socket', (p, c) => {
    // SOCK_RAW needs CAP_NET_RAW (inet_create): root here.
    if (c.type === 'raw' && p.euid !== 0) return new Errno('EPERM');
    if (c.type === 'raw' && c.protocol === 'unix') return new Errno('EPROTONOSUPPORT');
    const sock = create(c.domain, c.type, c.protocol);
    return isErr(sock) ? sock : k.install(p, new SocketFile(sock));
  });
  k.register('socketpair', (p, c) => {
    const socks = pair(c.type);
    if (isErr(socks)) return socks;
    const a = k.install(p, new SocketFile(socks[0]));
    if (isErr(a)) {
      socks[1].close();
      return a;
    }
    const b = k.install(p, new SocketFile(socks[1]));
    if (isErr(b)) {
      p.fds.close(a);
      return b;
    }
    return [a, b];
  });
  k.register('bind', (p, c) =>
    withSock(p, c.fd, ({ sock }) => (c.port !== 0 && c.port < unprivilegedPortStart() && p.euid !== 0 ? new Errno('EACCES') : sock.bind(c.addr, c.port))),
  );
  k.register('listen', (p, c) => withSock(p, c.fd, ({ sock }) => sock.listen(c.backlog)));
  k.register('bind_unix', (p, c) => withSock(p, c.fd, ({ sock }) => (sock.bindPath ? sock.bindPath(c.path) : new Errno('EINVAL'))));
  k.register('connect_unix', (p, c) =>
    withSock(p, c.fd, ({ of, sock }) => {
      const connect = sock.connectPath?.bind(sock);
      if (!connect) return new Errno('EINVAL');
      return blockingIo(of, 'connect', () => (sock.connectResult() === 0 ? 0 : connect(c.path)));
    }),
  );
  k.register('accept', (p, c) =>
    withSock(p, c.fd, ({ of, sock }) => {
      const take = () => {
        const r = sock.accept();
        if (r === AGAIN || isErr(r)) return r;
        const fd = k.install(p, new SocketFile(r.sock));
        return isErr(fd) ? fd : { fd, addr: r.addr, port: r.port };
      };
      return blockingIo(of, 'accept', take);
    }),
  );
  k.register('connect', (p, c) =>
    withSock(p, c.fd, ({ of, sock }) => {
      const r = sock.connect(c.addr, c.port);
      if (r !== AGAIN) return r;
      if (of.nonblock) return new Errno('EINPROGRESS');
      return new Block('connect', [sock.waitq], () => sock.connectResult());
    }),
  );
  k.register('send', (p, c) => withSock(p, c.fd, ({ of, sock }) => blockingIo(of, 'send', () => sock.send(c.data))));
  k.register('recv', (p, c) => withSock(p, c.fd, ({ of, sock }) => blockingIo(of, 'recv', () => sock.recv(c.max, c.peek))));
  k.register('recv_into', (p, c) => withSock(p, c.fd, ({ of, sock }) => blockingIo(of, 'recv', () => sock.recvInto(c.buf))));
  k.register('sendto', (p, c) => withSock(p, c.fd, ({ of, sock }) => blockingIo(of, 'send', () => sock.sendto(c.data, c.addr, c.port))));
  k.register('recvfrom', (p, c) => withSock(p, c.fd, ({ of, sock }) => blockingIo(of, 'recv', () => sock.recvfrom(c.max))));
  k.register('sendmsg', (p, c) =>
    withSock(p, c.fd, ({ of, sock }) => {
      if (!sock.sendmsg) return new Errno('EOPNOTSUPP');
      const files: OpenFile[] = [];
      for (const fd of c.fds) {
        const f = p.fds.get(fd);
        if (!f) return new Errno('EBADF');
        files.push(f);
      }
      return blockingIo(of, 'send', () => sock.sendmsg!(c.data, files));
    }),
  );
  k.register('recvmsg', (p, c) =>
    withSock(p, c.fd, ({ of, sock }) => {
      if (!sock.recvmsg) return new Errno('EOPNOTSUPP');
      const take = () => {
        const r = sock.recvmsg!(c.max);
        if (r === AGAIN || isErr(r)) return r;
        // SCM_RIGHTS: each passed description gets the lowest free fd in the receiver (refs + 1). Like Linux
        // scm_detach_fds, a full fd table does not fail the call: the data is delivered, the descriptions that did
        // not fit are dropped (their in-flight reference goes below) and MSG_CTRUNC is set.
        const fds: number[] = [];
        for (const f of r.files) {
          const fd = p.fds.install(f);
          if (fd === null) break;
          fds.push(fd);
        }
        for (const f of r.files) f.put(); // drop the in-flight reference
        if (fds.length === r.files.length) return { data: r.data, fds };
        const lost = r.files.length - fds.length;
        k.emit({ type: 'syscall', text: `pid ${p.pid} (${p.name}) recvmsg: fd table full (EMFILE), ${lost} passed fd${lost === 1 ? '' : 's'} dropped, MSG_CTRUNC set` });
        return { data: r.data, fds, ctrunc: true };
      };
      return blockingIo(of, 'recv', take);
    }),
  );
  k.register('shutdown', (p, c) => withSock(p, c.fd, ({ sock }) => sock.shutdown(c.how)));
  k.register('getsockname', (p, c) => withSock(p, c.fd, ({ sock }) => sock.getsockname()));
  k.register('getpeername', (p, c) => withSock(p, c.fd, ({ sock }) => sock.getpeername()));
  k.register('setsockopt', (p, c) => withSock(p, c.fd, ({ sock }) => sock.setsockopt(c.opt, c.value)));
  k.register('getsockopt', (p, c) => withSock(p, c.fd, ({ sock }) => sock.getsockopt(c.opt)));
}
