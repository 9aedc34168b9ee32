// Display filters on a large trace: a 20 MB TCP bulk transfer traced to a SQLite file, then each
// filter applied from scratch as the packet list does (FilterView: the default view's columns,
// chunk by chunk). Figure: frames filtered per wall-second. Issue 6's goal is a 1,000,000-frame trace that
// never stalls the UI; this says how long a first filter over such a trace takes.
import { FilterView } from '../main/trace';
import { report } from './harness';
import { TRACE_NOTE, traceFile } from './trace-file';
import { bulkLab } from './tcp-labs';

const FILTERS = ['tcp.flags.syn == 1', 'tcp.stream == 0 and tcp.len > 1000 and ip.src == 10.0.0.1', 'lab.drop_reason'];

export function benchTraceFilter(bytes = 20_000_000): void {
  const t = traceFile();
  const { world, received } = bulkLab(t.store, bytes);
  while (received() < bytes && world.now < 120e9) world.sched.runFor(10e6);
  t.store.flush();
  const frames = t.store.countFrames();
  for (const text of FILTERS) {
    const view = FilterView.create(text);
    if (!(view instanceof FilterView)) throw new Error(view.message);
    const t0 = performance.now();
    view.advance(t.store);
    const secs = (performance.now() - t0) / 1000;
    report({ name: `trace-filter.${text}`, figure: frames / secs, unit: 'frames/s', notes: { frames, matched: view.matches.length, wallSeconds: Number(secs.toFixed(2)), store: TRACE_NOTE } });
  }
  t.dispose();
}
