// TCP bulk transfer of 100 MB between two machines over a 1 Gbps, 50 us link, with the SQLite trace
// on: frames on the wire per wall-second. Peer: ns-3 `bulk2 --link=p2p --rate=1Gbps --bytes=100000000 --pcap=1`.
import { report } from './harness';
import { countingSink, TRACE_NOTE, traceFile } from './trace-file';
import { bulkLab } from './tcp-labs';

export function benchTcpBulk(bytes = 100_000_000, trace = true): void {
  const t = trace ? traceFile() : null;
  const store = t?.store;
  const counted = countingSink(store);
  const { world, received } = bulkLab(counted.sink, bytes);
  const t0 = performance.now();
  while (received() < bytes && world.now < 120e9) world.sched.runFor(10e6);
  store?.flush(); // everything committed: the writer thread's work is inside the timed run
  const secs = (performance.now() - t0) / 1000;
  const frames = counted.frames();
  if (received() !== bytes) throw new Error(`bulk transfer incomplete: ${received()} of ${bytes}`);
  report({
    name: `tcp-bulk-${bytes / 1e6}MB-1Gbps.frames-per-wall-second.${trace ? 'sqlite-trace' : 'no-trace'}`,
    figure: frames / secs,
    unit: 'frames/s',
    notes: { frames, wallSeconds: Number(secs.toFixed(2)), virtualSeconds: Number((world.now / 1e9).toFixed(3)), goodputMbps: Math.round((bytes * 8) / (world.now / 1e9) / 1e6), captureRowsPerFrame: 2, ...(trace ? { store: TRACE_NOTE } : {}) },
  });
  t?.dispose();
}
