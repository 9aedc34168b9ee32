// AF_UNIX stream sockets by path: bind/listen/accept/connect, their errors, and SCM_RIGHTS over them.
import { describe, expect, it } from 'vitest';
import { isErr, POLLIN, POLLOUT, sys, type Accepted, type Errno, type RecvMsg } from '../process';
import { MS, SEC } from '../sim';
import { MemorySink, twoHosts } from '../test/lab-fixtures';
import { pollNames, shown } from '../test/results';
import { World } from '../world';

const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const text = (b: Uint8Array) => String.fromCharCode(...b);

/** A two-host world, a way to start a program on the server, and the log its programs write. */
function lab() {
  const world = new World(twoHosts(), new MemorySink());
  const run = (prog: () => Generator<import('../process').Syscall, number, unknown>) => world.machine('server')!.kernel.startProgram(['test'], prog);
  return { world, run, log: [] as string[] };
}

describe('AF_UNIX stream sockets bound to a path', () => {
  it('a server on /run/app.sock accepts a client; bytes flow both ways; errors as on Linux', () => {
    const { world, run, log } = lab();
    run(function* () {
      const l = (yield* sys.socket('stream', 'unix')) as number;
      log.push(`bind ${yield* sys.bindUnix(l, '/run/app.sock')}`);
      const dup = (yield* sys.socket('stream', 'unix')) as number;
      log.push(`bind again ${((yield* sys.bindUnix(dup, '/run/app.sock')) as Errno).name}`);
      yield* sys.listen(l, 4);
      const a = (yield* sys.accept(l)) as Accepted;
      const got = (yield* sys.recv(a.fd)) as Uint8Array;
      log.push(`server got ${text(got)}`);
      yield* sys.send(a.fd, bytes('pong'));
      yield* sys.nanosleep(SEC);
      return 0;
    });
    run(function* () {
      yield* sys.nanosleep(MS);
      const nobody = (yield* sys.socket('stream', 'unix')) as number;
      log.push(`connect nowhere ${((yield* sys.connectUnix(nobody, '/run/none.sock')) as Errno).name}`);
      const c = (yield* sys.socket('stream', 'unix')) as number;
      log.push(`connect ${yield* sys.connectUnix(c, '/run/app.sock')}`);
      yield* sys.send(c, bytes('ping'));
      log.push(`client got ${text((yield* sys.recv(c)) as Uint8Array)}`);
      return 0;
    });
    world.sched.runUntil(500 * MS);
    const rows = world.machine('server')!.sockets().filter((r) => r.proto === 'unix');
    expect(rows.find((r) => r.state === 'LISTEN')).toMatchObject({ path: '/run/app.sock', sendQ: 4 });
    world.sched.runUntil(2 * SEC);
    expect(log).toEqual(['bind 0', 'bind again EADDRINUSE', 'connect nowhere ECONNREFUSED', 'connect 0', 'server got ping', 'client got pong']);
  });

  it('an fd passed over a path-connected socket with SCM_RIGHTS arrives at the lowest free fd and shares the description', () => {
    const { world, run, log } = lab();
    run(function* () {
      const l = (yield* sys.socket('stream', 'unix')) as number;
      yield* sys.bindUnix(l, '/run/pass.sock');
      yield* sys.listen(l, 4);
      const a = (yield* sys.accept(l)) as Accepted;
      const m = (yield* sys.recvmsg(a.fd)) as RecvMsg;
      log.push(`received ${text(m.data)} fds ${m.fds.join(',')}`);
      const sent = yield* sys.sendto(m.fds[0]!, bytes('via passed fd'), 0x0a000001, 9999);
      log.push(`send on passed fd ${isErr(sent) ? sent.name : sent}`);
      yield* sys.nanosleep(SEC);
      return 0;
    });
    run(function* () {
      yield* sys.nanosleep(MS);
      const u = (yield* sys.socket('dgram', 'udp')) as number;
      const c = (yield* sys.socket('stream', 'unix')) as number;
      yield* sys.connectUnix(c, '/run/pass.sock');
      yield* sys.sendmsg(c, bytes('here'), [u]);
      yield* sys.close(u); // our copy goes; the passed one keeps the socket open
      yield* sys.nanosleep(SEC);
      return 0;
    });
    world.sched.runUntil(2 * SEC);
    expect(log[0]).toBe('received here fds 5');
    expect(log[1]).toBe('send on passed fd 13');
  });
});

describe('write(2) of text on a socket', () => {
  it('sends the text as UTF-8 bytes (a program whose stdout is a socket still prints)', () => {
    const world = new World(twoHosts(), new MemorySink());
    let got = '';
    world.machine('client')!.kernel.startProgram(['t'], function* () {
      const pair = yield* sys.socketpair('stream');
      if (isErr(pair)) return 1;
      const n = yield* sys.write(pair[0], 'héllo\n');
      yield* sys.close(pair[0]);
      const d = yield* sys.recv(pair[1], 100);
      got = `${n as number}:${isErr(d) ? d.name : new TextDecoder().decode(d)}`;
      return 0;
    });
    world.sched.runFor(1 * SEC);
    expect(got).toBe('7:héllo\n');
  });
});

describe('descriptions passed with SCM_RIGHTS and read without recvmsg', () => {
  it('are released (scm_destroy): the passed listener was the last reference, so its port is free again', () => {
    const { world, run, log } = lab();
    run(function* () {
      const pair = yield* sys.socketpair('stream');
      if (isErr(pair)) return 1;
      const l = (yield* sys.socket('stream', 'tcp')) as number;
      yield* sys.bind(l, 0, 7000);
      yield* sys.listen(l, 1);
      yield* sys.sendmsg(pair[0], bytes('x'), [l]);
      yield* sys.close(l); // the in-flight copy keeps the listener open
      const again = (yield* sys.socket('stream', 'tcp')) as number;
      const busy = yield* sys.bind(again, 0, 7000);
      log.push(`while in flight ${isErr(busy) ? busy.name : busy}`);
      const d = yield* sys.recvInto(pair[1], new Uint8Array(4));
      log.push(`read ${isErr(d) ? d.name : d}`);
      const free = yield* sys.bind(again, 0, 7000);
      log.push(`after the read ${isErr(free) ? free.name : free}`);
      return 0;
    });
    world.sched.runFor(1 * SEC);
    expect(log).toEqual(['while in flight EADDRINUSE', 'read 1', 'after the read 0']);
  });
});

describe('recvInto on a socket without its own (AF_UNIX)', () => {
  it('copies what recv gives into the caller buffer, up to its length, then 0 at end of file', () => {
    const { world, run, log } = lab();
    run(function* () {
      const pair = yield* sys.socketpair('stream');
      if (isErr(pair)) return 1;
      yield* sys.send(pair[0], bytes('abcdef'));
      yield* sys.close(pair[0]);
      const buf = new Uint8Array(4);
      for (;;) {
        const n = yield* sys.recvInto(pair[1], buf);
        if (isErr(n)) return 1;
        log.push(`${n}:${text(buf.subarray(0, n))}`);
        if (n === 0) break;
      }
      return 0;
    });
    world.sched.runFor(1 * SEC);
    expect(log).toEqual(['4:abcd', '2:ef', '0:']);
  });
});

describe('an AF_UNIX stream socket that is not connected', () => {
  it('hangs up, is writable and cannot be read (EINVAL, unix_stream_read_generic); shut down, it polls readable (unix_shutdown, unix_poll); one whose peer left reads end of file', () => {
    const { world, run, log } = lab();
    run(function* () {
      const s = (yield* sys.socket('stream', 'unix')) as number;
      const revents = function* () {
        const r = yield* sys.poll([{ fd: s, events: POLLIN | POLLOUT }], 0);
        return isErr(r) ? r.name : pollNames(r[0]!.revents);
      };
      log.push(`poll ${yield* revents()}`);
      log.push(`recv ${shown(yield* sys.recv(s, 10))}`);
      log.push(`recvInto ${shown(yield* sys.recvInto(s, new Uint8Array(4)))}`);
      log.push(`recvmsg ${shown(yield* sys.recvmsg(s, 10))}`);
      log.push(`shutdown ${shown(yield* sys.shutdown(s, 'rdwr'))}`);
      log.push(`poll ${yield* revents()}`);
      const pair = yield* sys.socketpair('stream');
      if (isErr(pair)) return 1;
      yield* sys.close(pair[0]);
      log.push(`peer gone ${shown(yield* sys.recv(pair[1], 10))}`);
      return 0;
    });
    world.sched.runFor(1 * SEC);
    expect(log).toEqual(['poll OUT|HUP', 'recv EINVAL', 'recvInto EINVAL', 'recvmsg EINVAL', 'shutdown 0', 'poll IN|OUT|HUP', 'peer gone 0 bytes']);
  });
});
