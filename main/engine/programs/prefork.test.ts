import { describe, expect, it } from 'vitest';
import { prefork } from './prefork';
import { decodeUtf8 } from '../process/utf8';
import { err, ip, run } from './testing';

describe('prefork', () => {
  it('the parent listens, forks the workers, each accepts on the shared socket and answers a line', () => {
    const accepts = new Map<number, number>();
    const sent: string[] = [];
    const calls: string[] = [];
    const r = run(prefork, ['prefork', '-n', '2', '5000'], {
      pid: 100,
      handlers: {
        socket: () => 3,
        setsockopt: () => 0,
        bind: (c) => (calls.push(`bind ${c.addr}:${c.port}`), 0),
        listen: (c) => (calls.push(`listen ${c.fd} ${c.backlog}`), 0),
        accept: (c, p) => {
          calls.push(`accept ${p.pid} fd ${c.fd}`);
          const n = (accepts.get(p.pid) ?? 0) + 1;
          accepts.set(p.pid, n);
          return n === 1 ? { fd: 4, addr: ip('10.0.0.1'), port: 40000 + p.pid } : err('EINVAL');
        },
        send: (c) => (sent.push(decodeUtf8(c.data)), c.data.length),
        close: () => 0,
      },
    });
    expect(r.stdout).toBe(
      'prefork: parent 100 listening on 0.0.0.0:5000 (fd 3, backlog 16), forking 2 workers\n' +
        'prefork: workers 101 102\n' +
        'worker 101 waiting in accept() on fd 3\n' +
        'worker 101 accepted 10.0.0.1:40101 on fd 4\n' +
        'worker 101 closed 10.0.0.1:40101\n' +
        'worker 102 waiting in accept() on fd 3\n' +
        'worker 102 accepted 10.0.0.1:40102 on fd 4\n' +
        'worker 102 closed 10.0.0.1:40102\n' +
        'prefork: worker 101 exited with status 1\n' +
        'prefork: worker 102 exited with status 1\n',
    );
    expect(r.stderr).toBe('worker 101: accept: Invalid argument\nworker 102: accept: Invalid argument\n');
    expect(sent).toEqual(['hello from worker 101\n', 'hello from worker 102\n']);
    expect(calls.filter((c) => c.startsWith('accept'))).toEqual(['accept 101 fd 3', 'accept 101 fd 3', 'accept 102 fd 3', 'accept 102 fd 3']);
  });

  it('Ctrl-C (a caught SIGINT interrupting waitpid) stops the workers with SIGTERM', () => {
    const killed: string[] = [];
    let interrupted = false;
    const r = run(prefork, ['prefork', '-n', '1', '5000'], {
      pid: 100,
      handlers: {
        socket: () => 3,
        setsockopt: () => 0,
        bind: () => 0,
        listen: () => 0,
        accept: () => err('EINTR'),
        waitpid: (c) => {
          if (!interrupted) {
            interrupted = true;
            return err('EINTR');
          }
          return { pid: c.pid, status: 143, signal: 'SIGTERM' };
        },
        sigtimedwait: () => 'SIGINT',
        kill: (c) => (killed.push(`${c.pid} ${c.sig}`), 0),
      },
    });
    expect(r.status).toBe(130);
    expect(killed).toEqual(['101 SIGTERM']);
    expect(r.stdout).toContain('prefork: stopping workers 101\n');
  });

  it('usage', () => {
    expect(run(prefork, ['prefork']).stderr).toBe('usage: prefork [-n WORKERS] [-b BACKLOG] PORT\n');
    expect(run(prefork, ['prefork', '-n', 'x', '80']).stderr).toBe("prefork: invalid worker count: 'x'\nusage: prefork [-n WORKERS] [-b BACKLOG] PORT\n");
  });
});
