// AS-06, AS-07, AS-17, AS-18, AS-19, AS-20 of ../shared/linux-truth/README.md (captures b, e, f).
import { describe, expect, it } from 'vitest';
import { IpProto, TcpFlag, writeEthernet, writeIpv4, writeTcp, EtherType } from '../../../../../shared/wire';
import { Errno, isErr, sys, type Accepted, type SockName } from '../../../process';
import { MS, SEC } from '../../../sim';
import { bytes, CLIENT, lab, SERVER, text } from './harness';

/** A crafted segment from the client's MAC/IP to the server, delivered into the server's NIC. */
function inject(world: ReturnType<typeof lab>['world'], sport: number, dport: number, flags: number, seq: number, ack: number, data = new Uint8Array(0)) {
  const b = new Uint8Array(14 + 20 + 20 + data.length);
  b.set(data, 54);
  writeTcp(b, 34, { srcPort: sport, dstPort: dport, seq, ack, flags, window: 512, payloadLength: data.length, src: CLIENT, dst: SERVER });
  writeIpv4(b, 14, { id: 1, protocol: IpProto.TCP, src: CLIENT, dst: SERVER, payloadLength: 20 + data.length });
  const server = world.machine('server')!;
  writeEthernet(b, 0, { dst: server.nics[0]!.mac, src: world.machine('client')!.nics[0]!.mac, etherType: EtherType.IPV4 });
  const padded = new Uint8Array(Math.max(60, b.length));
  padded.set(b);
  server.nics[0]!.deliver({ bytes: padded, id: 1_000_000 + sport });
}

describe('RSTs for stray segments', () => {
  it('AS-06/07: no socket -> R seq=SEG.ACK (with ACK) or R. ack=SEG.SEQ+LEN (without); a listener answers a bare ACK with R; RSTs are never answered', () => {
    const { world, run, segments } = lab();
    run('server', function* () {
      const fd = (yield* sys.socket('stream', 'tcp')) as number;
      yield* sys.bind(fd, 0, 5005);
      yield* sys.listen(fd, 8);
      yield* sys.nanosleep(100 * SEC);
      return 0;
    });
    world.sched.runUntil(MS);
    inject(world, 40001, 5001, TcpFlag.ACK, 1000, 5555);
    inject(world, 40002, 5001, TcpFlag.PSH | TcpFlag.ACK, 1000, 5555, bytes('abcde'));
    inject(world, 40003, 5001, TcpFlag.FIN, 2000, 0);
    inject(world, 40004, 5005, TcpFlag.ACK, 3000, 7777);
    inject(world, 40005, 5005, TcpFlag.RST, 3000, 0);
    inject(world, 40006, 5001, TcpFlag.RST, 3000, 0);
    world.sched.runUntil(10 * MS);
    const replies = segments().map((s) => `${s.dport} ${s.flags} seq ${s.seq} ack ${s.ack} win ${s.win} opts ${s.opts.length}`);
    expect(replies).toEqual([
      '40001 R seq 5555 ack 0 win 0 opts 0',
      '40002 R seq 5555 ack 0 win 0 opts 0',
      '40003 R. seq 0 ack 2001 win 0 opts 0',
      '40004 R seq 7777 ack 0 win 0 opts 0',
    ]);
    expect(world.machine('server')!.sockets().filter((r) => r.proto === 'tcp').map((r) => r.state)).toEqual(['LISTEN']);
  });
});

describe('closing with data and lingering', () => {
  function pair(serverBody: (fd: number) => Generator<import('../../../process').Syscall, void, unknown>, clientBody: (fd: number) => Generator<import('../../../process').Syscall, void, unknown>) {
    const l = lab();
    l.run('server', function* () {
      const fd = (yield* sys.socket('stream', 'tcp')) as number;
      yield* sys.bind(fd, 0, 5000);
      yield* sys.listen(fd, 8);
      const a = (yield* sys.accept(fd)) as Accepted;
      yield* serverBody(a.fd);
      yield* sys.nanosleep(100 * SEC);
      return 0;
    });
    l.run('client', function* () {
      const fd = (yield* sys.socket('stream', 'tcp')) as number;
      yield* sys.connect(fd, SERVER, 5000);
      yield* clientBody(fd);
      yield* sys.nanosleep(100 * SEC);
      return 0;
    });
    return l;
  }

  it('AS-17a: close() with unread data sends R. seq=snd_nxt ack=rcv_nxt (not FIN); the peer gets ECONNRESET; no TIME_WAIT', () => {
    const log: string[] = [];
    const { world, segments } = pair(
      function* (fd) {
        yield* sys.nanosleep(300 * MS);
        yield* sys.close(fd);
      },
      function* (fd) {
        yield* sys.send(fd, bytes('this is 27 bytes of unread!'));
        const r = yield* sys.recv(fd);
        log.push(isErr(r) ? r.name : `recv ${r.length}`);
      },
    );
    world.sched.runUntil(2 * SEC);
    const rst = segments().find((s) => s.flags === 'R.')!;
    const data = segments().find((s) => s.len === 27)!;
    expect(rst.from).toBe('10.0.0.2');
    expect(rst.ack).toBe((data.seq + 27) >>> 0);
    expect(rst.opts).toEqual(['nop', 'nop', 'timestamp']);
    expect(rst.win).toBeGreaterThan(0);
    expect(log).toEqual(['ECONNRESET']);
    expect(segments().some((s) => s.flags.includes('F'))).toBe(false);
    expect([...world.machines.values()].flatMap((m) => m.sockets()).filter((r) => r.state === 'TIME_WAIT')).toHaveLength(0);
  });

  it('AS-17b: SO_LINGER {1, 0} close() resets at once; the peer gets ECONNRESET', () => {
    const log: string[] = [];
    const { world, segments } = pair(
      function* (fd) {
        const r = yield* sys.recv(fd);
        log.push(isErr(r) ? r.name : `recv ${r.length}`);
      },
      function* (fd) {
        yield* sys.setsockopt(fd, 'SO_LINGER', { onoff: 1, linger: 0 });
        yield* sys.close(fd);
      },
    );
    world.sched.runUntil(2 * SEC);
    expect(segments().slice(3).map((s) => `${s.from} ${s.flags}`)).toEqual(['10.0.0.1 R.']);
    expect(log).toEqual(['ECONNRESET']);
  });

  it('AS-18: data to an orphaned FIN_WAIT2 socket gets R seq=SEG.ACK; the sender (CLOSE_WAIT) then sees EPIPE', () => {
    const log: string[] = [];
    const { world, segments } = pair(
      function* (fd) {
        yield* sys.close(fd);
      },
      function* (fd) {
        yield* sys.nanosleep(500 * MS);
        for (let i = 0; i < 2; i++) {
          const r = yield* sys.send(fd, bytes(i ? 'again' : '9 bytes!!'));
          log.push(isErr(r) ? r.name : `sent ${r}`);
          yield* sys.nanosleep(100 * MS);
        }
      },
    );
    world.sched.runUntil(2 * SEC);
    const data = segments().find((s) => s.len === 9)!;
    const rst = segments().find((s) => s.flags === 'R')!;
    expect(rst).toMatchObject({ from: '10.0.0.2', seq: data.ack, win: 0, opts: [] });
    expect(log).toEqual(['sent 9', 'EPIPE']);
    expect(world.machine('server')!.sockets().filter((r) => r.proto === 'tcp' && r.state !== 'LISTEN')).toHaveLength(0);
  });
});

describe('fork-shared sockets (capture e)', () => {
  function forkLab(parentDoes: 'close' | 'shutdown') {
    const l = lab();
    const log: string[] = [];
    l.run('server', function* () {
      const fd = (yield* sys.socket('stream', 'tcp')) as number;
      yield* sys.bind(fd, SERVER, 5020);
      yield* sys.listen(fd, 8);
      const a = (yield* sys.accept(fd)) as Accepted;
      yield* sys.fork(function* () {
        yield* sys.nanosleep(3 * SEC);
        const sent = yield* sys.send(a.fd, bytes('x'.repeat(31)));
        log.push(`child send ${isErr(sent) ? sent.name : sent}`);
        const r = yield* sys.recv(a.fd);
        log.push(isErr(r) ? `child recv ${r.name}` : `child recv ${r.length}`);
        yield* sys.nanosleep(SEC);
        yield* sys.close(a.fd);
        yield* sys.nanosleep(100 * SEC);
        return 0;
      });
      yield* sys.nanosleep(2 * SEC);
      if (parentDoes === 'close') yield* sys.close(a.fd);
      else yield* sys.shutdown(a.fd, 'wr');
      yield* sys.nanosleep(100 * SEC);
      return 0;
    }, 'python3');
    l.run('client', function* () {
      const fd = (yield* sys.socket('stream', 'tcp')) as number;
      yield* sys.connect(fd, SERVER, 5020);
      yield* sys.nanosleep(3500 * MS);
      yield* sys.send(fd, bytes('y'.repeat(35)));
      const r = yield* sys.recv(fd);
      log.push(isErr(r) ? `client ${r.name}` : `client got ${r.length}`);
      yield* sys.nanosleep(2 * SEC);
      yield* sys.close(fd);
      yield* sys.nanosleep(100 * SEC);
      return 0;
    });
    return { ...l, log };
  }

  it('AS-19: both processes own the listener and the connection; the parent close() sends nothing; the last close sends FIN; the server holds TIME_WAIT', () => {
    const { world, segments, log } = forkLab('close');
    world.sched.runUntil(1500 * MS);
    const owners = world.machine('server')!.sockets().map((r) => `${r.state} ${r.owners.map((o) => `${o.name}/${o.pid}/${o.fd}`).join(',')}`);
    expect(owners).toContain('LISTEN python3/100/3,python3/101/3');
    expect(owners).toContain('ESTABLISHED python3/100/4,python3/101/4');
    world.sched.runUntil(2500 * MS);
    expect(segments()).toHaveLength(3); // the parent's close(): no packet
    expect(world.machine('server')!.sockets().find((r) => r.state === 'ESTABLISHED')!.owners.map((o) => o.pid)).toEqual([101]);
    world.sched.runUntil(10 * SEC);
    const after = segments().slice(3).map((s) => `${s.from === '10.0.0.2' ? 'S>C' : 'C>S'} ${s.flags} ${s.len}`);
    expect(after.slice(0, 2)).toEqual(['S>C P. 31', 'C>S . 0']);
    expect(after).toContain('S>C F. 0');
    expect(log).toContain('child send 31');
    expect(world.machine('server')!.sockets().filter((r) => r.state === 'TIME_WAIT')).toHaveLength(1);
  });

  it('AS-19 variant: the parent shutdown(SHUT_WR) sends FIN at once although the child holds the fd; the child still receives', () => {
    const { world, segments, log } = forkLab('shutdown');
    world.sched.runUntil(2100 * MS);
    expect(segments().slice(3).map((s) => `${s.from === '10.0.0.2' ? 'S>C' : 'C>S'} ${s.flags}`)[0]).toBe('S>C F.');
    world.sched.runUntil(10 * SEC);
    expect(log).toContain('child recv 35');
    expect(log).toContain('child send EPIPE'); // the socket's write side is shut for every holder
  });
});

describe('ports (capture f)', () => {
  it('AS-20a: sequential connects use distinct even ports climbing in small steps; bind(0) gives odd ports; each client close leaves TIME_WAIT', () => {
    const { world, run } = lab();
    const ports: number[] = [];
    const bound: number[] = [];
    run('server', function* () {
      const fd = (yield* sys.socket('stream', 'tcp')) as number;
      yield* sys.bind(fd, 0, 5030);
      yield* sys.listen(fd, 128);
      for (;;) {
        const a = yield* sys.accept(fd);
        if (isErr(a)) return 1;
        yield* sys.recv(a.fd); // EOF: the client closed first
        yield* sys.close(a.fd);
      }
    });
    run('client', function* () {
      for (let i = 0; i < 10; i++) {
        const fd = (yield* sys.socket('stream', 'tcp')) as number;
        yield* sys.connect(fd, SERVER, 5030);
        ports.push(((yield* sys.getsockname(fd)) as SockName).port);
        yield* sys.close(fd);
        yield* sys.nanosleep(10 * MS);
      }
      for (let i = 0; i < 6; i++) {
        const fd = (yield* sys.socket('stream', 'tcp')) as number;
        yield* sys.bind(fd, 0, 0);
        bound.push(((yield* sys.getsockname(fd)) as SockName).port);
      }
      return 0;
    });
    world.sched.runUntil(5 * SEC);
    expect(ports.every((p) => p % 2 === 0 && p >= 32768 && p <= 60999)).toBe(true);
    expect(new Set(ports).size).toBe(10);
    const steps = ports.slice(1).map((p, i) => p - ports[i]!);
    expect(steps.every((s) => s > 0 && s <= 16)).toBe(true);
    expect(bound.every((p) => p % 2 === 1)).toBe(true);
    expect(world.machine('client')!.sockets().filter((r) => r.state === 'TIME_WAIT')).toHaveLength(10);
  });

  it('AS-20b/c: a LISTEN port refuses bind even with SO_REUSEADDR; after the listener closes, rebinding needs SO_REUSEADDR on both', () => {
    const { world, run } = lab();
    const r: string[] = [];
    run('server', function* () {
      const l = (yield* sys.socket('stream', 'tcp')) as number;
      yield* sys.setsockopt(l, 'SO_REUSEADDR', 1);
      yield* sys.bind(l, 0, 5040);
      yield* sys.listen(l, 8);
      const b = (yield* sys.socket('stream', 'tcp')) as number;
      yield* sys.setsockopt(b, 'SO_REUSEADDR', 1);
      const e = yield* sys.bind(b, 0, 5040);
      r.push(isErr(e) ? e.name : 'ok');
      const a = (yield* sys.accept(l)) as Accepted;
      yield* sys.close(a.fd); // the server closes first: the server holds TIME_WAIT
      yield* sys.nanosleep(200 * MS);
      yield* sys.close(l);
      const c = (yield* sys.socket('stream', 'tcp')) as number;
      const e2 = yield* sys.bind(c, 0, 5040);
      r.push(isErr(e2) ? e2.name : 'ok');
      yield* sys.setsockopt(c, 'SO_REUSEADDR', 1);
      const e3 = yield* sys.bind(c, 0, 5040);
      r.push(isErr(e3) ? e3.name : 'ok');
      r.push(String(yield* sys.listen(c, 8)));
      return 0;
    });
    run('client', function* () {
      const fd = (yield* sys.socket('stream', 'tcp')) as number;
      yield* sys.connect(fd, SERVER, 5040);
      yield* sys.recv(fd);
      yield* sys.close(fd);
      yield* sys.nanosleep(100 * SEC);
      return 0;
    });
    world.sched.runUntil(2 * SEC);
    expect(r).toEqual(['EADDRINUSE', 'EADDRINUSE', 'ok', '0']);
    void text;
    void Errno;
  });
});

describe('SO_REUSEPORT (a reuseport group)', () => {
  it('two listeners on one port share the connections by a hash of the client address and port', () => {
    const { world, run } = lab();
    const got: Record<string, number> = { a: 0, b: 0 };
    const errs: string[] = [];
    for (const name of ['a', 'b']) {
      run('server', function* () {
        const fd = (yield* sys.socket('stream', 'tcp')) as number;
        yield* sys.setsockopt(fd, 'SO_REUSEPORT', 1);
        const b = yield* sys.bind(fd, 0, 8080);
        if (isErr(b)) errs.push(b.name);
        yield* sys.listen(fd, 64);
        for (;;) {
          const a = yield* sys.accept(fd);
          if (isErr(a)) return 1;
          got[name]!++;
        }
      }, `worker-${name}`);
    }
    run('server', function* () {
      const fd = (yield* sys.socket('stream', 'tcp')) as number;
      const b = yield* sys.bind(fd, 0, 8080); // no SO_REUSEPORT: refused
      errs.push(isErr(b) ? b.name : 'bound');
      return 0;
    });
    run('client', function* () {
      yield* sys.nanosleep(MS);
      for (let i = 0; i < 16; i++) {
        const fd = (yield* sys.socket('stream', 'tcp')) as number;
        yield* sys.connect(fd, SERVER, 8080);
      }
      yield* sys.nanosleep(100 * SEC);
      return 0;
    });
    world.sched.runUntil(2 * SEC);
    expect(errs).toEqual(['EADDRINUSE']);
    expect(got.a! + got.b!).toBe(16);
    expect(got.a).toBeGreaterThan(0);
    expect(got.b).toBeGreaterThan(0);
    expect(world.machine('server')!.sockets().filter((r) => r.state === 'LISTEN')).toHaveLength(2);
  });
});
