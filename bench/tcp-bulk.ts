// TCP bulk transfer of 100 MB between two machines over a 1 Gbps, 50 us link, with the SQLite trace
// on: frames on the wire per wall-second. Peer: ns-3 `bulk2 --link=p2p --rate=1Gbps --bytes=100000000 --pcap=1`.
import type { TraceSink } from '../shared/trace';
import { World } from '../main/engine';
import { report } from './harness';
import { TRACE_NOTE, traceFile } from './trace-file';
import { bulkSender, ip, pointToPoint, sinkServer } from './tcp-labs';

export function benchTcpBulk(bytes = 100_000_000, trace = true): void {
  const t = trace ? traceFile() : null;
  const store = t?.store;
  let frames = 0;
  const sink: TraceSink = {
    frame: (e) => {
      if (e.first) frames++;
      store?.frame(e);
    },
    kernel: (e) => store?.kernel(e),
  };
  const world = new World(pointToPoint(1e9, 50_000), sink);
  let received = 0;
  world.machine('b')!.kernel.startProgram(['sink'], sinkServer(9, (n) => (received = n)));
  world.machine('a')!.kernel.startProgram(['bulk'], bulkSender(ip(10, 0, 0, 2), 9, bytes));
  const t0 = performance.now();
  while (received < bytes && world.now < 120e9) world.sched.runFor(10e6);
  store?.flush(); // everything committed: the writer thread's work is inside the timed run
  const secs = (performance.now() - t0) / 1000;
  if (received !== bytes) throw new Error(`bulk transfer incomplete: ${received} of ${bytes}`);
  report({
    name: `tcp-bulk-${bytes / 1e6}MB-1Gbps.frames-per-wall-second.${trace ? 'sqlite-trace' : 'no-trace'}`,
    figure: frames / secs,
    unit: 'frames/s',
    notes: { frames, wallSeconds: Number(secs.toFixed(2)), virtualSeconds: Number((world.now / 1e9).toFixed(3)), goodputMbps: Math.round((bytes * 8) / (world.now / 1e9) / 1e6), captureRowsPerFrame: 2, ...(trace ? { store: TRACE_NOTE } : {}) },
  });
  t?.dispose();
}
