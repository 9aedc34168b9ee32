import { describe, expect, it } from 'vitest';
import type { ProcessRow } from '../../../shared/api/kernel-view';
import { Errno } from '../process';
import { columns, ls } from './ls';
import { run } from './testing';

const tty = [0, 1, 2].map((fd) => ({ fd, description: 1, label: '/dev/pts/0' }));
const procs: ProcessRow[] = [
  { pid: 1, ppid: 0, name: 'init', argv: ['init'], state: 'S', wchan: '', startedNs: 0, uid: 0, user: 'root', fds: [] },
  { pid: 100, ppid: 1, name: 'sh', argv: ['sh'], state: 'S', wchan: 'wait', startedNs: 0, uid: 0, user: 'root', fds: tty },
  { pid: 1502, ppid: 100, name: 'python3', argv: ['python3'], state: 'S', wchan: 'accept', startedNs: 3723e9, uid: 0, user: 'root', fds: [...tty, { fd: 3, description: 7, label: 'socket:[10001]', inode: 10001 }] },
  { pid: 1600, ppid: 100, name: 'ls', argv: ['ls'], state: 'R', wchan: '', startedNs: 0, uid: 0, user: 'root', fds: tty },
];
const lsOut = (...args: string[]) => run(ls, ['ls', ...args], { pid: 1600, handlers: { netlink: () => procs, stat: () => new Errno('ENOENT') } });

describe('ls', () => {
  it('ls -l /proc/<pid>/fd: symlinks to the tty and to socket:[inode] (quoted, as ls does on a terminal)', () => {
    expect(lsOut('-l', '/proc/1502/fd').stdout).toBe(
      'total 0\n' +
        'lrwx------ 1 root root 64 Jan  1 01:02 0 -> /dev/pts/0\n' +
        'lrwx------ 1 root root 64 Jan  1 01:02 1 -> /dev/pts/0\n' +
        'lrwx------ 1 root root 64 Jan  1 01:02 2 -> /dev/pts/0\n' +
        "lrwx------ 1 root root 64 Jan  1 01:02 3 -> 'socket:[10001]'\n",
    );
    expect(lsOut('-lN', '/proc/1502/fd').stdout).toContain('3 -> socket:[10001]\n');
    expect(lsOut('/proc/self/fd').stdout).toBe('0  1  2\n');
  });

  it('ls /proc: process directories and net, self, sys, in columns', () => {
    expect(lsOut('/proc').stdout).toBe('1  100  1502  1600  net  self  sys\n');
    expect(lsOut('-l', '/proc').stdout).toContain('lrwxrwxrwx 1 root root 0 Jan  1 00:00 self -> 1600\n');
  });

  it('columns fill top to bottom within 80 characters', () => {
    const names = Array.from({ length: 30 }, (_, i) => `name${i}`.padEnd(8, 'x'));
    const out = columns(names);
    expect(out.split('\n').every((l) => l.length < 80)).toBe(true);
    expect(out.split('\n')[0]!.startsWith('name0xxx  name')).toBe(true);
  });

  it('errors: missing files (status 2), several directories get headers', () => {
    const r = lsOut('/nonexistent');
    expect([r.status, r.stderr]).toEqual([2, "ls: cannot access '/nonexistent': No such file or directory\n"]);
    expect(lsOut('/proc/100/fd', '/proc/1/fd').stdout).toBe('/proc/100/fd:\n0  1  2\n\n/proc/1/fd:\n');
    expect(lsOut('-Z').stderr).toBe("ls: invalid option -- 'Z'\nTry 'ls --help' for more information.\n");
  });
});
