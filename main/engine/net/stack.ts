// One machine's IPv4 stack: Ethernet receive, ARP (RFC 826, Linux arp_process), IPv4 input and
// output (RFC 791/1122, Linux ip_rcv / ip_local_deliver / ip_queue_xmit) and the loopback device.
// Upper protocols register in `protocols` (IP protocol number -> handler): no upward imports.
import { COUNTERS } from '../../../shared/kernel/counters';
import type { DropReason } from '../../../shared/trace';
import { BROADCAST_MAC, formatIpv4 as fmtIp, IPV4_BROADCAST, isMulticastMac, prefixMask, sameSubnet, ARP_LEN, ArpOp, parseArp, writeArp, ETH_HEADER_LEN, EtherType, padEthernetFrame, parseEthernet, writeEthernet, Ipv4Flag, parseIpv4Header, writeIpv4, IcmpType, IcmpUnreachCode, internetChecksum, type Ipv4Header } from '../../../shared/wire';
import type { Frame, Nic } from '../link';
import type { Rng, Scheduler } from '../sim';
import type { Iface } from './iface';
import { NeighbourTable, type Neigh } from './neighbour';
import type { AddrInfo, LinkInfo } from './netlink';
import { RouteTable } from './routes';

export const IP_OFF = ETH_HEADER_LEN;
export const IP_PAYLOAD_OFF = ETH_HEADER_LEN + 20;

/** A received IPv4 packet handed to an upper protocol. */
export interface IpPacket {
  frame: Uint8Array;
  frameId: number;
  iface: Iface;
  ip: Ipv4Header;
}

export interface IpSendOptions {
  dst: number;
  protocol: number;
  src?: number;
  ttl?: number;
  tos?: number;
  /** Set DF (Linux: IP_PMTUDISC_WANT for sockets); ICMP errors and replies go without it. */
  df?: boolean;
}

export interface StackHooks {
  drop(reason: DropReason, frameId: number | undefined, text: string): void;
  event(text: string): void;
  /** Resolution of a local packet's next hop failed (arp_error_report -> icmp_send host unreachable). */
  hostUnreachable(frame: Uint8Array): void;
  /** net.ipv4.ip_forward. */
  forwarding(): boolean;
  /** An ICMP error about a packet this machine could not forward (icmp_send). */
  icmpError(offending: Uint8Array, type: number, code: number, mtu?: number): void;
  /** A packet this machine forwarded: the trace's note on the frame that brought it. */
  forwarded(frameId: number, text: string): void;
  /** What is sending now (the running syscall), for a packet that must wait for ARP. */
  cause(): unknown;
  /** Send on behalf of a cause kept from earlier. */
  withCause(cause: unknown, send: () => void): void;
}

export class NetStack {
  readonly ifaces: Iface[] = [];
  readonly routes = new RouteTable();
  readonly neigh: NeighbourTable;
  readonly protocols = new Map<number, (p: IpPacket) => void>();
  /** Raw sockets by IP protocol (socket/raw.ts): each gets a copy before the protocol's handler. */
  private readonly rawTaps = new Map<number, Set<(p: IpPacket) => void>>();

  addRawTap(protocol: number, tap: (p: IpPacket) => void): void {
    let set = this.rawTaps.get(protocol);
    if (!set) this.rawTaps.set(protocol, (set = new Set()));
    set.add(tap);
  }

  removeRawTap(protocol: number, tap: (p: IpPacket) => void): void {
    this.rawTaps.get(protocol)?.delete(tap);
  }
  /** Linux MIB counters by nstat name, all present from boot (shared/kernel/counters.ts). */
  readonly counters = new Map<string, number>(COUNTERS.map((c) => [c, 0]));
  private ipId: number;
  /**
   * When the packet the last ipOutput() sent leaves its NIC's queue (undefined: dropped, waiting for
   * ARP, or on lo). TCP charges its own packets until then, as Linux's sk_wmem_alloc holds an skb's
   * truesize until TX completion (TCP Small Queues, tcp/small-queues.ts).
   */
  lastDepartureNs: number | undefined;

  constructor(
    readonly machine: string,
    sched: Scheduler,
    rng: Rng,
    private readonly hooks: StackHooks,
  ) {
    this.ipId = rng.int(0, 0xffff);
    this.neigh = new NeighbourTable(sched, rng, {
      solicit: (n, unicast) => this.arpSolicit(n, unicast),
      output: (n, f) => this.l2Output(n.iface, n.mac!, f),
      failed: (n, f) => {
        this.hooks.drop('NEIGH_FAILED', undefined, `no ARP reply from ${fmtIp(n.addr)} on ${n.iface.name}`);
        this.hooks.hostUnreachable(f);
      },
      queueFull: (n) => this.hooks.drop('NEIGH_QUEUEFULL', undefined, `too many packets waiting for ARP of ${fmtIp(n.addr)}`),
      event: (t) => this.hooks.event(t),
      cause: () => this.hooks.cause(),
      withCause: (c, send) => this.hooks.withCause(c, send),
    });
  }

  bump(name: string, by = 1): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + by);
  }

  /** Attach an interface: `lo` must be added first (index 1). */
  addIface(nic: Nic, opts: { loopback: boolean; addr?: number; prefix?: number }): Iface {
    const iface: Iface = { index: this.ifaces.length + 1, name: nic.name, nic, loopback: opts.loopback, addr: opts.addr, prefix: opts.prefix };
    this.ifaces.push(iface);
    nic.onReceive = (f) => this.receive(iface, f);
    if (!opts.loopback && opts.addr !== undefined && opts.prefix !== undefined) {
      const mask = prefixMask(opts.prefix);
      this.routes.add({ dst: (opts.addr & mask) >>> 0, prefix: opts.prefix, iface, src: opts.addr, proto: 'kernel' });
    }
    return iface;
  }

  /**
   * ip route add (rtnetlink RTM_NEWROUTE): via a gateway on a connected subnet, or straight out of
   * a device. An errno name when refused.
   */
  addRoute(dst: number, prefix: number, gateway: number | undefined, dev: string | undefined, proto: 'static' | 'boot' = 'static'): 'EEXIST' | 'ENETUNREACH' | 'ENODEV' | 'EINVAL' | null {
    if (((dst & prefixMask(prefix)) >>> 0) !== dst) return 'EINVAL';
    if (this.routes.has(dst, prefix)) return 'EEXIST';
    const byDev = dev === undefined ? undefined : this.ifaces.find((i) => i.name === dev);
    if (dev !== undefined && !byDev) return 'ENODEV';
    let iface = byDev;
    if (gateway !== undefined) {
      const on = this.ifaces.find((i) => !i.loopback && i.addr !== undefined && sameSubnet(i.addr, gateway, i.prefix!) && (!byDev || i === byDev));
      if (!on) return 'ENETUNREACH'; // "Nexthop has invalid gateway"
      iface = on;
    }
    if (!iface) return 'EINVAL';
    this.routes.add({ dst, prefix, gateway, iface, proto });
    return null;
  }

  setDefaultGateway(gw: number): boolean {
    const iface = this.ifaces.find((i) => !i.loopback && i.addr !== undefined && sameSubnet(i.addr, gw, i.prefix!));
    if (!iface) return false;
    this.routes.add({ dst: 0, prefix: 0, gateway: gw, iface, proto: 'boot' });
    return true;
  }

  isLocal(addr: number): boolean {
    return addr >>> 24 === 127 || this.ifaces.some((i) => i.addr === addr);
  }

  private isBroadcast(addr: number): boolean {
    if (addr === IPV4_BROADCAST) return true;
    return this.ifaces.some((i) => i.addr !== undefined && !i.loopback && i.prefix! < 31 && ((i.addr | ~prefixMask(i.prefix!)) >>> 0) === addr);
  }

  // ---------------------------------------------------------------- receive

  private receive(iface: Iface, f: Frame): void {
    const eth = parseEthernet(f.bytes, 0);
    if (!eth.ok) return this.hooks.drop('PKT_TOO_SMALL', f.id, `${iface.name}: ${eth.error}`);
    const { dst, etherType } = eth.value;
    if (!iface.loopback && dst !== iface.nic.mac && dst !== BROADCAST_MAC && !isMulticastMac(dst)) {
      return this.hooks.drop('OTHERHOST', f.id, `${iface.name}: frame for another MAC`);
    }
    if (etherType === EtherType.ARP) return this.arpReceive(iface, f);
    if (etherType === EtherType.IPV4) return this.ipReceive(iface, f);
    this.hooks.drop('UNHANDLED_PROTO', f.id, `${iface.name}: EtherType 0x${etherType.toString(16).padStart(4, '0')} not handled`);
  }

  private arpReceive(iface: Iface, f: Frame): void {
    const r = parseArp(f.bytes, IP_OFF);
    if (!r.ok) return this.hooks.drop('ARP_INVALID', f.id, `${iface.name}: ${r.error}`);
    const a = r.value;
    if (iface.addr === undefined || a.spa === 0) return;
    const forUs = a.tpa === iface.addr;
    if (a.op === ArpOp.REQUEST && forUs) {
      this.neigh.update(iface, a.spa, a.sha, false, true);
      this.arpSend(iface, ArpOp.REPLY, a.sha, a.sha, a.spa);
    } else {
      // A reply to us confirms; any other ARP updates an entry we already have (arp_process).
      this.neigh.update(iface, a.spa, a.sha, a.op === ArpOp.REPLY && forUs, false);
    }
  }

  private arpSolicit(n: Neigh, unicast: boolean): void {
    this.arpSend(n.iface, ArpOp.REQUEST, unicast && n.mac !== undefined ? n.mac : BROADCAST_MAC, 0, n.addr);
  }

  private arpSend(iface: Iface, op: number, ethDst: number, tha: number, tpa: number): void {
    const b = new Uint8Array(IP_OFF + ARP_LEN);
    writeArp(b, IP_OFF, { op, sha: iface.nic.mac, spa: iface.addr ?? 0, tha, tpa });
    writeEthernet(b, 0, { dst: ethDst, src: iface.nic.mac, etherType: EtherType.ARP });
    iface.nic.transmit(padEthernetFrame(b));
  }

  /**
   * ip_forward (net/ipv4/ip_forward.c): TTL expired -> ICMP time exceeded; no route -> ICMP net
   * unreachable; too big with DF -> ICMP fragmentation needed (no fragmentation here either way);
   * else a copy with TTL - 1 and a fresh header checksum goes out of the route's interface to the
   * next hop (the gateway, or the destination itself on a connected route). No ICMP redirects.
   */
  private forward(iface: Iface, f: Frame, ip: Ipv4Header): void {
    if (ip.ttl <= 1) {
      this.bump('IpInHdrErrors');
      this.hooks.icmpError(f.bytes, IcmpType.TIME_EXCEEDED, 0);
      return this.hooks.drop('IP_TTL_EXPIRED', f.id, `${iface.name}: ${fmtIp(ip.src)} -> ${fmtIp(ip.dst)} arrived with TTL ${ip.ttl}; ICMP time exceeded sent to ${fmtIp(ip.src)}`);
    }
    const route = this.routes.lookup(ip.dst);
    if (!route) {
      this.bump('IpInNoRoutes');
      this.hooks.icmpError(f.bytes, IcmpType.DEST_UNREACH, IcmpUnreachCode.NET);
      return this.hooks.drop('IP_INNOROUTES', f.id, `${iface.name}: no route to ${fmtIp(ip.dst)}; ICMP network unreachable sent to ${fmtIp(ip.src)}`);
    }
    const out = route.iface;
    if (ip.totalLength > out.nic.mtu) {
      if (ip.flags & Ipv4Flag.DF) {
        this.hooks.icmpError(f.bytes, IcmpType.DEST_UNREACH, IcmpUnreachCode.FRAG_NEEDED, out.nic.mtu);
        return this.hooks.drop('IP_FRAG_NEEDED', f.id, `${iface.name}: ${ip.totalLength} bytes for ${out.name} (MTU ${out.nic.mtu}) with DF set; ICMP fragmentation needed sent`);
      }
      return this.hooks.drop('IP_FRAG_UNSUPPORTED', f.id, `${iface.name}: ${ip.totalLength} bytes for ${out.name} (MTU ${out.nic.mtu}) would need fragmenting`);
    }
    const copy = new Uint8Array(IP_OFF + ip.totalLength);
    copy.set(f.bytes.subarray(IP_OFF, IP_OFF + ip.totalLength), IP_OFF);
    // ip_decrease_ttl: TTL - 1 and the checksum recomputed over the header.
    copy[IP_OFF + 8] = ip.ttl - 1;
    copy[IP_OFF + 10] = 0;
    copy[IP_OFF + 11] = 0;
    const sum = internetChecksum(copy, IP_OFF, IP_OFF + ip.headerLength);
    copy[IP_OFF + 10] = sum >>> 8;
    copy[IP_OFF + 11] = sum & 255;
    this.bump('IpForwDatagrams');
    this.bump('IpOutRequests');
    const hop = route.gateway ?? ip.dst;
    this.hooks.forwarded(f.id, `forwarded ${fmtIp(ip.src)} -> ${fmtIp(ip.dst)} from ${iface.name} to ${out.name}${route.gateway !== undefined ? ` via ${fmtIp(route.gateway)}` : ''} (TTL ${ip.ttl} -> ${ip.ttl - 1})`);
    this.neigh.output(out, hop, copy);
  }

  private ipReceive(iface: Iface, f: Frame): void {
    this.bump('IpInReceives');
    const r = parseIpv4Header(f.bytes, IP_OFF);
    if (!r.ok) {
      this.bump('IpInHdrErrors');
      return this.hooks.drop('IP_INHDR', f.id, `${iface.name}: ${r.error}`);
    }
    const ip = r.value;
    if (!ip.checksumOk) {
      this.bump('IpExtInCsumErrors');
      return this.hooks.drop('IP_CSUM', f.id, `${iface.name}: IPv4 header checksum 0x${ip.checksum.toString(16)} is wrong`);
    }
    if (!this.isLocal(ip.dst) && !this.isBroadcast(ip.dst)) {
      if (this.hooks.forwarding() && ip.dst !== IPV4_BROADCAST && (ip.dst >>> 28) !== 14) return this.forward(iface, f, ip);
      this.bump('IpInAddrErrors');
      return this.hooks.drop('OTHERHOST', f.id, `${iface.name}: ${fmtIp(ip.dst)} is not a local address and this machine does not forward`);
    }
    if (ip.flags & Ipv4Flag.MF || ip.fragOffset) {
      return this.hooks.drop('IP_FRAG_UNSUPPORTED', f.id, `${iface.name}: fragment of datagram id ${ip.id}`);
    }
    const packet: IpPacket = { frame: f.bytes, frameId: f.id, iface, ip };
    // raw_v4_input: raw sockets see the packet first; the protocol still handles it.
    const taps = this.rawTaps.get(ip.protocol);
    if (taps) for (const tap of taps) tap(packet);
    const handler = this.protocols.get(ip.protocol);
    if (!handler) {
      this.bump('IpInUnknownProtos');
      return this.hooks.drop('IP_NOPROTO', f.id, `${iface.name}: IP protocol ${ip.protocol} not handled`);
    }
    this.bump('IpInDelivers');
    handler(packet);
  }

  // ---------------------------------------------------------------- send

  /** A frame buffer for an IPv4 packet with `payloadLength` bytes of payload at IP_PAYLOAD_OFF. */
  allocIp(payloadLength: number): Uint8Array {
    return new Uint8Array(IP_PAYLOAD_OFF + payloadLength);
  }

  /** Source address Linux would pick for dst (inet_select_addr via the route), or undefined. */
  sourceFor(dst: number): number | undefined {
    if (this.isLocal(dst)) return dst >>> 24 === 127 ? 0x7f000001 : dst;
    const route = this.routes.lookup(dst);
    return route ? (route.src ?? route.iface.addr) : undefined;
  }

  /** ip_queue_xmit: route, write the IPv4 header, resolve the next hop, transmit. False: no route. */
  ipOutput(frame: Uint8Array, payloadLength: number, o: IpSendOptions): boolean {
    this.lastDepartureNs = undefined;
    const local = this.isLocal(o.dst);
    const route = local ? undefined : this.routes.lookup(o.dst);
    const limited = o.dst === IPV4_BROADCAST;
    if (!local && !route && !limited) {
      this.bump('IpOutNoRoutes');
      this.hooks.drop('IP_OUTNOROUTES', undefined, `no route to ${fmtIp(o.dst)}`);
      return false;
    }
    const iface = local ? this.ifaces[0]! : (route?.iface ?? this.ifaces.find((i) => !i.loopback)!);
    const src = o.src ?? this.sourceFor(o.dst) ?? iface.addr ?? 0;
    this.ipId = (this.ipId + 1) & 0xffff;
    writeIpv4(frame, IP_OFF, {
      id: this.ipId,
      flags: o.df === false ? 0 : Ipv4Flag.DF,
      ttl: o.ttl ?? 64,
      tos: o.tos ?? 0,
      protocol: o.protocol,
      src,
      dst: o.dst,
      payloadLength,
    });
    this.bump('IpOutRequests');
    if (iface.loopback) {
      writeEthernet(frame, 0, { dst: 0, src: 0, etherType: EtherType.IPV4 });
      iface.nic.transmit(frame);
    } else if (limited || this.isBroadcast(o.dst)) this.l2Output(iface, BROADCAST_MAC, frame);
    else this.neigh.output(iface, route!.gateway ?? o.dst, frame);
    return true;
  }

  /** Only IPv4 packets take this path (ARP frames are built whole in arpSend). */
  private l2Output(iface: Iface, mac: number, frame: Uint8Array): void {
    writeEthernet(frame, 0, { dst: mac, src: iface.nic.mac, etherType: EtherType.IPV4 });
    this.lastDepartureNs = iface.nic.transmit(padEthernetFrame(frame));
  }

  // ---------------------------------------------------------------- netlink views

  links(): LinkInfo[] {
    return this.ifaces.map((i) => ({
      index: i.index,
      name: i.name,
      // lo's NIC has MAC 0 and its Loopback medium (always up) gives MTU 65536 and carrier.
      mac: i.nic.mac,
      mtu: i.nic.mtu,
      adminUp: i.nic.adminUp,
      carrier: i.nic.carrier,
      loopback: i.loopback,
      rxPackets: i.nic.rxFrames,
      txPackets: i.nic.txFrames,
      rxBytes: i.nic.rxBytes,
      txBytes: i.nic.txBytes,
    }));
  }

  addrs(): AddrInfo[] {
    return this.ifaces
      .filter((i) => i.addr !== undefined)
      .map((i) => ({ index: i.index, dev: i.name, addr: i.addr!, prefix: i.prefix!, scope: i.loopback ? 'host' : 'global' }));
  }
}
