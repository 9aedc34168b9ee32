// AF_UNIX stream sockets, as socketpair() makes them (net/unix/af_unix.c): a byte stream in each
// direction, and SCM_RIGHTS: sendmsg can pass open-file descriptions, which the receiver's
// recvmsg installs at its lowest free fds. In flight, a description holds an extra reference, so
// the sender may close its own fd at once (that is how an fd-passing server hands off a client).
import { AGAIN, Errno, POLLHUP, POLLIN, POLLOUT, type OpenFile, type ShutdownHow, type SockName } from '../process';
import { WaitQueue } from '../sim';
import { BaseSock, type Op, type Sock } from './sock';

const SNDBUF = 212_992;

interface Chunk {
  data: Uint8Array;
  /** Descriptions attached to the first byte of this chunk (SCM_RIGHTS). */
  files: OpenFile[];
}

export class UnixStreamSock extends BaseSock implements Sock {
  readonly proto = 'unix';
  readonly type = 'stream';
  readonly waitq = new WaitQueue();
  peer: UnixStreamSock | null = null;
  private rx: Chunk[] = [];
  private rxBytes = 0;
  private readShut = false;
  private writeShut = false;
  private peerGone = false;

  constructor(readonly inode: number) {
    super();
  }

  static pair(inodeA: number, inodeB: number): [UnixStreamSock, UnixStreamSock] {
    const a = new UnixStreamSock(inodeA);
    const b = new UnixStreamSock(inodeB);
    a.peer = b;
    b.peer = a;
    return [a, b];
  }

  send(data: Uint8Array): Op<number> {
    return this.sendmsg(data, []);
  }

  sendmsg(data: Uint8Array, files: OpenFile[]): Op<number> {
    if (this.writeShut || !this.peer || this.peerGone) return new Errno('EPIPE');
    const p = this.peer;
    if (p.rxBytes + data.length > SNDBUF && p.rxBytes > 0) return AGAIN;
    for (const f of files) f.refs++; // the in-flight reference
    p.rx.push({ data: data.slice(), files });
    p.rxBytes += data.length;
    p.waitq.wake();
    return data.length;
  }

  recv(max: number, peek: boolean): Op<Uint8Array> {
    if (peek) return this.rx[0]?.data.slice(0, max) ?? (this.eof() ? new Uint8Array(0) : AGAIN);
    const r = this.recvmsg(max);
    return r === AGAIN || r instanceof Errno ? r : r.data;
  }

  recvmsg(max: number): Op<{ data: Uint8Array; files: OpenFile[] }> {
    const c = this.rx[0];
    if (!c) return this.eof() ? { data: new Uint8Array(0), files: [] } : AGAIN;
    // A read stops at a chunk carrying descriptions so they arrive with their own bytes (unix_stream_read_generic).
    const n = Math.min(max, c.data.length);
    const data = c.data.slice(0, n);
    const files = c.files;
    if (n === c.data.length) this.rx.shift();
    else this.rx[0] = { data: c.data.slice(n), files: [] };
    this.rxBytes -= n;
    this.peer?.waitq.wake();
    return { data, files };
  }

  private eof(): boolean {
    return this.readShut || this.peerGone || (this.peer?.writeShut ?? true);
  }

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
    return { addr: 0, port: 0 };
  }

  poll(): number {
    const readable = this.rx.length > 0 || this.eof();
    return (readable ? POLLIN : 0) | (this.peerGone ? POLLHUP : POLLOUT);
  }

  close(): void {
    // Descriptions never received are released with the socket (unix_release_sock).
    for (const c of this.rx) for (const f of c.files) if (--f.refs === 0) f.file.release();
    this.rx = [];
    if (this.peer) {
      this.peer.peerGone = true;
      this.peer.waitq.wake();
      this.peer.peer = null;
    }
    this.peer = null;
  }

  row() {
    return { inode: this.inode, kind: 'socket' as const, proto: 'unix' as const, state: 'ESTABLISHED' as const, localAddr: 0, localPort: 0, peerAddr: 0, peerPort: this.peer?.inode ?? 0, recvQ: this.rxBytes, sendQ: 0 };
  }
}
