// Writes a trace file of at least N wire frames from a real lab, as `run --db` would: a bulk TCP
// transfer over a 1 Gbps, 50 us link, every frame at both NICs (2 capture rows per frame) with the
// receiver's delivery records. For the UI benchmark on a 1,000,000-frame trace:
//   node --import tsx bench/ui/bulk-trace.ts FILE N
import { TraceStore } from '../../main/trace';
import { bulkLab } from '../tcp-labs';
import { countingSink } from '../trace-file';

function writeBulkTrace(path: string, frames: number): number {
  const store = TraceStore.open(path, { lab: `Bulk TCP, ${frames} frames`, seed: 1, startedWallMs: 0 });
  const counted = countingSink(store);
  // More bytes than the frames will carry: the trace ends mid-transfer, at the frame count.
  const { world } = bulkLab(counted.sink, frames * 1500);
  while (counted.frames() < frames && world.now < 600e9) world.sched.runFor(1e6);
  store.close();
  const wire = counted.frames();
  if (wire < frames) throw new Error(`the bulk lab made ${wire} frames in 600 s of lab time, not ${frames}`);
  return wire;
}

const [file, n] = process.argv.slice(2);
if (!file || !(Number(n) > 0)) {
  process.stderr.write('usage: node --import tsx bench/ui/bulk-trace.ts FILE FRAMES (FRAMES > 0)\n');
  process.exit(2);
}
process.stdout.write(`${writeBulkTrace(file, Number(n))}\n`);
