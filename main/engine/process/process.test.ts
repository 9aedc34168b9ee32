import { describe, expect, it } from 'vitest';
import { Scheduler } from '../sim';
import { Errno, isErr } from './errno';
import { FD_LIMIT, FdTable, OpenFile, type FileObject } from './file';
import { INIT_PID, Kernel } from './kernel';
import { sys, type Program, type Sys } from './syscalls';
import { Tty } from './tty';
import { WaitQueue } from '../sim';

const dummy = (): FileObject => ({ kind: 'tty', label: 'x', waitq: new WaitQueue(), poll: () => 0, release() {} });

describe('FdTable', () => {
  it('installs at the lowest free fd and releases on the last close', () => {
    const t = new FdTable();
    let released = 0;
    const f: FileObject = { ...dummy(), release: () => released++ };
    const of = new OpenFile(f, 1);
    expect([t.install(of), t.install(of), t.install(of)]).toEqual([0, 1, 2]);
    t.close(1);
    expect(t.install(new OpenFile(dummy(), 2))).toBe(1);
    t.close(0);
    t.close(2);
    expect(released).toBe(1);
    expect(t.close(7)).toBe(false);
  });

  it('a full table returns null (EMFILE at the syscall)', () => {
    const t = new FdTable();
    for (let i = 0; i < FD_LIMIT; i++) t.install(new OpenFile(dummy(), 3));
    expect(t.install(new OpenFile(dummy(), 4))).toBeNull();
  });
});

describe('Tty line discipline', () => {
  it('echoes, edits with Backspace and Ctrl-U, and delivers whole lines', () => {
    let screen = '';
    const tty = new Tty('/dev/pts/0', { output: (s) => (screen += s), interrupt: () => {} });
    tty.input('pinx\x7fg 10\x15ls -l\r');
    expect(tty.read(100)).toBe('ls -l\n');
    expect(screen).toBe('pinx\b \bg 10' + '\b \b'.repeat(7) + 'ls -l\r\n'); // Ctrl-U erases "ping 10"
    tty.write('a\nb\n');
    expect(screen.endsWith('a\r\nb\r\n')).toBe(true);
  });

  it('Ctrl-C signals the foreground process and discards the line; Ctrl-D on an empty line is EOF', () => {
    const hits: number[] = [];
    const tty = new Tty('/dev/pts/0', { output: () => {}, interrupt: (pid) => hits.push(pid) });
    tty.foreground = 42;
    tty.input('half a line\x03');
    expect(hits).toEqual([42]);
    tty.input('\x04');
    expect(tty.read(10)).toBe('');
  });

  it('ignores arrow-key escape sequences', () => {
    let screen = '';
    const tty = new Tty('/dev/pts/0', { output: (s) => (screen += s), interrupt: () => {} });
    tty.input('a\x1b[Ab\x1bOD\r');
    expect(tty.read(10)).toBe('ab\n');
    expect(screen).toBe('ab\r\n');
  });
});

describe('Kernel', () => {
  function kernel(programs: Record<string, Program>) {
    const sched = new Scheduler();
    const events: string[] = [];
    const k = new Kernel(sched, 'h', (n) => programs[n], (e) => events.push(e.text));
    return { sched, k, events };
  }

  it('the owner index follows dup, fork and close: every (pid, fd) holding an inode, pids then fds in order', () => {
    const seen: { pid: number; name: string; fd: number }[][] = [];
    const sock: FileObject = { ...dummy(), inode: 4242 };
    const { sched, k } = kernel({});
    let fd = -1;
    const owner = k.startProgram(['owner'], function* (): Sys<number> {
      const copy = (yield* sys.dup(fd)) as number;
      seen.push(k.ownersOf(4242));
      const child = (yield* sys.fork(function* (): Sys<number> {
        yield* sys.nanosleep(10);
        return 0;
      })) as number;
      seen.push(k.ownersOf(4242));
      yield* sys.waitpid(child);
      yield* sys.close(copy);
      seen.push(k.ownersOf(4242));
      yield* sys.close(fd);
      seen.push(k.ownersOf(4242));
      return 0;
    });
    fd = k.install(owner, sock) as number;
    while (sched.step());
    const me = owner.pid;
    expect(seen).toEqual([
      [{ pid: me, name: 'owner', fd }, { pid: me, name: 'owner', fd: fd + 1 }],
      [{ pid: me, name: 'owner', fd }, { pid: me, name: 'owner', fd: fd + 1 }, { pid: me + 1, name: 'owner', fd }, { pid: me + 1, name: 'owner', fd: fd + 1 }],
      [{ pid: me, name: 'owner', fd }],
      [],
    ]);
  });

  it('spawn shares stdio, waitpid reaps the child with its status, pids count up from 100', () => {
    const log: unknown[] = [];
    function* child(): Sys<number> {
      yield* sys.nanosleep(5);
      return 3;
    }
    function* parent(): Sys<number> {
      const pid = yield* sys.spawn(['child']);
      log.push(pid);
      log.push(yield* sys.waitpid(pid as number));
      log.push(yield* sys.waitpid(pid as number));
      return 0;
    }
    const { sched, k } = kernel({ child, parent });
    const p = k.spawn(['parent'], INIT_PID, []);
    while (sched.step());
    expect(isErr(p) ? null : p.pid).toBe(100);
    expect(log[0]).toBe(101);
    expect(log[1]).toEqual({ pid: 101, status: 3 });
    expect((log[2] as Errno).name).toBe('ECHILD');
    expect([...k.procs.keys()]).toEqual([INIT_PID]);
  });

  it('a caught SIGINT interrupts a blocking syscall with EINTR; an uncaught one kills (status 130)', () => {
    const log: unknown[] = [];
    function* catcher(): Sys<number> {
      yield* sys.sigaction('SIGINT', 'catch');
      const r = yield* sys.nanosleep(1e9);
      log.push((r as Errno).name, yield* sys.sigtimedwait());
      return 0;
    }
    function* sleeper(): Sys<number> {
      yield* sys.nanosleep(1e9);
      log.push('not reached');
      return 0;
    }
    function* parent(): Sys<number> {
      const a = (yield* sys.spawn(['catcher'])) as number;
      const b = (yield* sys.spawn(['sleeper'])) as number;
      yield* sys.nanosleep(10);
      yield* sys.kill(a, 'SIGINT');
      yield* sys.kill(b, 'SIGINT');
      log.push(yield* sys.waitpid(a), yield* sys.waitpid(b));
      return 0;
    }
    const { sched, k } = kernel({ catcher, sleeper, parent });
    k.spawn(['parent'], INIT_PID, []);
    while (sched.step());
    expect(log).toEqual(['EINTR', 'SIGINT', { pid: 101, status: 0 }, { pid: 102, status: 130, signal: 'SIGINT' }]);
  });

  it('exit closes every fd; an unknown program is ENOENT; a crashing program is reported, not thrown', () => {
    let released = 0;
    const of = new OpenFile({ ...dummy(), release: () => released++ }, 9);
    function* crash(): Sys<number> {
      yield* sys.getpid();
      throw new Error('boom');
    }
    const { sched, k, events } = kernel({ crash });
    expect((k.spawn(['nope'], INIT_PID, []) as Errno).name).toBe('ENOENT');
    k.spawn(['crash'], INIT_PID, [of, of, of]);
    while (sched.step());
    expect(released).toBe(1);
    expect(events.some((e) => e.includes('crashed: boom'))).toBe(true);
  });

  it('poll times out with an empty list and wakes when a file becomes ready', () => {
    const q = new WaitQueue();
    let ready = false;
    const f: FileObject = { ...dummy(), waitq: q, poll: () => (ready ? 1 : 0) };
    const log: unknown[] = [];
    function* poller(): Sys<number> {
      log.push(yield* sys.poll([{ fd: 0, events: 1 }], 100), yield* sys.now());
      log.push(yield* sys.poll([{ fd: 0, events: 1 }], null), yield* sys.now());
      return 0;
    }
    const { sched, k } = kernel({ poller });
    k.spawn(['poller'], INIT_PID, [new OpenFile(f, 5)]);
    sched.runUntil(500);
    ready = true;
    q.wake();
    while (sched.step());
    expect(log).toEqual([[], 100, [{ fd: 0, revents: 1 }], 500]);
  });
});
