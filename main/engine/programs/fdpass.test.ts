import { describe, expect, it } from 'vitest';
import { fdpass } from './fdpass';
import { decodeUtf8, encodeUtf8 } from '../process/utf8';
import { err, ip, run } from './testing';

describe('fdpass', () => {
  it('the listener passes each accepted fd over the socketpair and closes its copy; the worker serves the client', () => {
    const log: string[] = [];
    let accepts = 0;
    const workerPolls = [[4], [3], [3], [4]];
    const clientData = ['ping\n', ''];
    const r = run(fdpass, ['fdpass', '5000'], {
      pid: 100,
      handlers: {
        socketpair: () => [3, 4],
        socket: () => 5,
        setsockopt: () => 0,
        bind: () => 0,
        listen: (c) => (log.push(`listen ${c.fd} ${c.backlog}`), 0),
        close: (c, p) => (log.push(`${p.pid} close ${c.fd}`), 0),
        accept: () => (++accepts === 1 ? { fd: 6, addr: ip('10.0.0.1'), port: 42620 } : err('EINTR')),
        sendmsg: (c, p) => (log.push(`${p.pid} sendmsg fd ${c.fd} passing ${c.fds.join(',')}`), c.data.length),
        sigtimedwait: () => 'SIGINT',
        kill: (c) => (log.push(`kill ${c.pid} ${c.sig}`), 0),
        poll: () => workerPolls.shift()!.map((fd) => ({ fd, revents: 1 })),
        recvmsg: () => (log.length < 8 ? { data: encodeUtf8('F'), fds: [3] } : { data: new Uint8Array(), fds: [] }),
        getpeername: () => ({ addr: ip('10.0.0.1'), port: 42620 }),
        send: (c, p) => (log.push(`${p.pid} send ${c.fd} ${JSON.stringify(decodeUtf8(c.data))}`), c.data.length),
        recv: () => encodeUtf8(clientData.shift() ?? ''),
      },
    });
    expect(r.stdout).toBe(
      'fdpass: listener 100 on 0.0.0.0:5000 (fd 5), worker 101 over socketpair fd 3\n' +
        'listener 100 accepted 10.0.0.1:42620 as fd 6\n' +
        'passed fd 6 to worker 101\n' +
        'fdpass: stopping worker 101\n' +
        'worker 101 waiting for descriptors on fd 4\n' +
        'worker 101 got fd 3 (peer 10.0.0.1:42620)\n' +
        'worker 101 closed fd 3 (peer 10.0.0.1:42620)\n' +
        'worker 101: the listener closed the socketpair, exiting\n',
    );
    expect(log).toEqual([
      '100 close 4',
      'listen 5 16',
      '100 sendmsg fd 3 passing 6',
      '100 close 6',
      'kill 101 SIGTERM',
      '101 close 3',
      '101 send 3 "hello from worker 101 (fd passed by 100)\\n"',
      '101 send 3 "ping\\n"',
      '101 close 3',
    ]);
    expect(r.status).toBe(130);
  });

  it('usage', () => {
    expect(run(fdpass, ['fdpass', 'x']).stderr).toBe('usage: fdpass [-b BACKLOG] PORT\n');
  });
});
