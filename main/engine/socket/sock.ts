// The protocol-independent socket surface (Linux struct proto_ops): what every socket kind (TCP,
// UDP, ICMP ping, AF_UNIX) implements. Operations that would block return AGAIN; the syscall layer
// (syscalls.ts) turns that into a sleep on the socket's wait queue, or EAGAIN for O_NONBLOCK.
import type { SocketRow } from '../../../shared/api/kernel-view';
import { AGAIN, Errno, type Again, type RecvFrom, type ShutdownHow, type SockName, type SockOptName, type SockOptValue, type SockType } from '../process';
import type { OpenFile } from '../process';
import type { WaitQueue } from '../sim';

export type Op<T> = T | Errno | Again;

export interface Sock {
  readonly inode: number;
  readonly proto: SocketRow['proto'];
  readonly type: SockType;
  readonly waitq: WaitQueue;
  bind(addr: number, port: number): number | Errno;
  listen(backlog: number): number | Errno;
  /** A child ready in the accept queue, or AGAIN. */
  accept(): Op<{ sock: Sock; addr: number; port: number }>;
  /** Start connecting: 0 when done at once, AGAIN when in progress (then poll connectResult). */
  connect(addr: number, port: number): Op<number>;
  /** After AGAIN from connect: AGAIN while in progress, then 0 or the error. */
  connectResult(): Op<number>;
  send(data: Uint8Array): Op<number>;
  recv(max: number, peek: boolean): Op<Uint8Array>;
  /** recv into the caller's buffer, up to its length: bytes copied; 0 at end of file (stream) or for an empty datagram. */
  recvInto(buf: Uint8Array): Op<number>;
  sendto(data: Uint8Array, addr: number, port: number): Op<number>;
  recvfrom(max: number): Op<RecvFrom>;
  shutdown(how: ShutdownHow): number | Errno;
  getsockname(): SockName;
  getpeername(): SockName | Errno;
  setsockopt(opt: SockOptName, value: SockOptValue): number | Errno;
  getsockopt(opt: SockOptName): SockOptValue | Errno;
  /** POLL* readiness bits. */
  poll(): number;
  /** The last file reference is gone (Linux sock_close -> proto close). */
  close(): void;
  /** What `ss` and the UI show (owners are filled in by the machine). */
  row(): Omit<SocketRow, 'owners'>;
  /** AF_UNIX only: bind/connect by path. */
  bindPath?(path: string): number | Errno;
  connectPath?(path: string): Op<number>;
  /** AF_UNIX only: passing open-file descriptions (SCM_RIGHTS). */
  sendmsg?(data: Uint8Array, files: OpenFile[]): Op<number>;
  recvmsg?(max: number): Op<{ data: Uint8Array; files: OpenFile[] }>;
}

/** Defaults for the operations a socket kind does not support (EOPNOTSUPP, like sock_no_*). */
export abstract class BaseSock implements Partial<Sock> {
  bind(_a: number, _p: number): number | Errno {
    return new Errno('EOPNOTSUPP');
  }
  listen(_b: number): number | Errno {
    return new Errno('EOPNOTSUPP');
  }
  accept(): Op<{ sock: Sock; addr: number; port: number }> {
    return new Errno('EOPNOTSUPP');
  }
  connect(_a: number, _p: number): Op<number> {
    return new Errno('EOPNOTSUPP');
  }
  connectResult(): Op<number> {
    return 0;
  }
  sendto(_d: Uint8Array, _a: number, _p: number): Op<number> {
    return new Errno('EOPNOTSUPP');
  }
  recvfrom(_m: number): Op<RecvFrom> {
    return new Errno('EOPNOTSUPP');
  }
  abstract recv(max: number, peek: boolean): Op<Uint8Array>;
  /** A socket without its own: what recv gives, copied into the caller's buffer. */
  recvInto(buf: Uint8Array): Op<number> {
    const r = this.recv(buf.length, false);
    if (r === AGAIN || r instanceof Errno) return r;
    buf.set(r);
    return r.length;
  }
  shutdown(_h: ShutdownHow): number | Errno {
    return new Errno('ENOTCONN');
  }
  getpeername(): SockName | Errno {
    return new Errno('ENOTCONN');
  }
  setsockopt(_o: SockOptName, _v: SockOptValue): number | Errno {
    return new Errno('ENOPROTOOPT');
  }
  getsockopt(_o: SockOptName): SockOptValue | Errno {
    return new Errno('ENOPROTOOPT');
  }
}
