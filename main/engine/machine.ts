// A machine with an IP stack (host, server, router): NICs + lo, the IPv4 stack, ICMP, transports,
// the process table with its sockets, sysctls, and terminals (each a tty with a shell).
import type { MachineState, ProcessRow, SocketRow } from '../../shared/api/kernel-view';
import type { ResolvedMachine } from '../../shared/lab/types';
import type { DropReason, KernelEventType } from '../../shared/trace';
import { formatIpv4, IcmpType, IcmpUnreachCode, IpProto } from '../../shared/wire';
import { registerFsSyscalls, seedTree, Users, Vfs } from './fs';
import { Nic, type LinkContext, type Medium } from './link';
import { Icmp } from './net/icmp';
import { NetStack } from './net/stack';
import { Sysctl } from './net/sysctl';
import { Errno, fileOf, INIT_PID, isErr, Kernel, PtyMaster, Tty, type NetlinkQuery, type Program, type TtyHooks, type Process } from './process';
import { findProgram, isSetuidRoot } from './programs';
import { Rng } from './sim';
import { PingSocket } from './socket/ping';
import { RawSocket } from './socket/raw';
import { SocketFile } from './socket/socket-file';
import { registerSocketSyscalls } from './socket/syscalls';
import { UnixNamespace, UnixStreamSock } from './socket/unix';
import type { TransportEnv } from './transport/env';
import { Tcp } from './transport/tcp/tcp';
import { Udp } from './transport/udp';

/** The loopback device: what is sent comes back in at once; tcpdump on lo sees each packet once. */
class Loopback implements Medium {
  readonly up = true;
  readonly mtu = 65536;
  constructor(private readonly ctx: LinkContext) {}
  /** Nothing waits in a queue: lo frees the skb at once (returns undefined). */
  send(from: Nic, frame: { bytes: Uint8Array; id: number }): undefined {
    this.ctx.sched.after(0, () => {
      from.rxFrames++;
      from.rxBytes += frame.bytes.length;
      from.onReceive(frame);
    });
  }
}

export interface Terminal {
  readonly tty: Tty;
  readonly shell: Process;
  input(data: string): void;
  close(): void;
}

export interface LabHost {
  name: string;
  addr: number;
}

export class Machine {
  readonly nics: Nic[] = [];
  readonly stack: NetStack;
  readonly icmp: Icmp;
  readonly kernel: Kernel;
  readonly sysctl: Sysctl;
  readonly udp: Udp;
  readonly tcp: Tcp;
  /** The machine's disk and accounts (fs/). */
  readonly fs: Vfs;
  readonly users: Users;
  private readonly env: TransportEnv;
  private nextInode = 10_000;
  /** AF_UNIX names of this machine. */
  private readonly unixNs = new UnixNamespace(() => this.nextInode++);
  private nextPts = 0;
  private readonly rng: Rng;
  /** A named drop on this machine (every layer reports through it). */
  private readonly drop: (reason: DropReason, frameId: number | undefined, text: string) => void;
  /** A plain kernel event on this machine, stamped with the current time. */
  private readonly kernelEvent: (type: KernelEventType, text: string) => void;

  constructor(
    private readonly ctx: LinkContext,
    readonly spec: ResolvedMachine,
    seed: number,
    /** Every machine of the lab with an address: the DNS zone this machine's disk starts with. */
    labHosts: readonly LabHost[] = [],
    /** Programs installed beside the engine's own (World.programs). */
    extraPrograms: Readonly<Record<string, Program>> = {},
  ) {
    const id = spec.id;
    this.drop = (reason, frameId, text) => ctx.drop(id, reason, frameId, text);
    this.kernelEvent = (type, text) => ctx.sink.kernel({ at: ctx.sched.now, machine: id, type, text });
    // A router forwards (net.ipv4.ip_forward = 1) unless its lab file says otherwise.
    this.sysctl = new Sysctl(spec.kind === 'router' ? { 'net.ipv4.ip_forward': '1', ...spec.sysctl } : spec.sysctl);
    this.rng = new Rng(seed, `machine:${id}`);
    this.stack = new NetStack(id, ctx.sched, this.rng, {
      drop: this.drop,
      event: (text) => this.kernelEvent('neigh', text),
      hostUnreachable: (frame) => this.icmp.sendError(frame, IcmpType.DEST_UNREACH, IcmpUnreachCode.HOST),
      forwarding: () => this.sysctl.int('net.ipv4.ip_forward') === 1,
      icmpError: (frame, type, code, mtu) => this.icmp.sendError(frame, type, code, mtu),
      forwarded: (frameId, text) => ctx.sink.kernel({ at: ctx.sched.now, machine: id, type: 'route', frameId, text }),
      cause: () => this.kernel.sendingCause(),
      withCause: (c, send) => this.kernel.withCause(c, send),
    });
    this.icmp = new Icmp(this.stack, this.drop, {
      now: () => ctx.sched.now,
      ratelimitMs: () => this.sysctl.int('net.ipv4.icmp_ratelimit'),
      ratemask: () => this.sysctl.int('net.ipv4.icmp_ratemask'),
      echoIgnoreAll: () => this.sysctl.int('net.ipv4.icmp_echo_ignore_all') === 1,
      delivered: (d) => this.env.delivered(d),
      owners: (inode) => this.kernel.ownersOf(inode),
    });
    const lo = new Nic(ctx, id, 'lo', 0);
    lo.medium = new Loopback(ctx);
    this.stack.addIface(lo, { loopback: true, addr: 0x7f000001, prefix: 8 });
    for (const n of spec.nics) {
      const nic = new Nic(ctx, id, n.name, n.mac);
      this.nics.push(nic);
      this.stack.addIface(nic, { loopback: false, addr: n.ip?.addr, prefix: n.ip?.prefix });
    }
    if (spec.gateway !== undefined && !this.stack.setDefaultGateway(spec.gateway)) {
      this.kernelEvent('info', `default gateway is not on any connected subnet; no default route`);
    }
    for (const r of spec.routes ?? []) {
      const e = this.stack.addRoute(r.dst, r.prefix, r.via, undefined, 'boot');
      if (e) this.kernelEvent('info', `route ${formatIpv4(r.dst)}/${r.prefix} via ${formatIpv4(r.via)} not added (${e})`);
    }
    const programs = (name: string): Program | undefined => (Object.hasOwn(extraPrograms, name) ? extraPrograms[name] : findProgram(name));
    this.kernel = new Kernel(ctx.sched, id, programs, (e) => ctx.sink.kernel({ ...e, at: ctx.sched.now, machine: id }), isSetuidRoot);
    // ARP frames are the neighbour subsystem's own: a syscall's frame is its first IPv4 one.
    for (const nic of [lo, ...this.nics]) nic.onNewFrame = (frameId, bytes) => bytes[12] === 0x08 && bytes[13] === 0x00 && this.kernel.frameSent(frameId);
    this.users = new Users(spec.users);
    this.fs = new Vfs(
      () => ctx.sched.now,
      (vfs) =>
        seedTree(vfs, {
          hostname: id,
          users: this.users,
          addresses: spec.nics.flatMap((n) => (n.ip ? [formatIpv4(n.ip.addr)] : [])),
          nameserver: spec.dns === undefined ? undefined : formatIpv4(spec.dns),
          zone: labHosts.map((h) => ({ name: h.name, addr: formatIpv4(h.addr) })),
        }),
    );
    this.env = this.transportEnv();
    this.udp = new Udp(this.env);
    this.tcp = new Tcp(this.env);
    this.registerSyscalls();
    // The lab file's services start with the lab, through `service` like a boot script would.
    for (const s of spec.services ?? []) {
      ctx.sched.at(ctx.sched.now, () => this.kernel.spawn(['service', s.name, 'start', ...(s.port === undefined ? [] : [String(s.port)])], INIT_PID));
    }
  }

  get id(): string {
    return this.spec.id;
  }

  private transportEnv(): TransportEnv {
    const { ctx } = this;
    const id = this.id;
    return {
      machine: id,
      stack: this.stack,
      icmp: this.icmp,
      sched: ctx.sched,
      rng: this.rng,
      sysctl: this.sysctl,
      newInode: () => this.nextInode++,
      delivered: (d) => ctx.sink.kernel({ at: ctx.sched.now, machine: id, type: 'deliver', frameId: d.frameId, text: d.summary, data: { ...d, machine: id, atNs: ctx.sched.now } }),
      drop: this.drop,
      owners: (inode) => this.kernel.ownersOf(inode),
      event: this.kernelEvent,
    };
  }

  /** Open a terminal: a tty and a shell on it (like opening a terminal window or an SSH session). */
  openTerminal(hooks: Omit<TtyHooks, 'interrupt'>): Terminal {
    const tty = new Tty(`/dev/pts/${this.nextPts++}`, { ...hooks, interrupt: (pid) => this.kernel.signal(pid, 'SIGINT') });
    const of = this.kernel.open(tty);
    const shell = this.kernel.spawn(['sh'], INIT_PID, [of, of, of]);
    if (isErr(shell)) throw new Error('the shell program is missing'); // a build error, not a user error
    return {
      tty,
      shell,
      input: (data) => tty.input(data),
      close: () => {
        tty.hangup();
        if (tty.foreground && tty.foreground !== shell.pid) this.kernel.signal(tty.foreground, 'SIGHUP');
        this.kernel.signal(shell.pid, 'SIGHUP');
      },
    };
  }

  private registerSyscalls(): void {
    const k = this.kernel;
    registerSocketSyscalls(
      k,
      (domain, type, protocol) => {
        if (domain === 'unix') return type === 'stream' ? new UnixStreamSock(this.nextInode++, this.unixNs) : new Errno('EOPNOTSUPP');
        if (type === 'raw') return new RawSocket(this.nextInode++, this.stack, protocol === 'tcp' ? IpProto.TCP : protocol === 'udp' ? IpProto.UDP : protocol === 'icmp' ? IpProto.ICMP : 0);
        if (type === 'dgram' && protocol === 'icmp') return new PingSocket(this.nextInode++, this.stack, this.icmp, () => this.rng.int(1, 0xffff));
        if (type === 'dgram' && protocol === 'udp') return this.udp.create();
        if (type === 'stream' && protocol === 'tcp') return this.tcp.create();
        return new Errno('EPROTONOSUPPORT');
      },
      (type) => (type === 'stream' ? UnixStreamSock.pair(this.nextInode++, this.nextInode++) : new Errno('EOPNOTSUPP')),
      () => this.sysctl.int('net.ipv4.ip_unprivileged_port_start'),
    );
    registerFsSyscalls(k, this.fs, this.users, (text) => this.kernelEvent('log', text));
    k.register('tcsetpgrp', (p, c) => {
      const of = fileOf(p, c.fd);
      if (isErr(of)) return of;
      if (!(of.file instanceof Tty)) return new Errno('ENOTTY');
      of.file.foreground = c.pid;
      return 0;
    });
    k.register('openpty', (p) => {
      const name = `/dev/pts/${this.nextPts++}`;
      const master = new PtyMaster(name, (pid, sig) => this.kernel.signal(pid, sig));
      const m = k.install(p, master);
      if (isErr(m)) return m;
      const s = k.install(p, master.slave);
      if (isErr(s)) {
        p.fds.close(m);
        return s;
      }
      return { master: m, slave: s, name };
    });
    k.register('tty_echo', (p, c) => {
      const of = fileOf(p, c.fd);
      if (isErr(of)) return of;
      if (!(of.file instanceof Tty)) return new Errno('ENOTTY');
      of.file.echoOn = c.on;
      return 0;
    });
    k.register('sysctl', (p, c) => {
      if (c.value === undefined) return this.sysctl.get(c.name) ?? new Errno('ENOENT');
      // /proc/sys files are 0644 root: only root writes kernel settings.
      if (p.euid !== 0) return this.sysctl.get(c.name) === undefined ? new Errno('ENOENT') : new Errno('EACCES');
      const err = this.sysctl.set(c.name, c.value);
      return err ? new Errno(err.errno) : this.sysctl.get(c.name)!;
    });
    k.register('netlink', (_p, c) => this.netlink(c.query));
    k.register('route_add', (p, c) => {
      if (p.euid !== 0) return new Errno('EPERM');
      const e = this.stack.addRoute(c.dst, c.prefix, c.gateway, c.dev);
      return e ? new Errno(e) : 0;
    });
    k.register('route_del', (p, c) => {
      if (p.euid !== 0) return new Errno('EPERM');
      return this.stack.routes.remove(c.dst, c.prefix) ? 0 : new Errno('ESRCH');
    });
  }

  /** All sockets the tables hold, open or not (TIME_WAIT, orphans, request socks). */
  sockets(): SocketRow[] {
    const rows: SocketRow[] = [];
    const seen = new Set<number>();
    const add = (r: Omit<SocketRow, 'owners'>) => {
      if (r.inode && seen.has(r.inode)) return;
      if (r.inode) seen.add(r.inode);
      rows.push({ ...r, owners: r.inode ? this.kernel.ownersOf(r.inode) : [] });
    };
    for (const r of this.tcp.rows()) add(r);
    for (const s of this.udp.socks) add(s.row());
    for (const p of this.kernel.procs.values()) {
      for (const [, of] of p.fds.entries()) if (of.file instanceof SocketFile) add(of.file.sock.row());
    }
    return rows;
  }

  processes(): ProcessRow[] {
    return [...this.kernel.procs.values()].map((p) => ({
      pid: p.pid,
      ppid: p.ppid,
      name: p.name,
      argv: p.argv,
      state: p.state,
      wchan: p.wchan,
      startedNs: p.startedAt,
      uid: p.euid,
      user: this.users.byUid(p.euid)?.name ?? String(p.euid),
      fds: p.fds.entries().map(([fd, of]) => ({
        fd,
        description: of.id,
        label: of.file.label,
        inode: of.file instanceof SocketFile ? of.file.sock.inode : undefined,
      })),
    }));
  }

  counters(): Record<string, number> {
    return Object.fromEntries([...this.stack.counters.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  inspect(): MachineState {
    return {
      machine: this.id,
      timeNs: this.ctx.sched.now,
      sockets: this.sockets(),
      processes: this.processes(),
      ephemeral: this.sysctl.range('net.ipv4.ip_local_port_range'),
      counters: this.counters(),
    };
  }

  private netlink(q: NetlinkQuery): unknown {
    switch (q) {
      case 'links':
        return this.stack.links();
      case 'addrs':
        return this.stack.addrs();
      case 'routes':
        return this.stack.routes.list();
      case 'neigh':
        return this.stack.neigh.list();
      case 'procs':
        return this.processes();
      case 'sockets':
        return this.sockets();
      case 'counters':
        return this.counters();
    }
  }
}
