// A TCP socket (Linux struct tcp_sock): the connection state (RFC 9293 names: snd_una, snd_nxt,
// rcv_nxt, iss, irs), its queues and timers, and the socket calls. Segment processing is in
// input.ts, transmission in xmit.ts, listening in listen.ts.
import type { SocketRow, SocketTimer, TcpStateName } from '../../../../shared/api/kernel-view';
import { formatIpv4, seqDiff } from '../../../../shared/wire';
import { AGAIN, Errno, POLLERR, POLLHUP, POLLIN, POLLOUT, type ErrnoName, type ShutdownHow, type SockName, type SockOptName, type SockOptValue } from '../../process';
import { WaitQueue, type Timer } from '../../sim';
import { BaseSock, type Op, type Sock } from '../../socket/sock';
import type { PortHolder } from '../ports';
import { ByteQueue } from './byte-queue';
import { SendQueue } from './send-queue';
import type { RequestSock } from './listen';
import type { InNicQueue } from './small-queues';
import { createCongestionControl, newDelackState, RttEstimator, type CongestionControl, type DelackState } from './kernels';
import { RCV_WND_INIT, RCVBUF_DEFAULT, SNDBUF_DEFAULT, SNDBUF_MAX } from './params';
import type { Tcp } from './tcp';

const NO_LINGER = Object.freeze({ onoff: 0, linger: 0 });

export interface OooSegment {
  seq: number;
  data: Uint8Array;
  fin: boolean;
}

export class TcpSock extends BaseSock implements Sock, PortHolder {
  readonly kind = 'socket';
  readonly proto = 'tcp';
  readonly type = 'stream';
  readonly waitq = new WaitQueue();
  state: TcpStateName = 'CLOSE';
  localAddr = 0;
  localPort = 0;
  peerAddr = 0;
  peerPort = 0;
  reuseAddr = false;
  reusePort = false;
  nodelay = false;
  keepalive = false;
  /** SO_LINGER; off by default (one shared frozen value: setsockopt replaces it). */
  linger: Readonly<{ onoff: number; linger: number }> = NO_LINGER;
  autoBound = false;
  inPortTable = false;

  // --- send side (RFC 9293 names)
  iss = 0;
  sndUna = 0;
  sndNxt = 0;
  /** Peer's window in bytes (already scaled). */
  sndWnd = 0;
  sndWl1 = 0;
  sndWl2 = 0;
  /** Largest window the peer has offered, and bytes it has acked (RFC 5961 5.2's bound). */
  maxWindow = 0;
  bytesAcked = 0;
  /** When we last sent an out-of-window or challenge ACK (tp->last_oow_ack_time). */
  lastOowAck: number | null = null;
  /** Bytes from snd_una on: sent-but-unacked, then unsent. */
  readonly sndQ = new SendQueue();
  sndBuf = SNDBUF_DEFAULT;
  /** The application is done writing: a FIN follows the queued data. */
  finQueued = false;
  finSent = false;
  finSeq = 0;

  // --- receive side
  irs = 0;
  rcvNxt = 0;
  /** rcv_nxt when we last advertised a window, and that window (right edge = rcvWup + rcvWnd). */
  rcvWup = 0;
  rcvWnd = 0;
  /** How far the advertised window may open (Linux rcv_ssthresh: starts at 65160, grows with traffic). */
  rcvWndClamp = RCV_WND_INIT;
  readonly rcvQ = new ByteQueue();
  rcvBuf = RCVBUF_DEFAULT;
  ooo: OooSegment[] = [];
  /** The out-of-order block most recently added to (its first SACK block, RFC 2018 4). */
  lastOoo: number | null = null;
  /** A duplicate to report as the first SACK block of the next ACK (D-SACK, RFC 2883). */
  dsack: [number, number] | null = null;
  /** The peer's FIN has been received (RCV_SHUTDOWN from the wire). */
  finReceived = false;
  /** tcp_done ran: the connection (or the attempt) is over, and reads give end of file. */
  ended = false;
  /** connect() started and no connect() has reported how it ended yet (SS_CONNECTING). */
  connecting = false;
  /**
   * The socket has carried a connection (it was established): connect() gives EISCONN and listen()
   * EINVAL from then on.
   * Linux does so for SS_CONNECTED; one whose failure connect() reported goes through tcp_disconnect
   * and may connect again, but the lab does not reset a used connection's state: it refuses.
   */
  carried = false;
  /** shutdown(SHUT_RD) or close(): the application will not read. */
  readShut = false;
  /** shutdown(SHUT_WR) or close(): the application will not write. */
  writeShut = false;

  // --- negotiated options
  mss = 536;
  advMss = 1460;
  rcvMss = 536;
  sndWscale = 0;
  rcvWscale = 0;
  sackOk = false;
  tsOk = false;
  tsRecent = 0;
  tsOffset = 0;

  // --- timers, RTT, congestion
  rtxTimer: Timer | null = null;
  rtxKind: SocketTimer['kind'] = 'on';
  retransmits = 0;
  delackTimer: Timer | null = null;
  /** RFC 6298 estimator with Linux's rules (kernels/rto.ts); rtoNs includes the backoff. */
  readonly rtt = new RttEstimator();
  /** A new segment being timed for an RTT sample (Karn: never a retransmitted one). */
  rttProbe: { endSeq: number; at: number } | null = null;
  /** CUBIC, Linux's default (kernels/cubic.ts); the MSS is set when the handshake completes. */
  cc: CongestionControl = createCongestionControl('cubic', { mss: 536 });
  dupAcks = 0;
  /** A tail-loss probe is out: snd_nxt when it was sent (tp->tlp_high_seq). */
  tlpHighSeq: number | null = null;
  /** NewReno recovery: snd_nxt when fast retransmit started. */
  recover: number | null = null;
  /** TCP Small Queues (small-queues.ts): our packets still in the NIC's queue (made on first use). */
  inNic: InNicQueue | null = null;
  /** Throttled by TSQ: runs tcp_write_xmit when the oldest queued packet leaves the NIC. */
  tsqTimer: Timer | null = null;
  /** Delayed-ACK and quick-ack state as Linux keeps it (icsk_ack; kernels/delack.ts). */
  delack: DelackState = newDelackState(536);

  // --- errors and life cycle
  err: ErrnoName | null = null;
  /** Closed by the application but still alive (FIN_WAIT*, LAST_ACK, CLOSING). */
  orphan = false;
  /** SYN_SENT: transmissions so far; connect() result once known. */
  synSent = 0;
  /** When the first SYN left (for the handshake's RTT sample). */
  synAt = 0;
  connectError: ErrnoName | null = null;

  // --- listener
  backlog = 0;
  private acceptList: TcpSock[] | null = null;
  private reqSet: Set<RequestSock> | null = null;
  /** Last time the SYN queue overflowed into cookies (tcp_synq_overflow); null: never. */
  lastSynqOverflow: number | null = null;
  /** For children: the listener they came from; queued until accept(). */
  parent: TcpSock | null = null;
  queued = false;

  constructor(
    readonly tcp: Tcp,
    readonly inode: number,
  ) {
    super();
  }

  /** Children ready for accept() (made on first use: only listeners have one). */
  get acceptQ(): TcpSock[] {
    return (this.acceptList ??= []);
  }

  /** Request socks in the SYN queue (made on first use: only listeners have them). */
  get reqs(): Set<RequestSock> {
    return (this.reqSet ??= new Set());
  }

  get listening(): boolean {
    return this.state === 'LISTEN';
  }

  holderName(): string {
    return `tcp ${formatIpv4(this.localAddr)}:${this.localPort} ${this.state}`;
  }

  /** The one state setter (DESIGN.md section 4): trace it, wake whoever waits. */
  setState(next: TcpStateName, cause: string): void {
    const from = this.state;
    if (from === next) return;
    this.state = next;
    if (next === 'ESTABLISHED') this.carried = true;
    // tcp_set_state(TCP_CLOSE) counts connections that die from ESTABLISHED or CLOSE_WAIT.
    if (next === 'CLOSE' && (from === 'ESTABLISHED' || from === 'CLOSE_WAIT')) this.tcp.env.stack.bump('TcpEstabResets');
    this.tcp.stateChanged(this, from, next, cause);
    this.waitq.wake();
  }

  // ------------------------------------------------------------- socket calls

  override bind(addr: number, port: number): number | Errno {
    if (this.state !== 'CLOSE' || this.inPortTable) return new Errno('EINVAL');
    return this.tcp.bind(this, addr, port);
  }

  override listen(backlog: number): number | Errno {
    // inet_listen: sock->state must be SS_UNCONNECTED (no connect() under way or unreported:
    // SS_CONNECTING; not accepted or reported connected: SS_CONNECTED) and sk_state CLOSE or LISTEN.
    // `carried` also refuses a connection that ended before a connect() reported it, which Linux
    // lets listen after that report: the lab's choice for connect() too (see `carried`).
    if (this.connecting || this.carried || (this.state !== 'CLOSE' && this.state !== 'LISTEN')) return new Errno('EINVAL');
    return this.tcp.listen(this, backlog);
  }

  override accept(): Op<{ sock: Sock; addr: number; port: number }> {
    if (this.state !== 'LISTEN') return new Errno('EINVAL');
    const child = this.acceptQ.shift();
    if (!child) return AGAIN;
    child.queued = false;
    return { sock: child, addr: child.peerAddr, port: child.peerPort };
  }

  /** Linux's RCV_SHUTDOWN: a FIN came, shutdown(SHUT_RD), or tcp_done ended the connection. */
  private get rcvShutdown(): boolean {
    return this.finReceived || this.readShut || this.ended;
  }

  override connect(addr: number, port: number): Op<number> {
    if (this.state === 'SYN_SENT') return new Errno('EALREADY');
    // A connect under way whose outcome no connect() has reported yet (SS_CONNECTING): this call
    // reports it, as __inet_stream_connect does, and starts nothing.
    if (this.connecting) return this.connectResult();
    if (this.state !== 'CLOSE' || this.carried) return new Errno('EISCONN');
    if (port === 0) return new Errno('ECONNREFUSED');
    const r = this.tcp.connect(this, addr, port);
    if (r === AGAIN) this.connecting = true;
    return r;
  }

  override connectResult(): Op<number> {
    if (this.state === 'SYN_SENT' || this.state === 'SYN_RECV') return AGAIN;
    this.connecting = false;
    if (this.state !== 'CLOSE') return 0;
    // The sock_error path: the pending error (ECONNABORTED if a read or SO_ERROR took it), then
    // tcp_disconnect, which clears sk_shutdown: the socket is unconnected again and reads ENOTCONN.
    const e = this.takePending() ?? 'ECONNABORTED';
    this.ended = false;
    return new Errno(e);
  }

  send(data: Uint8Array): Op<number> {
    if (this.err) return this.takeError();
    if (this.writeShut || this.state === 'CLOSE' && this.sndNxt !== this.iss) return new Errno('EPIPE');
    if (this.state === 'LISTEN' || this.state === 'CLOSE' || this.state === 'SYN_SENT' || this.state === 'SYN_RECV') {
      return this.state === 'SYN_SENT' || this.state === 'SYN_RECV' ? AGAIN : new Errno('ENOTCONN');
    }
    if (this.state !== 'ESTABLISHED' && this.state !== 'CLOSE_WAIT') return new Errno('EPIPE');
    const room = this.sndBuf - this.sndQ.length;
    if (room <= 0) return AGAIN;
    const n = Math.min(room, data.length);
    this.sndQ.append(data.subarray(0, n));
    this.tcp.writeXmit(this, true);
    return n;
  }

  recv(max: number, peek: boolean): Op<Uint8Array> {
    if (this.state === 'LISTEN') return new Errno('ENOTCONN');
    if (this.rcvQ.length > 0) {
      const data = peek ? this.rcvQ.peek(0, max) : this.rcvQ.take(max);
      if (!peek) this.tcp.dataRead(this, data.length);
      return data;
    }
    const r = this.nothingToRead();
    return typeof r === 'number' ? new Uint8Array(0) : r;
  }

  // An empty buffer too waits for a byte (tcp_recvmsg: sock_rcvlowat is 1): 0 at once only with data queued.
  override recvInto(buf: Uint8Array): Op<number> {
    if (this.state === 'LISTEN') return new Errno('ENOTCONN');
    if (this.rcvQ.length > 0) {
      const n = this.rcvQ.copyTo(0, buf.length, buf, 0);
      this.rcvQ.drop(n);
      this.tcp.dataRead(this, n);
      return n;
    }
    return this.nothingToRead();
  }

  /**
   * With the receive queue empty (tcp_recvmsg_locked): the pending error; 0 at end of file (a FIN,
   * shutdown, or a connection tcp_done ended, which sets SHUTDOWN_MASK); ENOTCONN for a socket that
   * was never connected ("user tries to read from never connected socket"); else AGAIN.
   */
  private nothingToRead(): Op<number> {
    const e = this.takePending();
    if (e) return new Errno(e);
    if (this.rcvShutdown) return 0;
    if (this.state === 'CLOSE') return new Errno('ENOTCONN');
    return AGAIN;
  }

  override shutdown(how: ShutdownHow): number | Errno {
    if (this.state === 'CLOSE') {
      // inet_shutdown: ENOTCONN, yet sk_shutdown is still marked (a later read gives end of file).
      if (how !== 'wr') this.readShut = true;
      if (how !== 'rd') this.writeShut = true;
      return new Errno('ENOTCONN');
    }
    if (this.state === 'LISTEN' || this.state === 'SYN_SENT') return new Errno('ENOTCONN');
    if (how !== 'wr') this.readShut = true;
    if (how !== 'rd') this.tcp.shutdownWrite(this);
    this.waitq.wake();
    return 0;
  }

  /** The last reference is gone (tcp_close). */
  close(): void {
    this.tcp.close(this);
  }

  getsockname(): SockName {
    return { addr: this.localAddr, port: this.localPort };
  }

  override getpeername(): SockName | Errno {
    if (this.state === 'CLOSE' || this.state === 'LISTEN' || this.state === 'SYN_SENT') return new Errno('ENOTCONN');
    return { addr: this.peerAddr, port: this.peerPort };
  }

  override setsockopt(opt: SockOptName, v: SockOptValue): number | Errno {
    const n = typeof v === 'number' ? v : v.onoff;
    switch (opt) {
      case 'SO_REUSEADDR':
        this.reuseAddr = n !== 0;
        return 0;
      case 'SO_REUSEPORT':
        this.reusePort = n !== 0;
        return 0;
      case 'SO_LINGER':
        if (typeof v === 'number') return new Errno('EINVAL');
        this.linger = { onoff: v.onoff ? 1 : 0, linger: Math.max(0, v.linger) };
        return 0;
      case 'TCP_NODELAY':
        this.nodelay = n !== 0;
        if (this.nodelay) this.tcp.writeXmit(this, true);
        return 0;
      case 'SO_KEEPALIVE':
        this.keepalive = n !== 0;
        return 0;
      case 'SO_RCVBUF':
        this.rcvBuf = Math.max(2304, Math.min(2 * n, 425_984)); // the kernel doubles it (socket(7))
        return 0;
      case 'SO_SNDBUF':
        this.sndBuf = Math.max(4608, Math.min(2 * n, 425_984));
        return 0;
      case 'SO_ERROR':
      case 'IP_TTL': // per-socket TTL is modelled for UDP and ping sockets only (traceroute, ping -t)
        return new Errno('ENOPROTOOPT');
    }
  }

  override getsockopt(opt: SockOptName): SockOptValue | Errno {
    switch (opt) {
      case 'SO_REUSEADDR':
        return this.reuseAddr ? 1 : 0;
      case 'SO_REUSEPORT':
        return this.reusePort ? 1 : 0;
      case 'SO_LINGER':
        return { ...this.linger };
      case 'TCP_NODELAY':
        return this.nodelay ? 1 : 0;
      case 'SO_KEEPALIVE':
        return this.keepalive ? 1 : 0;
      case 'SO_RCVBUF':
        return this.rcvBuf;
      case 'SO_SNDBUF':
        return this.sndBuf;
      case 'SO_ERROR': {
        const e = this.takePending();
        return e ? new Errno(e).code : 0;
      }
      case 'IP_TTL':
        return 64; // IPDEFTTL: TCP segments always leave with it here
    }
  }

  poll(): number {
    if (this.state === 'LISTEN') return this.acceptQ.length ? POLLIN : 0;
    let m = 0;
    // tcp_poll: RCV_SHUTDOWN (a FIN, shutdown, or tcp_done) is readable; a closed socket hangs up
    // and is writable (the write reports the error or EPIPE).
    if (this.rcvQ.length || this.rcvShutdown) m |= POLLIN;
    if (this.err || this.connectError) m |= POLLERR;
    if (this.state === 'CLOSE') m |= POLLHUP | POLLOUT;
    const connected = this.state === 'ESTABLISHED' || this.state === 'CLOSE_WAIT';
    if (connected && !this.writeShut && this.sndQ.length < this.sndBuf) m |= POLLOUT;
    return m;
  }

  /**
   * sock_error: the pending error, taken, whether a connection (err) or a connect (connectError)
   * failed; Linux keeps both in sk_err.
   */
  private takePending(): ErrnoName | null {
    const e = this.err ?? this.connectError;
    if (this.err) this.err = null;
    else this.connectError = null;
    return e;
  }

  /** A pending error, reported once (sock_error). */
  takeError(): Errno {
    const e = new Errno(this.err!);
    this.err = null;
    return e;
  }

  /** The congestion window in segments. */
  get cwnd(): number {
    return this.cc.cwnd;
  }

  /**
   * Linux grows the send buffer with the congestion window (tcp_sndbuf_expand: room for twice the
   * window's segments, counted in truesize), up to tcp_wmem[2]. Ours counts payload bytes: 2 x cwnd.
   */
  expandSndBuf(): void {
    this.sndBuf = Math.min(SNDBUF_MAX, Math.max(this.sndBuf, 2 * this.cwnd * this.mss));
  }

  /** Bytes sent and not yet acknowledged (Send-Q for ss). */
  get unacked(): number {
    return Math.max(0, seqDiff(this.sndNxt, this.sndUna) - (this.finSent && this.sndNxt !== this.sndUna ? 1 : 0));
  }

  row(): Omit<SocketRow, 'owners'> {
    const listening = this.state === 'LISTEN';
    const timer = this.rtxTimer ? { kind: this.rtxKind, expiresNs: this.rtxTimer.at, retransmits: this.retransmits } : undefined;
    return {
      inode: this.inode,
      kind: 'socket',
      proto: 'tcp',
      state: this.state,
      localAddr: this.localAddr,
      localPort: this.localPort,
      peerAddr: listening ? 0 : this.peerAddr,
      peerPort: listening ? 0 : this.peerPort,
      recvQ: listening ? (this.acceptList?.length ?? 0) : this.rcvQ.length,
      sendQ: listening ? this.backlog : this.state === 'SYN_SENT' ? 1 : this.sndQ.length,
      timer,
      listener: listening ? { backlog: this.backlog, acceptQueue: this.acceptList?.length ?? 0, synQueue: this.reqSet?.size ?? 0 } : undefined,
      parent: this.parent?.inode,
      queued: this.queued || undefined,
    };
  }
}
