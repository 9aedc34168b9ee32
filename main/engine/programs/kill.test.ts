import { describe, expect, it } from 'vitest';
import { kill } from './kill';
import { err, run } from './testing';

function killRun(...args: string[]) {
  const sent: string[] = [];
  const r = run(kill, ['kill', ...args], {
    handlers: {
      kill: (c) => {
        sent.push(`${c.pid}:${c.sig}`);
        return c.pid === 412 ? 0 : err('ESRCH');
      },
      netlink: () => [{ pid: 412, ppid: 1, argv: ['sock'], state: 'S' }],
    },
  });
  return { ...r, sent };
}

describe('kill (bash builtin behaviour)', () => {
  it('SIGTERM by default; -9, -KILL, -sigkill, -s INT, -n 1', () => {
    expect(killRun('412').sent).toEqual(['412:SIGTERM']);
    expect(killRun('-9', '412').sent).toEqual(['412:SIGKILL']);
    expect(killRun('-KILL', '412').sent).toEqual(['412:SIGKILL']);
    expect(killRun('-sigkill', '412').sent).toEqual(['412:SIGKILL']);
    expect(killRun('-s', 'INT', '412').sent).toEqual(['412:SIGINT']);
    expect(killRun('-n', '1', '412').sent).toEqual(['412:SIGHUP']);
  });

  it('errors: no such process, bad signal, bad pid, usage', () => {
    const r = killRun('123', '412');
    expect([r.status, r.stderr, r.sent]).toEqual([1, 'kill: (123) - No such process\n', ['123:SIGTERM', '412:SIGTERM']]);
    expect(killRun('-FOO', '412').stderr).toBe('kill: FOO: invalid signal specification\n');
    expect(killRun('abc').stderr).toBe('kill: abc: arguments must be process or job IDs\n');
    const u = killRun();
    expect([u.status, u.stderr]).toEqual([2, 'kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n']);
    expect(killRun('-STOP', '412').stderr).toContain('kill: SIGSTOP: the lab kernel does not deliver this signal');
  });

  it('-0 checks existence only', () => {
    expect(killRun('-0', '412')).toMatchObject({ status: 0, sent: [] });
    expect(killRun('-0', '999').stderr).toBe('kill: (999) - No such process\n');
  });

  it('-l lists signals like bash; -l converts names and numbers', () => {
    const l = killRun('-l').stdout.split('\n');
    expect(l[0]).toBe(' 1) SIGHUP\t 2) SIGINT\t 3) SIGQUIT\t 4) SIGILL\t 5) SIGTRAP');
    expect(l[6]).toBe('31) SIGSYS\t34) SIGRTMIN\t35) SIGRTMIN+1\t36) SIGRTMIN+2\t37) SIGRTMIN+3');
    expect(l[12]).toBe('63) SIGRTMAX-1\t64) SIGRTMAX\t');
    expect(killRun('-l', '9', 'TERM', '137').stdout).toBe('KILL\n15\nKILL\n');
  });
});
