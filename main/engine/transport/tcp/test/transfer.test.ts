// Bulk transfer: throughput against the bandwidth-delay product, integrity under loss (RTO and fast
// retransmit), flow control with a zero window and persist probes.
import { describe, expect, it } from 'vitest';
import { isErr, POLLIN, POLLOUT, sys, type Accepted, type Program } from '../../../process';
import { MS, SEC } from '../../../sim';
import { MemorySink, twoHosts } from '../../../test/lab-fixtures';
import { pollNames, shown } from '../../../test/results';
import { World } from '../../../world';
import { SERVER } from './harness';

const MB = 1 << 20;

function transfer(opts: { latencyNs: number; bandwidthBps: number; loss?: number; bytes: number; readDelayNs?: number; intoBuffer?: number }) {
  const l = twoHosts();
  Object.assign(l.links[0]!, { latencyNs: opts.latencyNs, bandwidthBps: opts.bandwidthBps, loss: opts.loss ?? 0 });
  const sink = new MemorySink();
  const world = new World(l, sink);
  const payload = Uint8Array.from({ length: opts.bytes }, (_, i) => (i * 7 + (i >> 8)) & 255);
  const r = { connectedAt: 0, doneAt: 0, received: new Uint8Array(opts.bytes), got: 0, end: '' };
  world.machine('server')!.kernel.startProgram(['sink'], function* () {
    const fd = (yield* sys.socket('stream', 'tcp')) as number;
    yield* sys.bind(fd, 0, 9000);
    yield* sys.listen(fd, 8);
    const a = (yield* sys.accept(fd)) as Accepted;
    if (opts.readDelayNs) yield* sys.nanosleep(opts.readDelayNs);
    // recvInto: one buffer of intoBuffer bytes for every read; else recv's fresh arrays.
    const buf = new Uint8Array(opts.intoBuffer ?? 0);
    for (;;) {
      const d = opts.intoBuffer ? yield* sys.recvInto(a.fd, buf) : yield* sys.recv(a.fd, 65536);
      if (isErr(d) || d === 0 || (typeof d !== 'number' && d.length === 0)) {
        r.end = isErr(d) ? d.name : 'EOF';
        break;
      }
      const got = typeof d === 'number' ? buf.subarray(0, d) : d;
      r.received.set(got, r.got);
      r.got += got.length;
    }
    r.doneAt = yield* sys.now();
    return 0;
  });
  world.machine('client')!.kernel.startProgram(['source'], function* () {
    const fd = (yield* sys.socket('stream', 'tcp')) as number;
    yield* sys.connect(fd, SERVER, 9000);
    r.connectedAt = yield* sys.now();
    for (let off = 0; off < payload.length; ) {
      const n = yield* sys.send(fd, payload.subarray(off, off + 65536));
      if (isErr(n)) return 1;
      off += n;
    }
    yield* sys.close(fd);
    return 0;
  });
  return { world, sink, payload, r };
}

describe('TCP bulk transfer', () => {
  it('1 MB over 10 Mbit/s with 20 ms latency takes about one second, as the bandwidth-delay product says', () => {
    const t = transfer({ latencyNs: 20 * MS, bandwidthBps: 10e6, bytes: MB });
    t.world.sched.runUntil(10 * SEC);
    expect(t.r.got).toBe(MB);
    expect(Buffer.from(t.r.received).equals(Buffer.from(t.payload))).toBe(true);
    // Expected: 1 MB in 1448-byte segments = 725 frames of 1514 B (+24 B preamble/FCS/gap) = 12.3 kbit
    // each, 1.23 ms at 10 Mbit/s: 0.89 s on the wire. RTT 40 ms, BDP 50 kB (35 segments): slow start
    // from 10 segments fills the pipe in about 2 RTTs, and the last byte needs half an RTT to arrive.
    // So about 0.89 + 0.08 + 0.02 = 0.99 s from connect() to EOF; allow 0.93 .. 1.10 s.
    const elapsed = (t.r.doneAt - t.r.connectedAt) / SEC;
    expect(elapsed).toBeGreaterThan(0.93);
    expect(elapsed).toBeLessThan(1.1);
  });

  it('recvInto reads into one reused buffer smaller than a segment: every byte arrives in order, then 0 at end of file', () => {
    const t = transfer({ latencyNs: MS, bandwidthBps: 100e6, bytes: 200_000, intoBuffer: 1000 });
    t.world.sched.runUntil(10 * SEC);
    expect(t.r.got).toBe(200_000);
    expect(Buffer.from(t.r.received).equals(Buffer.from(t.payload))).toBe(true);
    expect(t.r.end).toBe('EOF');
  });

  it('TCP Small Queues: the sender keeps at most three data packets in its NIC queue, the rest waits in the socket (tcp_small_queue_check)', () => {
    const t = transfer({ latencyNs: 20 * MS, bandwidthBps: 10e6, bytes: MB });
    t.world.sched.runUntil(10 * SEC);
    expect(t.r.got).toBe(MB);
    // The client's frames queue at its NIC back to back: each leaves when the previous one has left
    // and its own bits are out (frame + 24 B of preamble, FCS and gap at 10 Mbit/s).
    const sent = t.sink.frames.filter((f) => f.machine === 'client' && f.dir === 'tx');
    const hasData = (b: Uint8Array) => ((b[16]! << 8) | b[17]!) - 20 - (b[46]! >> 4) * 4 > 0;
    const queued: { departs: number; data: boolean }[] = [];
    let maxDepth = 0;
    for (const f of sent) {
      const start = Math.max(f.at, queued[queued.length - 1]?.departs ?? 0);
      queued.push({ departs: start + ((f.bytes.length + 24) * 8 * SEC) / 10e6, data: hasData(f.bytes) });
      // Data packets (TSQ charges those) still in the queue, this one included.
      maxDepth = Math.max(maxDepth, queued.filter((q) => q.data && q.departs > f.at).length);
    }
    // Limit: max(2 x truesize, 1 ms of pacing rate) = ~4.7 kB, about two full segments; one more
    // may be handed over while they are queued. Without TSQ a whole window (35+ segments) queues.
    expect(maxDepth).toBeGreaterThanOrEqual(2);
    expect(maxDepth).toBeLessThanOrEqual(3);
  });

  it('2% loss: every byte arrives intact, through retransmissions', () => {
    const t = transfer({ latencyNs: 5 * MS, bandwidthBps: 100e6, loss: 0.02, bytes: 256 * 1024 });
    t.world.sched.runUntil(60 * SEC);
    expect(t.r.got).toBe(256 * 1024);
    expect(Buffer.from(t.r.received).equals(Buffer.from(t.payload))).toBe(true);
    const client = t.world.machine('client')!.counters();
    expect(client.TcpRetransSegs).toBeGreaterThan(0);
  });

  it('a receiver that does not read closes the window to zero; the sender probes and resumes when it reads', () => {
    const t = transfer({ latencyNs: 1 * MS, bandwidthBps: 100e6, bytes: 400 * 1024, readDelayNs: 3 * SEC });
    t.world.sched.runUntil(2 * SEC);
    const srv = t.world.machine('server')!.sockets().find((s) => s.state === 'ESTABLISHED')!;
    expect(srv.recvQ).toBeGreaterThan(100 * 1024); // buffered, unread
    const zeroWindows = t.sink.frames.filter((f) => f.first && f.machine === 'server' && f.bytes[23] === 6 && f.bytes[48] === 0 && f.bytes[49] === 0);
    expect(zeroWindows.length).toBeGreaterThan(0);
    expect(t.world.machine('client')!.counters().TcpExtTCPWinProbe).toBeGreaterThan(0);
    t.world.sched.runUntil(30 * SEC);
    expect(t.r.got).toBe(400 * 1024);
    expect(Buffer.from(t.r.received).equals(Buffer.from(t.payload))).toBe(true);
  });
});

describe('recvInto on TCP (recv(2) into the caller buffer)', () => {
  it('a listener gives ENOTCONN; an empty buffer waits for data, then gives 0; a partial read leaves the rest queued; an RST gives ECONNRESET', () => {
    const world = new World(twoHosts(), new MemorySink());
    const log: string[] = [];
    world.machine('server')!.kernel.startProgram(['srv'], function* () {
      const l = (yield* sys.socket('stream', 'tcp')) as number;
      yield* sys.bind(l, 0, 9000);
      yield* sys.listen(l, 8);
      log.push(`listener ${shown(yield* sys.recvInto(l, new Uint8Array(8)))}`);
      const a = (yield* sys.accept(l)) as Accepted;
      const before = yield* sys.now();
      const empty = shown(yield* sys.recvInto(a.fd, new Uint8Array(0)));
      log.push(`empty buffer ${empty} after ${((yield* sys.now()) - before) / MS >= 10 ? 'the data came' : 'no wait'}`);
      const small = new Uint8Array(3);
      const n = (yield* sys.recvInto(a.fd, small)) as number;
      log.push(`read ${n} ${String.fromCharCode(...small.subarray(0, n))}`);
      const rest = (yield* sys.recv(a.fd, 100)) as Uint8Array;
      log.push(`rest ${String.fromCharCode(...rest)}`);
      log.push(`after reset ${shown(yield* sys.recvInto(a.fd, small))}`);
      return 0;
    });
    world.machine('client')!.kernel.startProgram(['cli'], function* () {
      const fd = (yield* sys.socket('stream', 'tcp')) as number;
      yield* sys.connect(fd, SERVER, 9000);
      yield* sys.nanosleep(10 * MS);
      yield* sys.send(fd, Uint8Array.from('hello', (c) => c.charCodeAt(0)));
      yield* sys.nanosleep(10 * MS);
      yield* sys.setsockopt(fd, 'SO_LINGER', { onoff: 1, linger: 0 });
      yield* sys.close(fd); // SO_LINGER 0: an RST
      return 0;
    });
    world.sched.runUntil(SEC);
    expect(log).toEqual(['listener ENOTCONN', 'empty buffer 0 after the data came', 'read 3 hel', 'rest lo', 'after reset ECONNRESET']);
  });
});

describe('reading a TCP socket that is not connected (tcp_recvmsg_locked)', () => {
  /** Run `client` on the client machine (and `server`, if given, on the server) for a second; its log. */
  function run(client: (log: string[]) => Program, server?: Program): string[] {
    const world = new World(twoHosts(), new MemorySink());
    const log: string[] = [];
    if (server) world.machine('server')!.kernel.startProgram(['srv'], server);
    world.machine('client')!.kernel.startProgram(['cli'], client(log));
    world.sched.runUntil(SEC);
    return log;
  }

  /** Listens on 9000 after 50 ms, accepts one connection and sends it 'hi' 20 ms later. */
  const lateServer: Program = function* () {
    const l = (yield* sys.socket('stream', 'tcp')) as number;
    yield* sys.nanosleep(50 * MS);
    yield* sys.bind(l, 0, 9000);
    yield* sys.listen(l, 8);
    const a = (yield* sys.accept(l)) as Accepted;
    yield* sys.nanosleep(20 * MS);
    yield* sys.send(a.fd, Uint8Array.from('hi', (c) => c.charCodeAt(0)));
    return 0;
  };

  it('never connected: ENOTCONN; after a refused blocking connect (tcp_disconnect) still ENOTCONN; shut down: end of file', () => {
    const log = run((log) =>
      function* () {
        const fd = (yield* sys.socket('stream', 'tcp')) as number;
        log.push(`fresh recv ${shown(yield* sys.recv(fd, 10))}`);
        yield* sys.bind(fd, 0, 5000);
        log.push(`bound recvInto ${shown(yield* sys.recvInto(fd, new Uint8Array(4)))}`);
        log.push(`connect to a closed port ${shown(yield* sys.connect(fd, SERVER, 9))}`);
        log.push(`then recv ${shown(yield* sys.recv(fd, 10))}`);
        log.push(`shutdown ${shown(yield* sys.shutdown(fd, 'rd'))}`);
        log.push(`then recv ${shown(yield* sys.recv(fd, 10))}`);
        return 0;
      },
    );
    expect(log).toEqual(['fresh recv ENOTCONN', 'bound recvInto ENOTCONN', 'connect to a closed port ECONNREFUSED', 'then recv ENOTCONN', 'shutdown ENOTCONN', 'then recv 0 bytes']);
  });

  it('a refused non-blocking connect: the first read reports the error, later ones end of file; connect reports the end, then starts anew', () => {
    const log = run(
      (log) =>
        function* () {
          const fd = (yield* sys.socket('stream', 'tcp')) as number;
          yield* sys.setNonblock(fd, true);
          log.push(`connect ${shown(yield* sys.connect(fd, SERVER, 9000))}`); // before the server listens
          yield* sys.nanosleep(10 * MS);
          log.push(`recv ${shown(yield* sys.recv(fd, 10))}`);
          log.push(`recv ${shown(yield* sys.recv(fd, 10))}`);
          yield* sys.nanosleep(90 * MS);
          yield* sys.setNonblock(fd, false);
          log.push(`connect again ${shown(yield* sys.connect(fd, SERVER, 9000))}`);
          log.push(`and again ${shown(yield* sys.connect(fd, SERVER, 9000))}`);
          log.push(`recv ${shown(yield* sys.recv(fd, 10))}`);
          return 0;
        },
      lateServer,
    );
    // The second connect reports the first one's end (its error was read: ECONNABORTED); the third starts anew.
    expect(log).toEqual(['connect EINPROGRESS', 'recv ECONNREFUSED', 'recv 0 bytes', 'connect again ECONNABORTED', 'and again 0', 'recv 2 bytes']);
  });

  it('a connection that has ended cannot be connected again (EISCONN), nor can an accepted socket', () => {
    const accepted: string[] = [];
    const log = run(
      (log) =>
        function* () {
          yield* sys.nanosleep(60 * MS); // the server listens by then
          const fd = (yield* sys.socket('stream', 'tcp')) as number;
          log.push(`connect ${shown(yield* sys.connect(fd, SERVER, 9000))}`);
          log.push(`recv ${shown(yield* sys.recv(fd, 10))}`);
          log.push(`recv ${shown(yield* sys.recv(fd, 10))}`); // the server's FIN
          log.push(`shutdown ${shown(yield* sys.shutdown(fd, 'wr'))}`);
          yield* sys.nanosleep(10 * MS);
          log.push(`connect again ${shown(yield* sys.connect(fd, SERVER, 9000))}`);
          return 0;
        },
      function* () {
        const l = (yield* sys.socket('stream', 'tcp')) as number;
        yield* sys.nanosleep(50 * MS);
        yield* sys.bind(l, 0, 9000);
        yield* sys.listen(l, 8);
        const a = (yield* sys.accept(l)) as Accepted;
        yield* sys.send(a.fd, Uint8Array.from('hi', (c) => c.charCodeAt(0)));
        // The connection ends (both FINs) before the accepted socket connects: only having carried
        // one, not its state, makes that EISCONN.
        yield* sys.shutdown(a.fd, 'wr');
        yield* sys.recv(a.fd, 10);
        yield* sys.nanosleep(10 * MS);
        accepted.push(`accepted connects ${shown(yield* sys.connect(a.fd, a.addr, 9))}`);
        return 0;
      },
    );
    expect(log).toEqual(['connect 0', 'recv 2 bytes', 'recv 0 bytes', 'shutdown 0', 'connect again EISCONN']);
    expect(accepted).toEqual(['accepted connects EISCONN']);
  });

  it('a non-blocking connect that succeeded: the next connect reports 0, the one after EISCONN (__inet_stream_connect)', () => {
    const log = run(
      (log) =>
        function* () {
          yield* sys.nanosleep(60 * MS); // the server listens by then
          const fd = (yield* sys.socket('stream', 'tcp')) as number;
          yield* sys.setNonblock(fd, true);
          log.push(`connect ${shown(yield* sys.connect(fd, SERVER, 9000))}`);
          yield* sys.nanosleep(10 * MS);
          log.push(`connect ${shown(yield* sys.connect(fd, SERVER, 9000))}`);
          log.push(`connect ${shown(yield* sys.connect(fd, SERVER, 9000))}`);
          return 0;
        },
      lateServer,
    );
    expect(log).toEqual(['connect EINPROGRESS', 'connect 0', 'connect EISCONN']);
  });

  it('SO_ERROR takes the error of a failed connect once (sock_error); the closed socket polls IN, OUT and HUP (tcp_poll)', () => {
    const log = run((log) =>
      function* () {
        const fd = (yield* sys.socket('stream', 'tcp')) as number;
        yield* sys.setNonblock(fd, true);
        yield* sys.connect(fd, SERVER, 9);
        yield* sys.nanosleep(10 * MS);
        const r = yield* sys.poll([{ fd, events: POLLIN | POLLOUT }], 0);
        log.push(`poll ${isErr(r) ? r.name : pollNames(r[0]!.revents)}`);
        log.push(`SO_ERROR ${String(yield* sys.getsockopt(fd, 'SO_ERROR'))}`);
        log.push(`SO_ERROR ${String(yield* sys.getsockopt(fd, 'SO_ERROR'))}`);
        log.push(`recv ${shown(yield* sys.recv(fd, 10))}`);
        return 0;
      },
    );
    expect(log).toEqual(['poll IN|OUT|ERR|HUP', 'SO_ERROR 111', 'SO_ERROR 0', 'recv 0 bytes']);
  });
});
