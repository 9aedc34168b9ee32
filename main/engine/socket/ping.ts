// An ICMP "ping socket" (Linux net/ipv4/ping.c: socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)).
// The user writes an echo request (type 8, code 0); the kernel sets the identifier to the socket's
// ident (its "port", chosen at autobind) and computes the checksum. Replies and ICMP errors about
// its requests are queued for recvfrom (errors stand in for Linux's IP_RECVERR error queue).
import { ICMP_HEADER_LEN, IcmpType, IpProto, readU16, writeIcmpEcho } from '../../../shared/wire';
import type { EchoReceiver, Icmp } from '../net/icmp';
import { IP_PAYLOAD_OFF, type NetStack } from '../net/stack';
import { AGAIN, Errno, POLLIN, POLLOUT, type RecvFrom, type SockName, type SockOptName, type SockOptValue } from '../process';
import { WaitQueue } from '../sim';
import { BaseSock, type Op, type Sock } from './sock';

/** Default SO_RCVBUF, counted as message bytes here. */
const RCVBUF = 212_992;

export class PingSocket extends BaseSock implements Sock, EchoReceiver {
  readonly proto = 'icmp';
  readonly type = 'dgram';
  readonly waitq = new WaitQueue();
  ident: number | null = null;
  /** IP_TTL (default 64, net.ipv4.ip_default_ttl). */
  private ttl = 64;
  private queue: RecvFrom[] = [];
  private queued = 0;
  drops = 0;

  constructor(
    readonly inode: number,
    private readonly stack: NetStack,
    private readonly icmp: Icmp,
    private readonly pickIdent: () => number,
  ) {
    super();
  }

  override sendto(data: Uint8Array, dst: number): Op<number> {
    if (data.length < ICMP_HEADER_LEN || data[0] !== IcmpType.ECHO_REQUEST || data[1] !== 0) return new Errno('EINVAL');
    if (this.ident === null) {
      this.ident = this.pickIdent();
      this.icmp.echoReceivers.set(this.ident, this);
    }
    const frame = this.stack.allocIp(data.length);
    frame.set(data, IP_PAYLOAD_OFF);
    writeIcmpEcho(frame, IP_PAYLOAD_OFF, { type: IcmpType.ECHO_REQUEST, id: this.ident, seq: readU16(data, 6), payloadLength: data.length - ICMP_HEADER_LEN });
    this.stack.bump('IcmpOutEchos');
    this.stack.bump('IcmpOutMsgs');
    if (!this.stack.ipOutput(frame, data.length, { dst, protocol: IpProto.ICMP, ttl: this.ttl })) return new Errno('ENETUNREACH');
    return data.length;
  }

  receive(msg: Uint8Array, addr: number, ttl: number): void {
    if (this.queued + msg.length > RCVBUF) {
      this.drops++;
      return;
    }
    this.queue.push({ data: msg, addr, port: 0, ttl });
    this.queued += msg.length;
    this.waitq.wake();
  }

  override setsockopt(opt: SockOptName, value: SockOptValue): number | Errno {
    if (opt !== 'IP_TTL') return new Errno('ENOPROTOOPT');
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 255) return new Errno('EINVAL');
    this.ttl = value;
    return 0;
  }

  send(): Op<number> {
    return new Errno('EDESTADDRREQ');
  }

  recv(max: number): Op<Uint8Array> {
    const r = this.recvfrom(max);
    return r === AGAIN ? r : r.data;
  }

  getsockname(): SockName {
    return { addr: 0, port: this.ident ?? 0 };
  }

  override recvfrom(max: number): RecvFrom | typeof AGAIN {
    const m = this.queue.shift();
    if (!m) return AGAIN;
    this.queued -= m.data.length;
    return m.data.length > max ? { ...m, data: m.data.slice(0, max) } : m;
  }

  poll(): number {
    return (this.queue.length ? POLLIN : 0) | POLLOUT;
  }

  close(): void {
    if (this.ident !== null && this.icmp.echoReceivers.get(this.ident) === this) this.icmp.echoReceivers.delete(this.ident);
    this.queue = [];
  }

  row() {
    return {
      inode: this.inode,
      kind: 'socket' as const,
      proto: 'icmp' as const,
      state: 'UNCONN' as const,
      localAddr: 0,
      localPort: this.ident ?? 0,
      peerAddr: 0,
      peerPort: 0,
      recvQ: this.queued,
      sendQ: 0,
    };
  }
}
