import { describe, expect, it } from 'vitest';
import type { ProcessRow } from '../../../shared/api/kernel-view';
import { ps } from './ps';
import { run } from './testing';

const tty = [0, 1, 2].map((fd) => ({ fd, description: 1, label: '/dev/pts/0' }));
const procs: ProcessRow[] = [
  { pid: 1, ppid: 0, name: 'init', argv: ['init'], state: 'S', wchan: 'wait', startedNs: 0, uid: 0, user: 'root', fds: [] },
  { pid: 100, ppid: 1, name: 'sh', argv: ['sh'], state: 'S', wchan: 'wait', startedNs: 0, uid: 0, user: 'root', fds: tty },
  { pid: 101, ppid: 100, name: 'sock', argv: ['sock', 'socket tcp; listen 1'], state: 'S', wchan: 'accept', startedNs: 65e9, uid: 0, user: 'root', fds: [...tty, { fd: 3, description: 5, label: 'socket:[10001]', inode: 10001 }] },
  { pid: 102, ppid: 101, name: 'sock', argv: ['sock', 'socket tcp; listen 1'], state: 'S', wchan: 'recv', startedNs: 66e9, uid: 0, user: 'root', fds: tty },
  { pid: 103, ppid: 100, name: 'ps', argv: ['ps'], state: 'R', wchan: '', startedNs: 130e9, uid: 0, user: 'root', fds: tty },
  { pid: 104, ppid: 100, name: 'nc', argv: ['nc', '10.0.0.2', '5000'], state: 'Z', wchan: '', startedNs: 125e9, uid: 0, user: 'root', fds: [] },
  { pid: 200, ppid: 1, name: 'sshd', argv: ['/usr/sbin/sshd', '-D'], state: 'S', wchan: 'accept', startedNs: 0, uid: 0, user: 'root', fds: [{ fd: 0, description: 9, label: '/dev/null' }] },
];

const psOut = (...args: string[]) => run(ps, ['ps', ...args], { pid: 103, now: 200e9, handlers: { netlink: () => procs.map((p) => ({ ...p, fds: [...p.fds] })) } });

describe('ps (procps-ng layout)', () => {
  it('default: the processes on my terminal, PID TTY TIME CMD (a zombie keeps its terminal)', () => {
    expect(psOut().stdout).toBe(
      '    PID TTY          TIME CMD\n' +
        '    100 pts/0    00:00:00 sh\n' +
        '    101 pts/0    00:00:00 sock\n' +
        '    102 pts/0    00:00:00 sock\n' +
        '    103 pts/0    00:00:00 ps\n' +
        '    104 pts/0    00:00:00 nc <defunct>\n',
    );
  });

  it('-ef: UID PID PPID C STIME TTY TIME CMD with full command lines', () => {
    expect(psOut('-ef').stdout).toBe(
      'UID          PID    PPID  C STIME TTY          TIME CMD\n' +
        'root           1       0  0 00:00 ?        00:00:00 init\n' +
        'root         100       1  0 00:00 pts/0    00:00:00 sh\n' +
        'root         101     100  0 00:01 pts/0    00:00:00 sock socket tcp; listen 1\n' +
        'root         102     101  0 00:01 pts/0    00:00:00 sock socket tcp; listen 1\n' +
        'root         103     100  0 00:02 pts/0    00:00:00 ps\n' +
        'root         104     100  0 00:02 pts/0    00:00:00 [nc] <defunct>\n' +
        'root         200       1  0 00:00 ?        00:00:00 /usr/sbin/sshd -D\n',
    );
  });

  it('-l: F S UID ... WCHAN, with the kernel function names cut to 6 and "ADDR SZ" borrowing padding', () => {
    expect(psOut('-l').stdout).toBe(
      'F S   UID     PID    PPID  C PRI  NI ADDR SZ WCHAN  TTY          TIME CMD\n' +
        '4 S     0     100       1  0  80   0 -     0 do_wai pts/0    00:00:00 sh\n' +
        '4 S     0     101     100  0  80   0 -     0 inet_c pts/0    00:00:00 sock\n' +
        '5 S     0     102     101  0  80   0 -     0 sk_wai pts/0    00:00:00 sock\n' +
        '4 R     0     103     100  0  80   0 -     0 -      pts/0    00:00:00 ps\n' +
        '4 Z     0     104     100  0  80   0 -     0 -      pts/0    00:00:00 nc <defunct>\n',
    );
  });

  it('aux: BSD user format with STAT', () => {
    const lines = psOut('aux').stdout.split('\n');
    expect(lines[0]).toBe('USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND');
    expect(lines[1]).toBe('root           1  0.0  0.0      0     0 ?        S    00:00   0:00 init');
    expect(lines[7]).toBe('root         200  0.0  0.0      0     0 ?        S    00:00   0:00 /usr/sbin/sshd -D');
  });

  it('-o with widths and headers; -p selects; no match exits 1', () => {
    expect(psOut('-o', 'pid,stat,wchan:20,cmd', '-p', '101,102').stdout).toBe(
      '    PID STAT WCHAN                CMD\n' + '    101 S    inet_csk_accept      sock socket tcp; listen 1\n' + '    102 S    sk_wait_data         sock socket tcp; listen 1\n',
    );
    expect(psOut('-o', 'pid=,comm=X', '-p', '200').stdout).toBe('        X\n    200 sshd\n');
    expect(psOut('-o', 'pid=', '-p', '200').stdout).toBe('    200\n'); // all headers empty: no header line
    const none = psOut('-p', '999');
    expect([none.status, none.stdout]).toEqual([1, '    PID TTY          TIME CMD\n']);
  });

  it('errors like procps', () => {
    const bad = psOut('-Q');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe("error: unsupported SysV option\n\nUsage:\n ps [options]\n\n Try 'ps --help <simple|list|output|threads|misc|all>'\n  or 'ps --help <s|l|o|t|m|a>'\n for additional help text.\n\nFor more details see ps(1).\n");
    expect(psOut('-o', 'pid,bogus').stderr).toContain('error: unknown user-defined format specifier "bogus"');
  });
});
