// The process table and syscall dispatcher of one machine. Syscalls are looked up in a table that
// lower layers fill (sockets register socket/sendto/recvfrom...), so this file knows no protocol.
import { describeSyscall, SENDING_SYSCALLS } from './syscall-cause';
import type { KernelEvent } from '../../../shared/trace';
import { WaitQueue, type Scheduler, type Timer, type Waiter } from '../sim';
import { Errno, isErr } from './errno';
import { AGAIN, FD_HARD_LIMIT, NullFile, OpenFile, POLLERR, POLLHUP, POLLIN, type FileObject } from './file';
import { Process, type FdObserver, type Parked } from './process';
import { Tty } from './tty';
import { SIGNO, type Program, type Signal, type Syscall, type SyscallOp } from './syscalls';

/** A syscall that cannot complete now: park on `queues`, retry when woken. */
export class Block {
  constructor(
    readonly wchan: string,
    readonly queues: WaitQueue[],
    readonly retry: () => unknown,
    readonly timeoutAt: number | null = null,
    readonly onTimeout: () => unknown = () => 0,
  ) {}
}

interface SleeperHost {
  /** Wake p from its sleep and run it again with the syscall's result. */
  resume(p: Process, value: unknown): void;
  cancel(t: Timer | null): void;
}

/** A process asleep in a syscall: its wait queues or its timeout wake it (the kernel's Parked). */
class Sleeper implements Waiter, Parked {
  timer: Timer | null = null;

  constructor(
    private readonly p: Process,
    private readonly b: Block,
    private readonly host: SleeperHost,
  ) {}

  get wchan(): string {
    return this.b.wchan;
  }

  /** A queue changed: retry the syscall; it still cannot complete -> sleep on. */
  wake(): void {
    const v = this.b.retry();
    if (v === AGAIN) return;
    this.host.resume(this.p, v);
  }

  timedOut(): void {
    this.host.resume(this.p, this.b.onTimeout());
  }

  cancel(): void {
    for (const q of this.b.queues) q.remove(this);
    this.host.cancel(this.timer);
  }
}

/** The open-file description behind fd, or EBADF. */
export function fileOf(p: Process, fd: number): OpenFile | Errno {
  return p.fds.get(fd) ?? new Errno('EBADF');
}

/**
 * Run a file operation that may block: AGAIN becomes EAGAIN for an O_NONBLOCK description, else a sleep on
 * the file's wait queue that retries `attempt` when woken (sockets and ttys alike).
 */
export function blockingIo(of: OpenFile, wchan: string, attempt: () => unknown): unknown {
  const v = attempt();
  if (v !== AGAIN) return v;
  if (of.nonblock) return new Errno('EAGAIN');
  return new Block(wchan, [of.file.waitq], attempt);
}

export type SyscallHandler<K extends SyscallOp = SyscallOp> = (p: Process, call: Extract<Syscall, { op: K }>) => unknown;

/** Guard against a program that never blocks (an engine bug, not a user error). */
const MAX_SYSCALLS_PER_SLICE = 1_000_000;
export const INIT_PID = 1;
const FIRST_USER_PID = 100;
/** fds stay below RLIMIT_NOFILE's hard cap (fs.nr_open), so pid * FD_SPAN + fd packs an owner exactly. */
const FD_SPAN = FD_HARD_LIMIT;

function copyCreds(from: Process, to: Process): void {
  to.uid = from.uid;
  to.euid = from.euid;
  to.gid = from.gid;
  to.cwd = from.cwd;
}

interface SendingCause {
  p: Process;
  call: Syscall;
  linked: boolean;
}

export class Kernel {
  readonly procs = new Map<number, Process>();
  /**
   * Who holds each open file with an inode (sockets): inode -> pid -> fds, kept up to date by every fd table (so a
   * delivery record can name a socket's owners without scanning 100,000 fds).
   */
  private readonly holders = new Map<number, number | number[]>();
  private readonly observe: FdObserver = (fd, of, added, p) => {
    const inode = of.file.inode;
    if (inode === undefined) return;
    // Each holder is packed as pid * FD_SPAN + fd, so sorting the numbers sorts by pid, then fd. One holder (the
    // common case) is stored bare: 100,000 sockets must not cost a Map and an array each.
    const packed = p.pid * FD_SPAN + fd;
    const cur = this.holders.get(inode);
    if (added) {
      if (cur === undefined) this.holders.set(inode, packed);
      else if (typeof cur === 'number') this.holders.set(inode, [cur, packed]);
      else cur.push(packed);
      return;
    }
    if (cur === packed) this.holders.delete(inode);
    else if (Array.isArray(cur)) {
      const i = cur.indexOf(packed);
      if (i >= 0) cur.splice(i, 1);
      if (cur.length === 1) this.holders.set(inode, cur[0]!);
    }
  };

  /** (process, fd) pairs holding the file with this inode, pids in order. */
  ownersOf(inode: number): { pid: number; name: string; fd: number }[] {
    const cur = this.holders.get(inode);
    if (cur === undefined) return [];
    const all = typeof cur === 'number' ? [cur] : [...cur].sort((a, b) => a - b);
    return all.map((v) => {
      const pid = Math.floor(v / FD_SPAN);
      return { pid, name: this.procs.get(pid)?.name ?? '?', fd: v % FD_SPAN };
    });
  }
  private nextPid = FIRST_USER_PID;
  private nextDescription = 1;
  private readonly handlers = new Map<SyscallOp, SyscallHandler>();
  /** The sending syscall running now, if any (frameSent links its first frame). */
  private sending: SendingCause | null = null;

  constructor(
    private readonly sched: Scheduler,
    readonly hostname: string,
    private readonly programs: (name: string) => Program | undefined,
    /** Record a kernel event for this machine (socket syscalls use it too). */
    readonly emit: (e: Omit<KernelEvent, 'at' | 'machine'>) => void,
    /** Programs installed set-uid root (su). */
    private readonly setuidRoot: (name: string) => boolean = () => false,
  ) {
    this.procs.set(INIT_PID, new Process(INIT_PID, 0, ['init'], null, 0, this.observe));
    this.procs.get(INIT_PID)!.state = 'S';
    this.registerCore();
  }

  /** A new open-file description for `file` (not yet in any fd table). */
  open(file: FileObject): OpenFile {
    return new OpenFile(file, this.nextDescription++);
  }

  /** Install a new description at the lowest free fd of p; EMFILE when the table is full. */
  install(p: Process, file: FileObject): number | Errno {
    const fd = p.fds.install(this.open(file));
    if (fd === null) {
      file.release();
      return new Errno('EMFILE');
    }
    return fd;
  }

  register<K extends SyscallOp>(op: K, h: SyscallHandler<K>): void {
    this.handlers.set(op, h as unknown as SyscallHandler);
  }

  /**
   * Start a program as a child of `ppid`, sharing the given stdio descriptions as fds 0, 1, 2; it
   * runs with the credentials and working directory of `like` (its parent for a shell command).
   */
  spawn(argv: string[], ppid: number, stdio?: OpenFile[], like?: Process): Process | Errno {
    const prog = argv[0] !== undefined ? this.programs(argv[0]) : undefined;
    if (!prog) return new Errno('ENOENT');
    return this.startProgram(argv, prog, ppid, stdio, like);
  }

  /**
   * Start a given program (a daemon the lab starts, or a test's own program) as a child of ppid.
   * Without stdio it gets /dev/null on fds 0, 1 and 2, like a daemon.
   */
  startProgram(argv: string[], program: Program, ppid = INIT_PID, stdio?: OpenFile[], like?: Process): Process {
    if (!stdio) {
      const devnull = this.open(new NullFile(new WaitQueue()));
      stdio = [devnull, devnull, devnull];
    }
    const p = new Process(this.nextPid++, ppid, argv, program(argv), this.sched.now, this.observe);
    if (like) copyCreds(like, p);
    if (this.setuidRoot(p.name)) p.euid = 0; // the set-uid bit: runs as root, knows who called it
    stdio.forEach((of, fd) => p.fds.installAt(fd, of));
    return this.start(p, `started: ${argv.join(' ')}`);
  }

  /** fork(): the child shares every open-file description of the parent (refcounts go up). */
  private fork(parent: Process, child: Process['gen']): Process {
    const p = new Process(this.nextPid++, parent.pid, parent.argv, child, this.sched.now, this.observe, parent.name);
    copyCreds(parent, p);
    p.noCldWait = parent.noCldWait;
    for (const [fd, of] of parent.fds.entries()) p.fds.installAt(fd, of);
    for (const sig of parent.caught) p.caught.add(sig);
    return this.start(p, `forked from pid ${parent.pid}`);
  }

  private start(p: Process, what: string): Process {
    this.procs.set(p.pid, p);
    this.emit({ type: 'process', text: `pid ${p.pid} (${p.name}) ${what}` });
    this.schedule(p, undefined);
    return p;
  }

  /** Deliver a signal (Linux send_sig): caught -> pending + interrupt a sleep; else the default action. */
  signal(pid: number, sig: Signal): boolean {
    const p = this.procs.get(pid);
    if (!p || p.state === 'Z' || pid === INIT_PID) return false;
    if (sig !== 'SIGKILL' && p.caught.has(sig)) {
      p.pending.add(sig);
      if (p.park) this.resume(p, new Errno('EINTR'));
      return true;
    }
    this.terminate(p, { pid, status: 128 + SIGNO[sig], signal: sig });
    return true;
  }

  private schedule(p: Process, value: unknown): void {
    p.state = 'R';
    p.resumeTimer = this.sched.after(0, () => {
      p.resumeTimer = null;
      this.run(p, value);
    });
  }

  private run(p: Process, value: unknown): void {
    if (p.state === 'Z' || !p.gen) return;
    let input = value;
    for (let n = 0; n < MAX_SYSCALLS_PER_SLICE; n++) {
      let r: IteratorResult<Syscall, number>;
      try {
        r = p.gen.next(input);
      } catch (e) {
        this.emit({ type: 'process', text: `pid ${p.pid} (${p.name}) crashed: ${(e as Error).message}` });
        this.terminate(p, { pid: p.pid, status: 139 });
        return;
      }
      if (r.done) {
        this.terminate(p, { pid: p.pid, status: r.value & 255 });
        return;
      }
      const out = this.dispatch(p, r.value);
      if ((p.state as string) === 'Z') return; // exit() or a fatal signal
      if (out instanceof Block) {
        this.park(p, out);
        return;
      }
      input = out;
    }
    this.emit({ type: 'process', text: `pid ${p.pid} (${p.name}) killed: ran ${MAX_SYSCALLS_PER_SLICE} syscalls without blocking` });
    this.terminate(p, { pid: p.pid, status: 137, signal: 'SIGKILL' });
  }

  private dispatch(p: Process, call: Syscall): unknown {
    const h = this.handlers.get(call.op);
    if (!h) {
      this.emit({ type: 'syscall', text: `pid ${p.pid} (${p.name}) called unknown syscall ${String(call.op)}: EINVAL` });
      return new Errno('EINVAL');
    }
    if (!SENDING_SYSCALLS.has(call.op)) return h(p, call);
    const outer = this.sending;
    this.sending = { p, call, linked: false };
    try {
      return h(p, call);
    } finally {
      this.sending = outer;
    }
  }

  /** The sending syscall running now that has not sent a frame yet (kept by a packet waiting for ARP). */
  sendingCause(): SendingCause | null {
    return this.sending && !this.sending.linked ? this.sending : null;
  }

  /** Run `send` as the given syscall (a packet it sent that waited for ARP leaves now). */
  withCause(cause: unknown, send: () => void): void {
    const outer = this.sending;
    this.sending = (cause as SendingCause | null) ?? null;
    try {
      send();
    } finally {
      this.sending = outer;
    }
  }

  /**
   * The machine put a new IPv4 frame on the wire (its NIC's first capture): when a sending syscall
   * is running and has not sent one yet, say that this frame is what it sent (syscall-cause.ts).
   */
  frameSent(frameId: number): void {
    const s = this.sending;
    if (!s || s.linked) return;
    s.linked = true;
    const call = describeSyscall(s.call);
    this.emit({ type: 'syscall', frameId, text: `${call} by ${s.p.name} (pid ${s.p.pid}) sent this frame`, data: { pid: s.p.pid, process: s.p.name, call, op: s.call.op } });
  }

  private park(p: Process, b: Block): void {
    // A caught signal already pending interrupts the sleep at once (signal_pending -> -EINTR).
    if (p.pending.size > 0) {
      this.schedule(p, new Errno('EINTR'));
      return;
    }
    const s = new Sleeper(p, b, this.wakeUp);
    for (const q of b.queues) q.add(s);
    if (b.timeoutAt !== null) s.timer = this.sched.at(Math.max(b.timeoutAt, this.sched.now), () => s.timedOut());
    p.state = 'S';
    p.park = s;
  }

  /** What a Sleeper calls back: made once per kernel, not per sleep. */
  private readonly wakeUp: SleeperHost = {
    resume: (p, value) => this.resume(p, value),
    cancel: (t) => this.sched.cancel(t),
  };

  private resume(p: Process, value: unknown): void {
    this.unpark(p);
    this.schedule(p, value);
  }

  private unpark(p: Process): void {
    p.park?.cancel();
    p.park = null;
  }

  /** exit: close every fd (the last close of a socket is what sends FIN), become a zombie for waitpid. */
  private terminate(p: Process, status: { pid: number; status: number; signal?: Signal }): void {
    if (p.state === 'Z') return;
    this.unpark(p);
    this.sched.cancel(p.resumeTimer);
    p.resumeTimer = null;
    p.state = 'Z';
    p.exit = status;
    p.fds.closeAll();
    this.emit({ type: 'process', text: `pid ${p.pid} (${p.name}) exited with status ${status.status}${status.signal ? ` (${status.signal})` : ''}` });
    for (const c of this.procs.values()) {
      if (c.ppid !== p.pid) continue;
      c.ppid = INIT_PID;
      if (c.state === 'Z') this.procs.delete(c.pid); // init reaps orphans at once
    }
    const parent = this.procs.get(p.ppid);
    if (!parent || parent.pid === INIT_PID || parent.noCldWait) this.procs.delete(p.pid);
    if (parent && parent.pid !== INIT_PID) parent.childq.wake();
  }

  /** Kill every process (machine reset or removal). */
  killAll(): void {
    for (const p of [...this.procs.values()]) if (p.pid !== INIT_PID) this.terminate(p, { pid: p.pid, status: 137, signal: 'SIGKILL' });
  }

  private registerCore(): void {
    const file = fileOf;
    this.register('write', (p, c) => {
      const of = file(p, c.fd);
      if (isErr(of)) return of;
      const f = of.file;
      if (!f.write) return new Errno('EINVAL');
      return blockingIo(of, 'write', () => f.write!(c.data));
    });
    this.register('read', (p, c) => {
      const of = file(p, c.fd);
      if (isErr(of)) return of;
      const f = of.file;
      if (!f.read) return new Errno('EINVAL');
      return blockingIo(of, 'read', () => f.read!(c.max));
    });
    this.register('close', (p, c) => (p.fds.close(c.fd) ? 0 : new Errno('EBADF')));
    this.register('poll', (p, c) => {
      const files: OpenFile[] = [];
      for (const { fd } of c.fds) {
        const of = p.fds.get(fd);
        if (of) files.push(of);
      }
      const check = (): unknown => {
        const ready = c.fds
          .map(({ fd, events }) => {
            const of = p.fds.get(fd);
            const revents = of ? of.file.poll() & (events | POLLERR | POLLHUP) : 0x020; // POLLNVAL
            return { fd, revents };
          })
          .filter((r) => r.revents !== 0);
        return ready.length ? ready : AGAIN;
      };
      const v = check();
      if (v !== AGAIN || c.timeoutNs === 0) return v === AGAIN ? [] : v;
      for (const { fd, events } of c.fds) {
        const f = p.fds.get(fd)?.file;
        if (events & POLLIN && f instanceof Tty) f.pollWaiting();
      }
      const at = c.timeoutNs === null ? null : this.sched.now + c.timeoutNs;
      return new Block('poll', files.map((f) => f.file.waitq), check, at, () => []);
    });
    this.register('nanosleep', (_p, c) => new Block('nanosleep', [], () => AGAIN, this.sched.now + Math.max(0, c.ns), () => 0));
    this.register('clock_gettime', () => this.sched.now);
    this.register('getpid', (p) => p.pid);
    this.register('closefrom', (p, c) => {
      p.fds.closeAll(Math.max(0, c.fd));
      return 0;
    });
    this.register('sigchld_ignore', (p, c) => {
      p.noCldWait = c.on;
      return 0;
    });
    this.register('setproctitle', (p, c) => {
      p.argv = c.title.split(' ');
      return 0;
    });
    this.register('gethostname', () => this.hostname);
    this.register('spawn', (p, c) => {
      const stdio = [0, 1, 2].map((fd) => p.fds.get(fd)).filter((of): of is OpenFile => !!of);
      const child = this.spawn(c.argv, p.pid, stdio, p);
      return isErr(child) ? child : child.pid;
    });
    // start-stop-daemon --background: the program runs as a child of init with /dev/null for stdio.
    this.register('spawn_daemon', (p, c) => {
      const child = this.spawn(c.argv, INIT_PID, undefined, p);
      return isErr(child) ? child : child.pid;
    });
    this.register('waitpid', (p, c) => {
      const child = this.procs.get(c.pid);
      if (!child || child.ppid !== p.pid) return new Errno('ECHILD');
      const reap = (): unknown => {
        if (child.state !== 'Z') return AGAIN;
        this.procs.delete(child.pid);
        return child.exit;
      };
      const v = reap();
      if (v !== AGAIN) return v;
      return c.nohang ? null : new Block('wait', [p.childq], reap);
    });
    this.register('kill', (p, c) => {
      // kill_ok_by_cred: root, or a sender whose real or effective uid is the target's.
      const target = this.procs.get(c.pid);
      if (target && target.state !== 'Z' && p.euid !== 0 && p.uid !== target.uid && p.euid !== target.uid) return new Errno('EPERM');
      return this.signal(c.pid, c.sig) ? 0 : new Errno('ESRCH');
    });
    this.register('sigaction', (p, c) => {
      if (c.action === 'catch') p.caught.add(c.sig);
      else p.caught.delete(c.sig);
      return 0;
    });
    this.register('sigtimedwait', (p) => {
      const [sig] = p.pending;
      if (!sig) return new Errno('EAGAIN');
      p.pending.delete(sig);
      return sig;
    });
    this.register('fork', (p, c) => this.fork(p, c.child()).pid);
    this.register('dup', (p, c) => {
      const of = file(p, c.fd);
      if (isErr(of)) return of;
      return p.fds.install(of) ?? new Errno('EMFILE');
    });
    this.register('dup2', (p, c) => {
      const of = file(p, c.fd);
      if (isErr(of)) return of;
      if (c.to < 0 || c.to >= p.fds.limit) return new Errno('EBADF');
      if (c.to !== c.fd) p.fds.installAt(c.to, of);
      return c.to;
    });
    this.register('fcntl_nonblock', (p, c) => {
      const of = file(p, c.fd);
      if (isErr(of)) return of;
      of.nonblock = c.on;
      return 0;
    });
    this.register('setrlimit_nofile', (p, c) => {
      if (!Number.isInteger(c.soft) || c.soft < 0 || c.soft > FD_HARD_LIMIT) return new Errno('EINVAL');
      p.fds.limit = c.soft;
      return 0;
    });
    this.register('exit', (p, c) => {
      this.terminate(p, { pid: p.pid, status: c.code & 255 });
      return undefined;
    });
  }
}
