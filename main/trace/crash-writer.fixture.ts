// Test fixture for crash.test.ts: writes a trace file through the writer thread without end, saying
// on stdout how many frames were committed at each flush, until it is killed.
import { pingFrame, H1, H2 } from './test-lab';
import { TraceStore } from './store';
import { IcmpType } from '../../shared/wire';

const path = process.argv[2]!;
const store = TraceStore.open(path, { lab: 'crash', seed: 1, startedWallMs: 0, batchSize: 50 });
let id = 0;
for (let round = 0; ; round++) {
  for (let i = 0; i < 200; i++) {
    id++;
    store.frame({ at: id * 1000, frameId: id, first: true, machine: 'h1', nic: 'eth0', dir: 'tx', bytes: pingFrame(IcmpType.ECHO_REQUEST, H1, H2, id & 0xffff) });
    store.frame({ at: id * 1000 + 500, frameId: id, first: false, machine: 'h2', nic: 'eth0', dir: 'rx', bytes: pingFrame(IcmpType.ECHO_REQUEST, H1, H2, id & 0xffff) });
  }
  store.flush();
  process.stdout.write(`committed ${id}\n`);
}
