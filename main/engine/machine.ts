// A machine with an IP stack (host, server, router): NICs + lo, the IPv4 stack, ICMP, the process
// table, the socket syscalls it supports so far, and terminals (each a tty with a shell).
import type { ResolvedMachine } from '../../shared/lab/types';
import { IcmpType, IcmpUnreachCode } from '../../shared/wire';
import { Nic, type LinkContext } from './link';
import type { Medium } from './link';
import { Icmp } from './net/icmp';
import { NetStack } from './net/stack';
import { AGAIN, Block, Errno, INIT_PID, isErr, Kernel, OpenFile, Tty, type NetlinkQuery, type Process, type TtyHooks } from './process';
import { findProgram } from './programs';
import { Rng } from './sim';
import { PingSocket } from './socket/ping';

/** The loopback device: what is sent comes back in at once; tcpdump on lo sees each packet once. */
class Loopback implements Medium {
  readonly up = true;
  readonly mtu = 65536;
  constructor(private readonly ctx: LinkContext) {}
  send(from: Nic, frame: { bytes: Uint8Array; id: number }): void {
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

export class Machine {
  readonly nics: Nic[] = [];
  readonly stack: NetStack;
  readonly icmp: Icmp;
  readonly kernel: Kernel;
  private nextInode = 10_000;
  private nextPts = 0;
  private readonly rng: Rng;

  constructor(
    ctx: LinkContext,
    readonly spec: ResolvedMachine,
    seed: number,
  ) {
    const id = spec.id;
    this.rng = new Rng(seed, `machine:${id}`);
    const event = (text: string) => ctx.sink.kernel({ at: ctx.sched.now, machine: id, type: 'info', text });
    this.stack = new NetStack(id, ctx.sched, this.rng, {
      drop: (reason, frameId, text) => ctx.drop(id, reason, frameId, text),
      event: (text) => ctx.sink.kernel({ at: ctx.sched.now, machine: id, type: 'neigh', text }),
      hostUnreachable: (frame) => this.icmp.sendError(frame, IcmpType.DEST_UNREACH, IcmpUnreachCode.HOST),
    });
    this.icmp = new Icmp(this.stack, (reason, frameId, text) => ctx.drop(id, reason, frameId, text));
    const lo = new Nic(ctx, id, 'lo', 0);
    lo.medium = new Loopback(ctx);
    this.stack.addIface(lo, { loopback: true, addr: 0x7f000001, prefix: 8 });
    for (const n of spec.nics) {
      const nic = new Nic(ctx, id, n.name, n.mac);
      this.nics.push(nic);
      this.stack.addIface(nic, { loopback: false, addr: n.ip?.addr, prefix: n.ip?.prefix });
    }
    if (spec.gateway !== undefined && !this.stack.setDefaultGateway(spec.gateway)) {
      event(`default gateway is not on any connected subnet; no default route`);
    }
    this.kernel = new Kernel(ctx.sched, id, findProgram, (e) => ctx.sink.kernel({ ...e, at: ctx.sched.now, machine: id }));
    this.registerSyscalls();
  }

  get id(): string {
    return this.spec.id;
  }

  /** Open a terminal: a tty and a shell on it (like opening a terminal window or an SSH session). */
  openTerminal(hooks: Omit<TtyHooks, 'interrupt'>): Terminal {
    const tty = new Tty(`/dev/pts/${this.nextPts++}`, { ...hooks, interrupt: (pid) => this.kernel.signal(pid, 'SIGINT') });
    const of = new OpenFile(tty);
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
    k.register('socket', (p, c) => {
      if (c.type === 'dgram' && c.protocol === 'icmp') {
        const s = new PingSocket(this.nextInode++, this.stack, this.icmp, () => this.rng.int(1, 0xffff));
        const fd = p.fds.install(new OpenFile(s));
        return fd === null ? new Errno('EMFILE') : fd;
      }
      // TCP and UDP sockets arrive with the kernel issue (#3).
      return new Errno('EPROTONOSUPPORT');
    });
    const pingSocket = (p: Process, fd: number): PingSocket | Errno => {
      const of = p.fds.get(fd);
      if (!of) return new Errno('EBADF');
      return of.file instanceof PingSocket ? of.file : new Errno('ENOTSOCK');
    };
    k.register('sendto', (p, c) => {
      const s = pingSocket(p, c.fd);
      return isErr(s) ? s : s.sendto(c.data, c.addr);
    });
    k.register('recvfrom', (p, c) => {
      const s = pingSocket(p, c.fd);
      if (isErr(s)) return s;
      const v = s.recvfrom(c.max);
      if (v !== AGAIN) return v;
      return p.fds.get(c.fd)!.nonblock ? new Errno('EAGAIN') : new Block('recvfrom', [s.waitq], () => s.recvfrom(c.max));
    });
    k.register('tcsetpgrp', (p, c) => {
      const of = p.fds.get(c.fd);
      if (!of) return new Errno('EBADF');
      if (!(of.file instanceof Tty)) return new Errno('ENOTTY');
      of.file.foreground = c.pid;
      return 0;
    });
    k.register('netlink', (_p, c) => this.netlink(c.query));
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
        return [...this.kernel.procs.values()].map((p) => ({ pid: p.pid, ppid: p.ppid, argv: p.argv, state: p.state, wchan: p.wchan }));
    }
  }
}
