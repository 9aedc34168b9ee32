// AS-01, AS-02, AS-03, AS-04, AS-05 of ../shared/linux-truth/README.md: the handshake's shape,
// accept() keeping the listener's port, the 4- and 3-segment closes, TIME_WAIT, closed ports.
import { describe, expect, it } from 'vitest';
import { Errno, sys, type Accepted, type SockName } from '../../../process';
import { MS, SEC } from '../../../sim';
import { bytes, lab, SERVER, text } from './harness';

function* server(port: number, backlog: number) {
  const fd = (yield* sys.socket('stream', 'tcp')) as number;
  yield* sys.bind(fd, SERVER, port);
  yield* sys.listen(fd, backlog);
  return fd;
}

describe('TCP handshake and close (Linux ground truth)', () => {
  it('AS-01: SYN / SYN-ACK / ACK with Linux options, windows and an even ephemeral port', () => {
    const { world, run, segments } = lab();
    const log: unknown[] = [];
    run('server', function* () {
      const l = yield* server(5000, 128);
      yield* sys.nanosleep(SEC);
      return l;
    });
    run('client', function* () {
      yield* sys.nanosleep(MS);
      const fd = (yield* sys.socket('stream', 'tcp')) as number;
      log.push(yield* sys.connect(fd, SERVER, 5000));
      log.push(yield* sys.getsockname(fd));
      yield* sys.nanosleep(SEC);
      return 0;
    });
    world.sched.runUntil(100 * MS);
    const [syn, synack, ack] = segments();
    expect([syn!.flags, synack!.flags, ack!.flags]).toEqual(['S', 'S.', '.']);
    expect(syn!.win).toBe(64240);
    expect(syn!.opts).toEqual(['mss', 'sackPerm', 'timestamp', 'nop', 'wscale']);
    expect(synack!.win).toBe(65160);
    expect(synack!.opts).toEqual(['mss', 'sackPerm', 'timestamp', 'nop', 'wscale']);
    expect(synack!.ack).toBe((syn!.seq + 1) >>> 0);
    expect(ack!.ack).toBe((synack!.seq + 1) >>> 0);
    expect(ack!.win).toBe(63);
    expect(ack!.opts).toEqual(['nop', 'nop', 'timestamp']);
    expect(log[0]).toBe(0);
    const port = (log[1] as SockName).port;
    expect(port % 2).toBe(0);
    expect(port).toBeGreaterThanOrEqual(32768);
    expect(port).toBeLessThanOrEqual(60999);
    const rows = world.machine('server')!.sockets().filter((r) => r.proto === 'tcp');
    expect(rows.find((r) => r.state === 'LISTEN')).toMatchObject({ recvQ: 1, sendQ: 128, localPort: 5000 });
    expect(rows.find((r) => r.state === 'ESTABLISHED')).toMatchObject({ localPort: 5000, peerPort: port, queued: true });
  });

  it('AS-02 + scenario (a): accept() keeps port 5000; data both ways with quick ACKs; 4-segment close; client TIME_WAIT for 60 s', () => {
    const { world, run, segments } = lab();
    const log: string[] = [];
    run('server', function* () {
      const l = yield* server(5000, 128);
      const a = (yield* sys.accept(l)) as Accepted;
      const name = (yield* sys.getsockname(a.fd)) as SockName;
      log.push(`accept: local port ${name.port}, peer ${a.port}`);
      const got = (yield* sys.recv(a.fd)) as Uint8Array;
      log.push(`server got ${text(got)}`);
      yield* sys.send(a.fd, bytes('hello from server'));
      const eof = (yield* sys.recv(a.fd)) as Uint8Array;
      log.push(`server eof ${eof.length}`);
      yield* sys.nanosleep(500 * MS);
      yield* sys.close(a.fd);
      yield* sys.nanosleep(100 * SEC); // the listener stays open, as in the capture
      return 0;
    });
    run('client', function* () {
      yield* sys.nanosleep(MS);
      const fd = (yield* sys.socket('stream', 'tcp')) as number;
      yield* sys.connect(fd, SERVER, 5000);
      yield* sys.send(fd, bytes('hello from client 1'));
      log.push(`client got ${text((yield* sys.recv(fd)) as Uint8Array)}`);
      yield* sys.nanosleep(2 * SEC);
      yield* sys.close(fd);
      return 0;
    });
    world.sched.runUntil(10 * SEC);
    expect(log[0]).toMatch(/^accept: local port 5000, peer \d+$/);
    expect(log.slice(1)).toEqual(['server got hello from client 1', 'client got hello from server', 'server eof 0']);
    const s = segments().map((x) => `${x.from === '10.0.0.1' ? 'C>S' : 'S>C'} ${x.flags} ${x.len}`);
    expect(s).toEqual(['C>S S 0', 'S>C S. 0', 'C>S . 0', 'C>S P. 19', 'S>C . 0', 'S>C P. 17', 'C>S . 0', 'C>S F. 0', 'S>C . 0', 'S>C F. 0', 'C>S . 0']);
    const segs = segments();
    const fin = segs[7]!;
    const finAck = segs[8]!;
    const srvFin = segs[9]!;
    expect((finAck.t - fin.t) / MS).toBeGreaterThan(35); // delayed ACK of the FIN (~40 ms)
    expect((finAck.t - fin.t) / MS).toBeLessThan(60);
    expect((srvFin.t - fin.t) / MS).toBeGreaterThan(495); // server closes 500 ms after EOF
    const tw = () => world.machine('client')!.sockets().filter((r) => r.state === 'TIME_WAIT');
    expect(tw()).toHaveLength(1);
    expect(world.machine('server')!.sockets().filter((r) => r.proto === 'tcp').map((r) => r.state)).toEqual(['LISTEN']);
    world.sched.runUntil(2 * SEC + 60 * SEC + 600 * MS);
    expect(tw()).toHaveLength(0);
  });

  it('AS-04: closing within the delayed-ACK window sends a FIN that carries the ACK (3 segments)', () => {
    const { world, run, segments } = lab();
    run('server', function* () {
      const l = yield* server(5000, 128);
      const a = (yield* sys.accept(l)) as Accepted;
      yield* sys.recv(a.fd);
      yield* sys.close(a.fd);
      return 0;
    });
    run('client', function* () {
      const fd = (yield* sys.socket('stream', 'tcp')) as number;
      yield* sys.connect(fd, SERVER, 5000);
      yield* sys.close(fd);
      return 0;
    });
    world.sched.runUntil(2 * SEC);
    const s = segments().slice(3).map((x) => `${x.from === '10.0.0.1' ? 'C>S' : 'S>C'} ${x.flags}`);
    expect(s).toEqual(['C>S F.', 'S>C F.', 'C>S .']);
  });

  it('AS-05: SYN to a closed port gets R. seq 0 ack x+1 win 0 without options; connect() fails with ECONNREFUSED', () => {
    const { world, run, segments } = lab();
    const log: unknown[] = [];
    run('client', function* () {
      const fd = (yield* sys.socket('stream', 'tcp')) as number;
      log.push(((yield* sys.connect(fd, SERVER, 5001)) as Errno).name);
      return 0;
    });
    world.sched.runUntil(SEC);
    const [syn, rst] = segments();
    expect(rst).toMatchObject({ flags: 'R.', seq: 0, ack: (syn!.seq + 1) >>> 0, win: 0, opts: [] });
    expect(log).toEqual(['ECONNREFUSED']);
    expect(world.machine('client')!.sockets().filter((r) => r.proto === 'tcp')).toHaveLength(0);
    expect(world.machine('server')!.sockets()).toHaveLength(0);
  });
});

describe('simultaneous open (RFC 9293 section 3.5)', () => {
  it('two SYNs cross: each side answers with a SYN-ACK, both reach ESTABLISHED and connect() succeeds', () => {
    const { world, run, segments } = lab(50_000);
    const log: string[] = [];
    const side = (me: string, myPort: number, peer: number, peerPort: number) =>
      run(me, function* () {
        const fd = (yield* sys.socket('stream', 'tcp')) as number;
        yield* sys.bind(fd, 0, myPort);
        const r = yield* sys.connect(fd, peer, peerPort);
        log.push(`${me} connect ${r instanceof Errno ? r.name : r}`);
        yield* sys.send(fd, bytes(`from ${me}`));
        const got = (yield* sys.recv(fd)) as Uint8Array;
        log.push(`${me} got ${text(got)}`);
        yield* sys.nanosleep(10 * SEC);
        return 0;
      });
    side('client', 5000, SERVER, 6000);
    side('server', 6000, 0x0a000001, 5000);
    world.sched.runUntil(2 * SEC);
    expect(log.sort()).toEqual(['client connect 0', 'client got from server', 'server connect 0', 'server got from client']);
    const hs = segments().slice(0, 4).map((s) => s.flags).sort();
    expect(hs).toEqual(['S', 'S', 'S.', 'S.']);
    for (const m of ['client', 'server']) expect(world.machine(m)!.sockets().filter((r) => r.proto === 'tcp').map((r) => r.state)).toEqual(['ESTABLISHED']);
  });
});
