// UDP (RFC 768; Linux net/ipv4/udp.c): sockets, demultiplexing by score (udp4_lib_lookup2:
// a bound address and a connected peer make a better match than wildcards), ICMP port unreachable
// for datagrams nobody wants (rate-limited in icmp.ts), and errors for connected sockets
// (udp_err: ECONNREFUSED on the next recv, reported once).
import type { Delivery, LookupStep } from '../../../shared/api/kernel-view';
import { formatIpv4, IcmpType, IcmpUnreachCode, IPV4_BROADCAST, IpProto, parseUdp, UDP_HEADER_LEN, writeUdp } from '../../../shared/wire';
import type { IcmpErrorReport } from '../net/icmp';
import { IP_PAYLOAD_OFF, type IpPacket } from '../net/stack';
import { AGAIN, Errno, POLLERR, POLLIN, POLLOUT, type RecvFrom, type SockName, type SockOptName, type SockOptValue } from '../process';
import { WaitQueue } from '../sim';
import { BaseSock, type Op, type Sock } from '../socket/sock';
import { fmtEndpoint, type TransportEnv } from './env';
import { PortTable, type PortHolder } from './ports';

const RCVBUF = 212_992; // net.core.rmem_default
const MAX_DATAGRAM = 65_507;

export class Udp {
  readonly ports = new PortTable();
  readonly socks = new Set<UdpSock>();

  constructor(readonly env: TransportEnv) {
    env.stack.protocols.set(IpProto.UDP, (p) => this.receive(p));
    env.icmp.errorHandlers.set(IpProto.UDP, (r) => this.error(r));
  }

  create(): UdpSock {
    return new UdpSock(this, this.env.newInode());
  }

  /** udp_lib_get_port for port 0: a random free port of the ephemeral range. */
  autoPort(addr: number, reuse: boolean): number | null {
    const [lo, hi] = this.env.sysctl.range('net.ipv4.ip_local_port_range');
    const n = hi - lo + 1;
    const start = this.env.rng.int(0, n - 1);
    for (let i = 0; i < n; i++) {
      const port = lo + ((start + i) % n);
      if (!this.ports.conflict(addr, port, reuse, false)) return port;
    }
    return null;
  }

  /** Best socket for a datagram to (daddr, dport) from (saddr, sport), with the lookup steps. */
  lookup(daddr: number, dport: number, saddr: number, sport: number): { sock?: UdpSock; steps: LookupStep[] } {
    let best: UdpSock | undefined;
    let bestScore = -1;
    for (const h of this.ports.holders(dport)) {
      const s = h as UdpSock;
      if (s.localAddr !== 0 && s.localAddr !== daddr) continue;
      if (s.connected && (s.peerAddr !== saddr || s.peerPort !== sport)) continue;
      const score = (s.localAddr ? 4 : 0) + (s.connected ? 8 : 0);
      if (score > bestScore) {
        best = s;
        bestScore = score;
      }
    }
    const key = `${fmtEndpoint(daddr, dport)} <- ${fmtEndpoint(saddr, sport)}`;
    const table: LookupStep['table'] = !best ? 'udp-any' : best.connected ? 'udp-connected' : best.localAddr ? 'udp-bound' : 'udp-any';
    return { sock: best, steps: [{ table, key, hit: !!best }] };
  }

  private receive(p: IpPacket): void {
    const { ip, frame, frameId } = p;
    const { env } = this;
    const r = parseUdp(frame, ip.payloadOffset, ip.payloadOffset + ip.payloadLength, { src: ip.src, dst: ip.dst });
    if (!r.ok) {
      env.stack.bump('UdpInErrors');
      return env.drop('PKT_TOO_SMALL', frameId, `UDP: ${r.error}`);
    }
    const u = r.value;
    if (u.checksumOk === false) {
      env.stack.bump('UdpInCsumErrors');
      return env.drop('UDP_CSUM', frameId, `UDP checksum 0x${u.checksum.toString(16)} is wrong`);
    }
    const { sock, steps } = this.lookup(ip.dst, u.dstPort, ip.src, u.srcPort);
    const base: Omit<Delivery, 'machine' | 'atNs' | 'summary'> = { frameId, protocol: 'udp', steps };
    if (!sock) {
      env.stack.bump('UdpNoPorts');
      const broadcast = ip.dst === IPV4_BROADCAST;
      if (!broadcast) env.icmp.sendError(frame, IcmpType.DEST_UNREACH, IcmpUnreachCode.PORT);
      env.drop('NO_SOCKET', frameId, `UDP port ${u.dstPort}: no socket`);
      env.delivered({ ...base, drop: { reason: 'NO_SOCKET', text: 'no socket bound to this port' }, reply: broadcast ? undefined : 'ICMP port unreachable', summary: `no UDP socket on port ${u.dstPort}: ${broadcast ? 'dropped' : 'ICMP port unreachable sent back'}` });
      return;
    }
    const data = frame.slice(u.payloadOffset, u.payloadOffset + u.payloadLength);
    const queued = sock.enqueue({ data, addr: ip.src, port: u.srcPort, ttl: ip.ttl });
    if (queued) env.stack.bump('UdpInDatagrams'); // Linux counts delivered datagrams only
    env.delivered({
      ...base,
      socket: sock.describe(env),
      queue: queued ? 'receive queue' : undefined,
      drop: queued ? undefined : { reason: 'SOCKET_RCVBUFF', text: 'receive buffer full' },
      summary: queued ? `${u.payloadLength} bytes queued on UDP socket ${fmtEndpoint(sock.localAddr, sock.localPort)}` : 'receive buffer full: datagram dropped',
    });
  }

  private error(r: IcmpErrorReport): void {
    const { sock } = this.lookup(r.localAddr, r.localPort, r.peerAddr, r.peerPort);
    // Only a connected socket hears about it (unconnected ones need IP_RECVERR, which we lack).
    if (!sock || !sock.connected || sock.peerAddr !== r.peerAddr || sock.peerPort !== r.peerPort) return;
    if (r.type === IcmpType.DEST_UNREACH) sock.setError(r.code === IcmpUnreachCode.PORT ? 'ECONNREFUSED' : 'EHOSTUNREACH');
  }
}

export class UdpSock extends BaseSock implements Sock, PortHolder {
  /** IP_TTL (default 64). */
  private ttl = 64;
  readonly proto = 'udp';
  readonly type = 'dgram';
  readonly waitq = new WaitQueue();
  localAddr = 0;
  localPort = 0;
  peerAddr = 0;
  peerPort = 0;
  connected = false;
  reuseAddr = false;
  reusePort = false;
  readonly listening = false;
  autoBound = false;
  private queue: RecvFrom[] = [];
  private queuedBytes = 0;
  private err: Errno | null = null;
  private closed = false;

  constructor(
    private readonly udp: Udp,
    readonly inode: number,
  ) {
    super();
  }

  describe(env?: TransportEnv): NonNullable<Delivery['socket']> {
    return {
      inode: this.inode,
      kind: 'socket',
      local: fmtEndpoint(this.localAddr, this.localPort),
      peer: this.connected ? fmtEndpoint(this.peerAddr, this.peerPort) : '*:*',
      state: this.connected ? 'ESTABLISHED' : 'UNCONN',
      owners: env ? env.owners(this.inode) : [],
    };
  }

  enqueue(m: RecvFrom): boolean {
    if (this.queuedBytes + m.data.length > RCVBUF) {
      this.udp.env.stack.bump('UdpRcvbufErrors');
      return false;
    }
    this.queue.push(m);
    this.queuedBytes += m.data.length;
    this.waitq.wake();
    return true;
  }

  setError(name: 'ECONNREFUSED' | 'EHOSTUNREACH'): void {
    this.err = new Errno(name);
    this.waitq.wake();
  }

  override bind(addr: number, port: number): number | Errno {
    if (this.localPort) return new Errno('EINVAL');
    if (addr !== 0 && !this.udp.env.stack.isLocal(addr)) return new Errno('EADDRNOTAVAIL');
    if (port === 0) {
      const p = this.udp.autoPort(addr, this.reuseAddr);
      if (p === null) return new Errno('EADDRINUSE');
      port = p;
    } else if (this.udp.ports.conflict(addr, port, this.reuseAddr, this.reusePort)) return new Errno('EADDRINUSE');
    this.localAddr = addr;
    this.localPort = port;
    this.udp.ports.add(this);
    this.udp.socks.add(this);
    return 0;
  }

  private autobind(): Errno | null {
    if (this.localPort) return null;
    const r = this.bind(0, 0);
    if (r instanceof Errno) return r;
    this.autoBound = true;
    return null;
  }

  override connect(addr: number, port: number): Op<number> {
    const src = this.udp.env.stack.sourceFor(addr);
    if (src === undefined) return new Errno('ENETUNREACH');
    const e = this.autobind();
    if (e) return e;
    // ip4_datagram_connect: an unbound local address becomes the route's source address.
    if (this.localAddr === 0) {
      this.udp.ports.remove(this);
      this.localAddr = src;
      this.udp.ports.add(this);
    }
    this.peerAddr = addr;
    this.peerPort = port;
    this.connected = true;
    return 0;
  }

  override sendto(data: Uint8Array, addr: number, port: number): Op<number> {
    if (data.length > MAX_DATAGRAM) return new Errno('EMSGSIZE');
    if (port === 0) return new Errno('EINVAL');
    const e = this.autobind();
    if (e) return e;
    const { stack } = this.udp.env;
    const src = this.localAddr || stack.sourceFor(addr);
    if (src === undefined) return new Errno('ENETUNREACH');
    const frame = stack.allocIp(UDP_HEADER_LEN + data.length);
    frame.set(data, IP_PAYLOAD_OFF + UDP_HEADER_LEN);
    writeUdp(frame, IP_PAYLOAD_OFF, { srcPort: this.localPort, dstPort: port, payloadLength: data.length, src, dst: addr });
    stack.bump('UdpOutDatagrams');
    if (!stack.ipOutput(frame, UDP_HEADER_LEN + data.length, { dst: addr, src, protocol: IpProto.UDP, ttl: this.ttl })) return new Errno('ENETUNREACH');
    return data.length;
  }

  send(data: Uint8Array): Op<number> {
    if (!this.connected) return new Errno('EDESTADDRREQ');
    return this.sendto(data, this.peerAddr, this.peerPort);
  }

  override recvfrom(max: number): Op<RecvFrom> {
    if (this.err) {
      const e = this.err;
      this.err = null;
      return e;
    }
    const m = this.queue.shift();
    if (!m) return this.closed ? new Errno('EBADF') : AGAIN;
    this.queuedBytes -= m.data.length;
    return m.data.length > max ? { ...m, data: m.data.slice(0, max) } : m; // MSG_TRUNC: the rest is lost
  }

  recv(max: number, peek: boolean): Op<Uint8Array> {
    if (peek && !this.err) return this.queue[0]?.data.slice(0, max) ?? AGAIN;
    const r = this.recvfrom(max);
    return r === AGAIN || r instanceof Errno ? r : r.data;
  }

  getsockname(): SockName {
    return { addr: this.localAddr, port: this.localPort };
  }

  override getpeername(): SockName | Errno {
    return this.connected ? { addr: this.peerAddr, port: this.peerPort } : new Errno('ENOTCONN');
  }

  override shutdown(): number | Errno {
    return this.connected ? 0 : new Errno('ENOTCONN');
  }

  override setsockopt(opt: SockOptName, value: SockOptValue): number | Errno {
    if (opt === 'SO_REUSEADDR') this.reuseAddr = value !== 0;
    else if (opt === 'SO_REUSEPORT') this.reusePort = value !== 0;
    else if (opt === 'IP_TTL') {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 255) return new Errno('EINVAL');
      this.ttl = value;
    } else if (opt !== 'SO_RCVBUF' && opt !== 'SO_SNDBUF') return new Errno('ENOPROTOOPT');
    return 0;
  }

  override getsockopt(opt: SockOptName): SockOptValue | Errno {
    if (opt === 'SO_REUSEADDR') return this.reuseAddr ? 1 : 0;
    if (opt === 'SO_REUSEPORT') return this.reusePort ? 1 : 0;
    if (opt === 'SO_RCVBUF' || opt === 'SO_SNDBUF') return RCVBUF;
    if (opt === 'SO_ERROR') {
      const e = this.err;
      this.err = null;
      return e ? e.code : 0;
    }
    return new Errno('ENOPROTOOPT');
  }

  poll(): number {
    return (this.queue.length ? POLLIN : 0) | (this.err ? POLLERR : 0) | POLLOUT;
  }

  close(): void {
    this.closed = true;
    this.udp.ports.remove(this);
    this.udp.socks.delete(this);
    this.queue = [];
  }

  holderName(): string {
    return `udp ${formatIpv4(this.localAddr)}:${this.localPort}`;
  }

  row() {
    return {
      inode: this.inode,
      kind: 'socket' as const,
      proto: 'udp' as const,
      state: this.connected ? ('ESTABLISHED' as const) : ('UNCONN' as const),
      localAddr: this.localAddr,
      localPort: this.localPort,
      peerAddr: this.peerAddr,
      peerPort: this.peerPort,
      recvQ: this.queuedBytes,
      sendQ: 0,
    };
  }
}
