// Whole-lab tests against the real Linux captures: each scenario's scripts from
// ../shared/linux-truth/scripts mirrored as programs on our stack, the trace taken at the server's
// NIC (where Linux's was), and the golden catalogue's checks (AS-xx) run on it.
import { describe, expect, it } from 'vitest';
import { bytes, lab, SERVER } from '../engine/transport/tcp/test/harness';
import { isErr, sys, type Accepted, type Sys } from '../engine/process';
import { MS, SEC } from '../engine/sim';
import { INIT_PID, Tty } from '../engine/process';
import { linuxTruthDir, normalizeEvents, parseSs, runScenario, type GoldenRun, type SsTable } from './golden';

const truth = linuxTruthDir();
if (!truth) console.log('../shared/linux-truth is absent: the golden-capture comparisons are skipped');

/**
 * Our `ss`, run inside the machines at the real scripts' snapshot instants and written out like
 * the truth files ("===== t=+0.7 s =====", "--- server ss -ltn"), so the same parser reads both.
 */
function ssSnapshots(l: ReturnType<typeof lab>, t0: number, plan: { at: number; host: 'server' | 'client'; args: string }[]): () => SsTable[] {
  const blocks: string[] = [];
  for (const snap of plan) {
    l.world.sched.at(t0 + snap.at * SEC, () => {
      const m = l.world.machine(snap.host)!;
      let out = '';
      const tty = new Tty('/dev/pts/9', { output: (s) => (out += s), interrupt: () => {} });
      const of = m.kernel.open(tty);
      m.kernel.spawn(['ss', ...snap.args.split(' ')], INIT_PID, [of, of, of]);
      l.world.sched.after(1, () => blocks.push(`===== t=+${snap.at} s =====\n--- ${snap.host} ss ${snap.args}\n${out.replace(/\r\n/g, '\n')}`));
    });
  }
  return () => parseSs(blocks.join('\n')).tables;
}

function goldenRun(l: ReturnType<typeof lab>, ss?: () => SsTable[]): GoldenRun {
  const server = l.world.machine('server')!;
  return {
    trace: normalizeEvents(l.sink.frames, { machine: 'server', nic: 'eth0' }, { clientIp: '10.0.0.1' }),
    counters: server.counters(),
    ss: ss?.(),
  };
}

function expectScenario(id: string, run: GoldenRun): void {
  const r = runScenario(id, run);
  const failed = r.results.filter((x) => x.status === 'fail');
  expect(failed.map((f) => `${f.id}: ${f.detail}`), r.report).toEqual([]);
  expect(r.results.filter((x) => x.status === 'pass').length).toBeGreaterThan(0);
}

describe.skipIf(!truth)('our stack against the real-kernel captures', () => {
  it('scenario a (AS-01..04): two clients, hello both ways, 4- then 3-segment close', () => {
    const l = lab(15_000);
    // a_server.py handles each connection in a thread of one process (fds 4 and 5); we have no
    // threads, so one process runs the same steps from a poll loop.
    l.run('server', function* () {
      const L = (yield* sys.socket('stream', 'tcp')) as number;
      yield* sys.setsockopt(L, 'SO_REUSEADDR', 1);
      yield* sys.bind(L, SERVER, 5000);
      yield* sys.listen(L, 128);
      type Conn = { fd: number; idx: number; step: 'hello' | 'eof' | 'wait'; closeAt?: number };
      const conns: Conn[] = [];
      let accepted = 0;
      while (accepted < 2 || conns.length) {
        const now = yield* sys.now();
        for (const c of [...conns]) {
          if (c.step === 'wait' && now >= c.closeAt!) {
            yield* sys.close(c.fd);
            conns.splice(conns.indexOf(c), 1);
          }
        }
        const waits = conns.filter((c) => c.step === 'wait').map((c) => c.closeAt! - now);
        const fds = [...(accepted < 2 ? [{ fd: L, events: 1 }] : []), ...conns.filter((c) => c.step !== 'wait').map((c) => ({ fd: c.fd, events: 1 }))];
        const ready = yield* sys.poll(fds, waits.length ? Math.max(0, Math.min(...waits)) : null);
        if (isErr(ready)) return 1;
        for (const r of ready) {
          if (r.fd === L) {
            const a = (yield* sys.accept(L)) as Accepted;
            conns.push({ fd: a.fd, idx: ++accepted, step: 'hello' });
            continue;
          }
          const c = conns.find((x) => x.fd === r.fd)!;
          const d = yield* sys.recv(c.fd, 100);
          if (c.step === 'hello') {
            yield* sys.send(c.fd, bytes('hello from server'));
            c.step = 'eof';
          } else if (!isErr(d) && d.length === 0) {
            c.step = 'wait';
            c.closeAt = (yield* sys.now()) + (c.idx === 1 ? 500 * MS : 0);
          }
        }
      }
      yield* sys.nanosleep(8 * SEC);
      return 0;
    }, 'python3');
    for (const idx of [1, 2]) {
      l.run('client', function* () {
        yield* sys.nanosleep((500 + (idx - 1) * 200) * MS);
        const s = (yield* sys.socket('stream', 'tcp')) as number;
        yield* sys.connect(s, SERVER, 5000);
        yield* sys.send(s, bytes(`hello from client ${idx}`));
        yield* sys.recv(s, 100);
        const now = yield* sys.now();
        yield* sys.nanosleep(500 * MS + (2 + idx) * SEC - now);
        yield* sys.close(s);
        return 0;
      }, 'python3');
    }
    // run_a.sh: T0 = 0.5 s after the server; snapshots at +1.7 s and +5.7 s.
    const ss = ssSnapshots(l, 500 * MS, [
      { at: 1.7, host: 'server', args: '-tanpo' },
      { at: 1.7, host: 'client', args: '-tanpo' },
      { at: 5.7, host: 'server', args: '-tanpo' },
      { at: 5.7, host: 'client', args: '-tanpo' },
    ]);
    l.world.sched.runUntil(10 * SEC);
    expectScenario('a', goldenRun(l, ss));
  });

  it('scenario c (AS-08): UDP to closed ports, ECONNREFUSED once, the ICMP rate limit on a burst of 10', () => {
    const l = lab(15_000);
    l.run('client', function* () {
      const u = (yield* sys.socket('dgram', 'udp')) as number;
      yield* sys.sendto(u, bytes('ping-unconnected'), SERVER, 6000);
      yield* sys.poll([{ fd: u, events: 1 }], 500 * MS);
      yield* sys.nanosleep(1200 * MS);
      const c = (yield* sys.socket('dgram', 'udp')) as number;
      yield* sys.connect(c, SERVER, 6001);
      yield* sys.send(c, bytes('ping-connected'));
      yield* sys.nanosleep(200 * MS);
      yield* sys.recv(c, 100);
      yield* sys.send(c, bytes('again'));
      yield* sys.nanosleep(1500 * MS);
      const b = (yield* sys.socket('dgram', 'udp')) as number;
      for (let i = 0; i < 10; i++) yield* sys.sendto(b, bytes(`burst${i}`), SERVER, 6000);
      return 0;
    }, 'python3');
    l.world.sched.runUntil(6 * SEC);
    expectScenario('c', goldenRun(l));
  });

  it('scenario d1 (AS-09, AS-15): listen(1), never accept, four clients 0.3 s apart, close at +10.5 s', () => {
    const l = lab(15_000);
    l.run('server', function* () {
      const L = (yield* sys.socket('stream', 'tcp')) as number;
      yield* sys.setsockopt(L, 'SO_REUSEADDR', 1);
      yield* sys.bind(L, SERVER, 5010);
      yield* sys.listen(L, 1);
      yield* sys.nanosleep(10_500 * MS);
      yield* sys.close(L);
      yield* sys.nanosleep(3 * SEC);
      return 0;
    }, 'python3');
    for (let i = 1; i <= 4; i++) {
      l.run('client', function* () {
        yield* sys.nanosleep((i - 1) * 300 * MS);
        const s = (yield* sys.socket('stream', 'tcp')) as number;
        yield* sys.setNonblock(s, true);
        yield* sys.connect(s, SERVER, 5010);
        const ready = yield* sys.poll([{ fd: s, events: 4 }], 10_500 * MS - (yield* sys.now()));
        if (isErr(ready) || ready.length === 0) {
          yield* sys.nanosleep(12_500 * MS - (yield* sys.now())); // still SYN-SENT: the script keeps its socket to the end
          return 0;
        }
        yield* sys.nanosleep(11_500 * MS - (yield* sys.now()));
        yield* sys.send(s, bytes(`ping-${i}`));
        yield* sys.nanosleep(SEC);
        yield* sys.recv(s, 100);
        return 0;
      }, 'python3');
    }
    const ss = ssSnapshots(l, 0, [
      ...[0.7, 2.5, 5, 9.8].flatMap((at) => [
        { at, host: 'server' as const, args: '-ltn' },
        { at, host: 'server' as const, args: '-tan' },
        { at, host: 'client' as const, args: '-tano' },
      ]),
      { at: 11, host: 'server', args: '-tan' },
    ]);
    l.world.sched.runUntil(14 * SEC);
    expectScenario('d1', goldenRun(l, ss));
  });

  it('scenario e/close (AS-19): fork after accept; the parent close() sends nothing; the child closes last', () => {
    const l = lab(15_000);
    l.run('server', function* () {
      const L = (yield* sys.socket('stream', 'tcp')) as number;
      yield* sys.bind(L, SERVER, 5020);
      yield* sys.listen(L, 8);
      const a = (yield* sys.accept(L)) as Accepted;
      const at = function* (t: number) {
        yield* sys.nanosleep(Math.max(0, t - (yield* sys.now())));
      };
      yield* sys.fork(function* () {
        yield* at(3 * SEC);
        yield* sys.send(a.fd, bytes('child still owns the connection'));
        yield* at(4 * SEC);
        yield* sys.close(a.fd);
        yield* sys.nanosleep(10 * SEC);
        return 0;
      });
      yield* at(2 * SEC);
      yield* sys.close(a.fd);
      yield* sys.nanosleep(10 * SEC);
      return 0;
    }, 'python3');
    l.run('client', function* () {
      yield* sys.nanosleep(500 * MS);
      const s = (yield* sys.socket('stream', 'tcp')) as number;
      yield* sys.connect(s, SERVER, 5020);
      for (;;) {
        const d = yield* sys.recv(s, 100);
        if (isErr(d) || d.length === 0) break;
      }
      yield* sys.nanosleep(300 * MS);
      yield* sys.close(s);
      return 0;
    }, 'python3');
    l.world.sched.runUntil(8 * SEC);
    expectScenario('e/close', goldenRun(l));
  });
});

describe.skipIf(!truth)('RST cases and listen(0) against the real-kernel captures', () => {
  /** b_server.py + b_rst.py: the server listens at 0, the client starts 0.3 s later. */
  function bCase(port: number, server: (c: number) => Sys<void>, client: (s: number) => Sys<void>) {
    const l = lab(15_000);
    l.run('server', function* () {
      const L = (yield* sys.socket('stream', 'tcp')) as number;
      yield* sys.setsockopt(L, 'SO_REUSEADDR', 1);
      yield* sys.bind(L, SERVER, port);
      yield* sys.listen(L, 8);
      const c = (yield* sys.accept(L)) as Accepted;
      yield* server(c.fd);
      yield* sys.nanosleep(1500 * MS);
      return 0;
    }, 'python3');
    l.run('client', function* () {
      yield* sys.nanosleep(300 * MS);
      const s = (yield* sys.socket('stream', 'tcp')) as number;
      yield* sys.connect(s, SERVER, port);
      yield* client(s);
      return 0;
    }, 'python3');
    l.world.sched.runUntil(5 * SEC);
    return l;
  }

  it('b/closed_port (AS-05)', () => {
    const l = lab(15_000);
    l.run('client', function* () {
      const s = (yield* sys.socket('stream', 'tcp')) as number;
      yield* sys.connect(s, SERVER, 5001);
      return 0;
    }, 'python3');
    l.world.sched.runUntil(SEC);
    expectScenario('b/closed_port', goldenRun(l));
  });

  it('b/unread_close (AS-17a): close() with 27 unread bytes sends R. instead of FIN', () => {
    const l = bCase(
      5002,
      function* (c) {
        yield* sys.nanosleep(300 * MS);
        yield* sys.close(c);
      },
      function* (s) {
        yield* sys.send(s, bytes('data the server never reads'));
        yield* sys.nanosleep(SEC);
        yield* sys.recv(s, 100);
      },
    );
    expectScenario('b/unread_close', goldenRun(l));
  });

  it('b/data_after_close (AS-18): data to an orphaned socket gets R seq=SEG.ACK; EPIPE after', () => {
    const l = bCase(
      5003,
      function* (c) {
        yield* sys.nanosleep(200 * MS);
        yield* sys.close(c);
      },
      function* (s) {
        yield* sys.recv(s, 100);
        yield* sys.nanosleep(500 * MS);
        yield* sys.send(s, bytes('late data'));
        yield* sys.nanosleep(500 * MS);
        for (let i = 0; i < 2; i++) {
          yield* sys.send(s, bytes('more'));
          yield* sys.nanosleep(200 * MS);
        }
      },
    );
    expectScenario('b/data_after_close', goldenRun(l));
  });

  it('b/linger0 (AS-17b): SO_LINGER {1, 0} close() sends R. at once', () => {
    const l = bCase(
      5004,
      function* (c) {
        yield* sys.recv(c, 100);
      },
      function* (s) {
        yield* sys.setsockopt(s, 'SO_LINGER', { onoff: 1, linger: 0 });
        yield* sys.nanosleep(200 * MS);
        yield* sys.close(s);
      },
    );
    expectScenario('b/linger0', goldenRun(l));
  });

  it('h (AS-10): listen(0) completes one connection; the others get no reply', () => {
    const l = lab(15_000);
    l.run('server', function* () {
      const L = (yield* sys.socket('stream', 'tcp')) as number;
      yield* sys.bind(L, SERVER, 5110);
      yield* sys.listen(L, 0);
      yield* sys.nanosleep(4 * SEC);
      return 0;
    }, 'python3');
    l.run('client', function* () {
      yield* sys.nanosleep(300 * MS);
      for (let i = 0; i < 3; i++) {
        const s = (yield* sys.socket('stream', 'tcp')) as number;
        yield* sys.setNonblock(s, true);
        yield* sys.connect(s, SERVER, 5110);
        yield* sys.nanosleep(300 * MS);
      }
      yield* sys.nanosleep(SEC);
      return 0;
    }, 'python3');
    l.world.sched.runUntil(6 * SEC);
    expectScenario('h', goldenRun(l));
  });
});
