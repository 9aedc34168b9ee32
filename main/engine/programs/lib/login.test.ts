import { describe, expect, it } from 'vitest';
import { isErr, POLLIN, sys, type Sys } from '../../process';
import { SEC } from '../../sim';
import { World } from '../../world';
import { MemorySink, twoHosts } from '../../test/lab-fixtures';
import { startLoginShell } from './login';

describe('a login shell on a pty (what telnetd and sshd run)', () => {
  it('runs as the user in their home; what the master writes is typed and echoed, output comes back; exit ends it', () => {
    const world = new World(twoHosts(), new MemorySink());
    const server = world.machine('server')!;
    let screen = '';
    let ended = false;
    server.kernel.startProgram(['relay'], function* (): Sys<number> {
      const pw = yield* sys.getpwnam('student');
      if (isErr(pw)) return 1;
      const s = yield* startLoginShell(pw, () => 'login -- student');
      if (isErr(s)) return 1;
      const typed = ['whoami\r', 'pwd\r', 'exit\r'];
      for (;;) {
        const ready = yield* sys.poll([{ fd: s.master, events: POLLIN }], 1e9);
        if (isErr(ready)) return 1;
        if (ready.length === 0) {
          const t = typed.shift();
          if (t) yield* sys.write(s.master, t);
          continue;
        }
        const d = yield* sys.read(s.master, 4096);
        if (isErr(d) || d.length === 0) break;
        screen += d;
      }
      ended = true;
      return 0;
    });
    world.sched.runUntil(10 * SEC);
    expect(ended).toBe(true);
    expect(screen).toBe('Welcome to server, a Packet Lab machine.\r\nserver$ whoami\r\nstudent\r\nserver$ pwd\r\n/home/student\r\nserver$ exit\r\n');
    const ps = server.processes().map((p) => p.argv.join(' '));
    expect(ps.some((a) => a.startsWith('login'))).toBe(false);
  });
});
