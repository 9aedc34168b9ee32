// A tiny fake kernel for testing programs without the real one: run a Program generator, answer
// each syscall from a handler table, collect stdout/stderr and the calls made. Test-only helper
// (imported by *.test.ts files), kept in the engine folder so it compiles against the same types.
//
// Defaults: write to fd 1/2 is captured; read(0) returns the scripted stdin lines, then '' (EOF);
// getpid, getcwd ('/'), gethostname, clock_gettime, nanosleep (advances the fake clock), sigaction,
// sigtimedwait (EAGAIN), exit, fork (a second process in the same fake) and waitpid are built in.
// Any other syscall must have a handler, or the run throws (a test should say what the kernel does).
// Processes run round-robin: one runs until a handler returns BLOCK (the call is retried when the
// process next runs), so tests can interleave forked processes deterministically.
import type { SocketRow } from '../../../shared/api/kernel-view';
import { Errno, type ErrnoName } from '../process/errno';
import type { Program, Sys, Syscall, SyscallOp } from '../process/syscalls';
import { decodeUtf8 } from '../process/utf8';

export interface FakeProc {
  pid: number;
  ppid: number;
  gen: Sys<number>;
  status: number | null;
  /** The syscall it is blocked in (retried when it runs again). */
  blocked: Syscall | null;
  /** The value to resume it with. */
  input: unknown;
}

/** A handler returns BLOCK when the call cannot complete yet: the process yields to the others and
 * the same call is made again when it next runs (round-robin), like a sleep on a wait queue. */
export const BLOCK = Symbol('block');

export type Handler<K extends SyscallOp = SyscallOp> = (call: Extract<Syscall, { op: K }>, proc: FakeProc, k: FakeKernel) => unknown;
export type Handlers = { [K in SyscallOp]?: Handler<K> };

export interface FakeOptions {
  pid?: number;
  hostname?: string;
  /** Lines (or chunks) read(0) returns in order; then end of file. */
  stdin?: string[];
  /** Virtual clock at start (ns). */
  now?: number;
  handlers?: Handlers;
  /** After fork: the parent goes on first (default) or the child runs first. */
  forkOrder?: 'parent' | 'child';
  /** Stop a runaway program (a test bug) after this many syscalls. */
  maxCalls?: number;
}

export interface Call {
  pid: number;
  call: Syscall;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as a terminal would show them. */
  output: string;
  status: number;
  calls: Call[];
  /** Exit status of every process that ran (the program and its forked children). */
  exits: Map<number, number>;
}

export class FakeKernel {
  now: number;
  stdout = '';
  stderr = '';
  output = '';
  readonly calls: Call[] = [];
  readonly exits = new Map<number, number>();
  readonly procs = new Map<number, FakeProc>();
  private readonly stdin: string[];
  private readonly handlers: Handlers;
  private nextPid: number;
  private readonly queue: FakeProc[] = [];
  private count = 0;

  constructor(private readonly opts: FakeOptions) {
    this.now = opts.now ?? 0;
    this.stdin = [...(opts.stdin ?? [])];
    this.handlers = opts.handlers ?? {};
    this.nextPid = (opts.pid ?? 100) + 1;
  }

  /** Run `gen` as process `pid`, and every process it forks, until all have exited. */
  run(gen: Sys<number>, pid: number, ppid = 1): number {
    const main: FakeProc = { pid, ppid, gen, status: null, blocked: null, input: undefined };
    this.procs.set(pid, main);
    this.queue.push(main);
    let idle = 0;
    while (this.queue.length) {
      const p = this.queue.shift()!;
      const progressed = this.slice(p);
      if (p.status === null) this.queue.push(p);
      idle = progressed ? 0 : idle + 1;
      if (idle > this.queue.length + 1) throw new Error(`fake kernel: every process is blocked (${this.queue.map((q) => `${q.pid}: ${q.blocked?.op}`).join(', ')})`);
    }
    return main.status ?? 0;
  }

  /** Run p until it blocks, yields after fork, or exits. True if it got anywhere. */
  private slice(p: FakeProc): boolean {
    let progressed = false;
    for (;;) {
      let call: Syscall;
      if (p.blocked) call = p.blocked;
      else {
        const r = p.gen.next(p.input);
        if (r.done) {
          this.finish(p, r.value);
          return true;
        }
        if (++this.count > (this.opts.maxCalls ?? 100_000)) throw new Error('fake kernel: too many syscalls (program loops?)');
        call = r.value;
        this.calls.push({ pid: p.pid, call });
        if (call.op === 'exit') {
          this.finish(p, call.code & 255);
          return true;
        }
      }
      const v = this.dispatch(call, p);
      if (v === BLOCK) {
        p.blocked = call;
        return progressed;
      }
      progressed = true;
      p.blocked = null;
      p.input = v;
      if (call.op === 'fork' && this.opts.forkOrder === 'child') return true;
    }
  }

  private finish(p: FakeProc, code: number): void {
    p.status = code;
    this.exits.set(p.pid, code);
  }

  private dispatch(c: Syscall, p: FakeProc): unknown {
    const h = this.handlers[c.op] as Handler | undefined;
    if (h) return h(c as never, p, this);
    switch (c.op) {
      case 'write': {
        const text = typeof c.data === 'string' ? c.data : decodeUtf8(c.data);
        if (c.fd === 1) this.stdout += text;
        else if (c.fd === 2) this.stderr += text;
        else throw new Error(`fake kernel: write to fd ${c.fd} needs a handler`);
        this.output += text;
        return typeof c.data === 'string' ? text.length : c.data.length;
      }
      case 'read':
        if (c.fd !== 0) throw new Error(`fake kernel: read from fd ${c.fd} needs a handler`);
        return this.stdin.shift() ?? '';
      case 'getpid':
        return p.pid;
      case 'getcwd':
        return '/';
      case 'gethostname':
        return this.opts.hostname ?? 'lab';
      case 'clock_gettime':
        return this.now;
      case 'nanosleep':
        this.now += c.ns;
        return 0;
      case 'sigaction':
        return 0;
      case 'sigtimedwait':
        return new Errno('EAGAIN');
      case 'fork': {
        const child: FakeProc = { pid: this.nextPid++, ppid: p.pid, gen: c.child(), status: null, blocked: null, input: undefined };
        this.procs.set(child.pid, child);
        if (this.opts.forkOrder === 'child') this.queue.unshift(child);
        else this.queue.push(child);
        return child.pid;
      }
      case 'waitpid': {
        const child = this.procs.get(c.pid);
        if (!child || child.ppid !== p.pid) return new Errno('ECHILD');
        if (child.status === null) return c.nohang ? null : BLOCK;
        return { pid: child.pid, status: child.status };
      }
      default:
        throw new Error(`fake kernel: no handler for syscall '${c.op}'`);
    }
  }

  /** Is there scripted terminal input left (for handlers that implement poll over stdin)? */
  stdinPending(): boolean {
    return this.stdin.length > 0;
  }
}

/** Run `program argv` in a fresh fake kernel. */
export function run(program: Program, argv: string[], opts: FakeOptions = {}): RunResult {
  const k = new FakeKernel(opts);
  const status = k.run(program(argv), opts.pid ?? 100);
  return { stdout: k.stdout, stderr: k.stderr, output: k.output, status, calls: k.calls, exits: k.exits };
}

/** The syscalls of a run, by op, for assertions like `expect(ops(r)).not.toContain('socket')`. */
export function ops(r: RunResult): SyscallOp[] {
  return r.calls.map((c) => c.call.op);
}

export const err = (name: ErrnoName) => new Errno(name);

/** 10.0.0.2 -> u32 without pulling the wire module into every test. */
export function ip(s: string): number {
  return s.split('.').reduce((a, b) => a * 256 + Number(b), 0);
}

/** A SocketRow with defaults (a TCP socket owned by nobody); override what matters. */
export function sockRow(r: Partial<SocketRow> & Pick<SocketRow, 'state'>): SocketRow {
  return {
    inode: 0,
    kind: 'socket',
    proto: 'tcp',
    localAddr: 0,
    localPort: 0,
    peerAddr: 0,
    peerPort: 0,
    recvQ: 0,
    sendQ: 0,
    owners: [],
    ...r,
  };
}
