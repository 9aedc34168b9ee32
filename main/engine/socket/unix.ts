// AF_UNIX stream sockets (net/unix/af_unix.c): connected pairs (socketpair, or connect() to a
// listening path) carrying a byte stream each way, and SCM_RIGHTS: sendmsg can pass open-file
// descriptions, which the receiver's recvmsg installs at its lowest free fds. In flight, a
// description holds an extra reference, so the sender may close its own fd at once (that is how an
// fd-passing server hands off a client). Paths live in a per-machine namespace (no filesystem yet).
import { AGAIN, Errno, POLLHUP, POLLIN, POLLOUT, type OpenFile, type ShutdownHow, type SockName } from '../process';
import { WaitQueue } from '../sim';
import { BaseSock, type Op, type Sock } from './sock';

const SNDBUF = 212_992;

interface Chunk {
  data: Uint8Array;
  /** Descriptions attached to the first byte of this chunk (SCM_RIGHTS). */
  files: OpenFile[];
}

/** The machine's AF_UNIX names: path -> the socket bound to it. */
export class UnixNamespace {
  readonly bound = new Map<string, UnixStreamSock>();
  constructor(readonly newInode: () => number) {}
}

export class UnixStreamSock extends BaseSock implements Sock {
  readonly proto = 'unix';
  readonly type = 'stream';
  readonly waitq = new WaitQueue();
  peer: UnixStreamSock | null = null;
  path: string | null = null;
  private listening = false;
  private backlog = 0;
  private readonly acceptQ: UnixStreamSock[] = [];
  /** Connecting sockets waiting for room in this listener's queue. */
  private readonly waitingConnects = new Set<UnixStreamSock>();
  private rx: Chunk[] = [];
  private rxBytes = 0;
  private readShut = false;
  private writeShut = false;
  private peerGone = false;

  constructor(
    readonly inode: number,
    private readonly ns?: UnixNamespace,
  ) {
    super();
  }

  static pair(inodeA: number, inodeB: number): [UnixStreamSock, UnixStreamSock] {
    const a = new UnixStreamSock(inodeA);
    const b = new UnixStreamSock(inodeB);
    a.peer = b;
    b.peer = a;
    return [a, b];
  }

  bindPath(path: string): number | Errno {
    if (!this.ns || !path || path.length > 107) return new Errno('EINVAL');
    if (this.path !== null) return new Errno('EINVAL');
    if (this.ns.bound.has(path)) return new Errno('EADDRINUSE');
    this.path = path;
    this.ns.bound.set(path, this);
    return 0;
  }

  override listen(backlog: number): number | Errno {
    if (this.path === null || this.peer) return new Errno('EINVAL');
    this.listening = true;
    this.backlog = Math.max(0, backlog);
    return 0;
  }

  /** unix_stream_connect: a new socket for the server side, paired with us, queued for accept(). */
  connectPath(path: string): Op<number> {
    if (this.peer) return new Errno('EISCONN');
    const l = this.ns?.bound.get(path);
    if (!l || !l.listening) return new Errno('ECONNREFUSED');
    if (l.acceptQ.length > l.backlog) {
      l.waitingConnects.add(this); // unix_recvq_full: the connecting task waits for an accept()
      return AGAIN;
    }
    l.waitingConnects.delete(this);
    const server = new UnixStreamSock(this.ns!.newInode(), this.ns);
    server.path = path;
    server.peer = this;
    this.peer = server;
    l.acceptQ.push(server);
    l.waitq.wake();
    return 0;
  }

  override connectResult(): Op<number> {
    return this.peer ? 0 : AGAIN;
  }


  override accept(): Op<{ sock: Sock; addr: number; port: number }> {
    if (!this.listening) return new Errno('EINVAL');
    const s = this.acceptQ.shift();
    if (!s) return AGAIN;
    for (const c of this.waitingConnects) c.waitq.wake();
    return { sock: s, addr: 0, port: 0 };
  }

  send(data: Uint8Array): Op<number> {
    return this.sendmsg(data, []);
  }

  sendmsg(data: Uint8Array, files: OpenFile[]): Op<number> {
    if (this.writeShut || !this.peer || this.peerGone) return new Errno(this.peer || this.peerGone ? 'EPIPE' : 'ENOTCONN');
    const p = this.peer;
    if (p.rxBytes + data.length > SNDBUF && p.rxBytes > 0) return AGAIN;
    for (const f of files) f.refs++; // the in-flight reference
    p.rx.push({ data: data.slice(), files });
    p.rxBytes += data.length;
    p.waitq.wake();
    return data.length;
  }

  recv(max: number, peek: boolean): Op<Uint8Array> {
    if (peek && (this.listening || this.unconnected())) return new Errno('EINVAL'); // recvmsg checks the rest
    if (peek) return this.rx[0]?.data.slice(0, max) ?? (this.eof() ? new Uint8Array(0) : AGAIN);
    const r = this.recvmsg(max);
    if (r === AGAIN || r instanceof Errno) return r;
    // No control buffer: passed descriptions are dropped, their in-flight reference released (scm_recv -> scm_destroy).
    for (const f of r.files) f.put();
    return r.data;
  }

  recvmsg(max: number): Op<{ data: Uint8Array; files: OpenFile[] }> {
    // unix_stream_read_generic: a stream socket that is not TCP_ESTABLISHED (listening, or never
    // connected) cannot be read. One whose peer has gone stays established and reads end of file.
    if (this.listening || this.unconnected()) return new Errno('EINVAL');
    const c = this.rx[0];
    if (!c) return this.eof() ? { data: new Uint8Array(0), files: [] } : AGAIN;
    // A read stops at a chunk carrying descriptions so they arrive with their own bytes (unix_stream_read_generic).
    const n = Math.min(max, c.data.length);
    const data = c.data.slice(0, n);
    const files = c.files;
    if (n === c.data.length) this.rx.shift();
    else this.rx[0] = { data: c.data.subarray(n), files: [] }; // a view: small reads of a large chunk copy nothing twice
    this.rxBytes -= n;
    this.peer?.waitq.wake();
    return { data, files };
  }

  private unconnected(): boolean {
    return this.peer === null && !this.peerGone;
  }

  private eof(): boolean {
    return this.readShut || this.peerGone || (this.peer?.writeShut ?? true);
  }

  /** unix_shutdown: marks this end whether or not it is connected, and never fails for a valid `how`. */
  override shutdown(how: ShutdownHow): number | Errno {
    if (how !== 'wr') this.readShut = true;
    if (how !== 'rd') this.writeShut = true;
    this.waitq.wake();
    this.peer?.waitq.wake();
    return 0;
  }

  getsockname(): SockName {
    return { addr: 0, port: 0 };
  }

  override getpeername(): SockName | Errno {
    return this.peer ? { addr: 0, port: 0 } : new Errno('ENOTCONN');
  }

  poll(): number {
    if (this.listening) return this.acceptQ.length ? POLLIN : 0;
    // unix_poll: RCV_SHUTDOWN reads as readable, a stream socket in TCP_CLOSE (never connected) hangs
    // up, and any socket but a listener is writable (unix_writable checks only the state and wmem).
    // (A peer that left is null here: close() unlinks both ends.)
    const readable = this.rx.length > 0 || (this.peer !== null && this.eof()) || this.peerGone || this.readShut;
    return (readable ? POLLIN : 0) | POLLOUT | (this.peer ? 0 : POLLHUP);
  }

  close(): void {
    // Descriptions never received are released with the socket (unix_release_sock).
    for (const c of this.rx) for (const f of c.files) f.put();
    this.rx = [];
    if (this.listening) {
      for (const s of this.acceptQ.splice(0)) s.close();
    }
    if (this.path !== null && this.ns?.bound.get(this.path) === this) this.ns.bound.delete(this.path);
    if (this.peer) {
      this.peer.peerGone = true;
      this.peer.waitq.wake();
      this.peer.peer = null;
    }
    this.peer = null;
  }

  row() {
    return {
      inode: this.inode,
      kind: 'socket' as const,
      proto: 'unix' as const,
      state: this.listening ? ('LISTEN' as const) : this.peer ? ('ESTABLISHED' as const) : ('UNCONN' as const),
      localAddr: 0,
      localPort: 0,
      peerAddr: 0,
      peerPort: this.peer?.inode ?? 0,
      recvQ: this.listening ? this.acceptQ.length : this.rxBytes,
      sendQ: this.listening ? this.backlog : 0,
      path: this.path ?? undefined,
    };
  }
}
