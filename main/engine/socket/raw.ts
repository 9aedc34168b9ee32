// Raw IPv4 sockets (net/ipv4/raw.c): socket(AF_INET, SOCK_RAW, IPPROTO_TCP/UDP/ICMP), root only
// (CAP_NET_RAW). What is sent is the transport header and payload, checksum included (the kernel
// adds the IP header: IP_HDRINCL is off); what is received is a copy of every incoming packet of
// that protocol with its IP header (raw_v4_input runs before the protocol's own handler, which then
// handles the packet as usual: a SYN-ACK no socket expects is still answered with a RST). Port
// scanners (nmap -sS) are built on this.
import { IPV4_MIN_HEADER } from '../../../shared/wire';
import { IP_OFF, IP_PAYLOAD_OFF, type IpPacket, type NetStack } from '../net/stack';
import { AGAIN, Errno, POLLIN, POLLOUT, type RecvFrom, type SockName } from '../process';
import { WaitQueue } from '../sim';
import { BaseSock, type Op, type Sock } from './sock';

const RCVBUF = 212_992;

export class RawSocket extends BaseSock implements Sock {
  readonly proto = 'raw';
  readonly type = 'raw';
  readonly waitq = new WaitQueue();
  private queue: RecvFrom[] = [];
  private queued = 0;
  private readonly tap = (p: IpPacket) => this.deliver(p);

  constructor(
    readonly inode: number,
    private readonly stack: NetStack,
    /** IP protocol number (6 TCP, 17 UDP, 1 ICMP). */
    readonly protocol: number,
  ) {
    super();
    stack.addRawTap(protocol, this.tap);
  }

  override sendto(data: Uint8Array, dst: number): Op<number> {
    if (data.length === 0 || data.length > 65_535 - IPV4_MIN_HEADER) return new Errno('EMSGSIZE');
    const frame = this.stack.allocIp(data.length);
    frame.set(data, IP_PAYLOAD_OFF);
    if (!this.stack.ipOutput(frame, data.length, { dst, protocol: this.protocol })) return new Errno('ENETUNREACH');
    return data.length;
  }

  private deliver(p: IpPacket): void {
    const len = p.ip.totalLength;
    if (this.queued + len > RCVBUF) return;
    const packet = p.frame.slice(IP_OFF, IP_OFF + len);
    this.queue.push({ data: packet, addr: p.ip.src, port: 0, ttl: p.ip.ttl });
    this.queued += len;
    this.waitq.wake();
  }

  send(): Op<number> {
    return new Errno('EDESTADDRREQ');
  }

  recv(max: number): Op<Uint8Array> {
    const r = this.recvfrom(max);
    return r === AGAIN ? r : r.data;
  }

  override recvfrom(max: number): RecvFrom | typeof AGAIN {
    const m = this.queue.shift();
    if (!m) return AGAIN;
    this.queued -= m.data.length;
    return m.data.length > max ? { ...m, data: m.data.slice(0, max) } : m;
  }

  getsockname(): SockName {
    return { addr: 0, port: this.protocol };
  }

  poll(): number {
    return (this.queue.length ? POLLIN : 0) | POLLOUT;
  }

  close(): void {
    this.stack.removeRawTap(this.protocol, this.tap);
    this.queue = [];
  }

  row() {
    return {
      inode: this.inode,
      kind: 'socket' as const,
      proto: 'raw' as const,
      state: 'UNCONN' as const,
      localAddr: 0,
      localPort: this.protocol,
      peerAddr: 0,
      peerPort: 0,
      recvQ: this.queued,
      sendQ: 0,
    };
  }
}
