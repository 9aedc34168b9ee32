// One server holding 100,000 concurrent established connections on ONE listening port (sockets are
// told apart by the 4-tuple, not limited by 65,535 port numbers): memory per connection and
// connections set up per wall-second. Eight client machines open 12,500 connections each (one address has
// 14,116 even ephemeral ports; past them every connect() scans the even ports first, as Linux does).
import { nullSink } from '../shared/trace';
import { World } from '../main/engine';
import { isErr, sys, type Sys } from '../main/engine/process';
import { report } from './harness';
import { star, starAddr } from './tcp-labs';

export function benchTcpConnections(total = 100_000, clients = 8): void {
  const lab = star(clients + 1, 1e9, 1000);
  const world = new World(lab, nullSink);
  const serverAddr = starAddr(clients);
  world.machine(`h${clients}`)!.kernel.startProgram(['server'], function* (): Sys<number> {
    yield* sys.setrlimitNofile(1_048_576); // like any server that holds many connections (ulimit -n)
    const l = (yield* sys.socket('stream', 'tcp')) as number;
    yield* sys.bind(l, 0, 80);
    yield* sys.listen(l, 4096);
    for (;;) if (isErr(yield* sys.accept(l))) return 1;
  });
  world.sched.runFor(1e6);
  if (!global.gc) throw new Error('tcp-conns reads the heap after a collection: run it with --expose-gc (npm run bench does)');
  global.gc();
  const heap0 = process.memoryUsage().heapUsed;
  let established = 0;
  const per = total / clients;
  for (let c = 0; c < clients; c++) {
    world.machine(`h${c}`)!.kernel.startProgram(['client'], function* (): Sys<number> {
      yield* sys.setrlimitNofile(1_048_576);
      for (let i = 0; i < per; i++) {
        const fd = yield* sys.socket('stream', 'tcp');
        if (isErr(fd)) return 1;
        const r = yield* sys.connect(fd, serverAddr, 80);
        if (isErr(r)) return 2;
        established++;
      }
      yield* sys.nanosleep(1e12);
      return 0;
    });
  }
  const t0 = performance.now();
  while (established < total && world.now < 3600e9) world.sched.runFor(100e6);
  const secs = (performance.now() - t0) / 1000;
  global.gc();
  const heap1 = process.memoryUsage().heapUsed;
  const server = world.machine(`h${clients}`)!;
  const serverConns = server.tcp.socks.size - 1;
  report({
    name: 'tcp-100k-connections.setup-per-wall-second',
    figure: established / secs,
    unit: 'connections/s',
    notes: { established, serverSocketsOnPort80: serverConns, wallSeconds: Number(secs.toFixed(1)) },
  });
  report({
    name: 'tcp-100k-connections.heap-per-connection',
    figure: (heap1 - heap0) / (2 * established),
    unit: 'bytes (both ends counted, per socket)',
    notes: { heapDeltaMB: Math.round((heap1 - heap0) / 2 ** 20), sockets: 2 * established },
  });
}
