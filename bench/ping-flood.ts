// Frames simulated per wall-second for a ping flood between two hosts (ping -f style, virtual time
// as fast as possible), with and without the SQLite trace.
import { parseLab } from '../shared/lab';
import { nullSink, type TraceSink } from '../shared/trace';
import { runHeadless } from '../main/service';
import { median, report } from './harness';
import { countingSink, TRACE_NOTE, traceFile } from './trace-file';

const PINGS = 20_000;

const LAB = JSON.stringify({
  format: 'packet-lab/1',
  name: 'ping flood',
  seed: 1,
  machines: [
    { id: 'a', kind: 'host', nics: [{ name: 'eth0', ip: '10.0.0.1/24' }] },
    { id: 'b', kind: 'host', nics: [{ name: 'eth0', ip: '10.0.0.2/24' }] },
  ],
  links: [{ a: 'a:eth0', b: 'b:eth0', latency: '50us', bandwidth: '1Gbps' }],
  script: [{ at: '0s', on: 'a', run: `ping -f -q -c ${PINGS} 10.0.0.2` }],
});

function once(makeSink: () => { sink: TraceSink; done(): void }): { framesPerSec: number; frames: number; eventsPerFrame: number } {
  const r = parseLab(LAB);
  if (!r.ok) throw new Error('bench lab invalid');
  const { sink, done } = makeSink();
  const counted = countingSink(sink);
  const t0 = performance.now();
  const res = runHeadless(r.lab, counted.sink);
  done();
  const secs = (performance.now() - t0) / 1000;
  const frames = counted.frames();
  if (!res.runs[0]!.output.includes(`${PINGS} received`)) throw new Error(`flood incomplete: ${res.runs[0]!.output.slice(-200)}`);
  return { framesPerSec: frames / secs, frames, eventsPerFrame: res.world.sched.executed / frames };
}

export function benchPingFlood(): void {
  let last = { frames: 0, eventsPerFrame: 0 };
  const without = median(3, () => {
    const r = once(() => ({ sink: nullSink, done: () => {} }));
    last = r;
    return r.framesPerSec;
  });
  report({ name: 'ping-flood.frames-per-wall-second.no-trace', figure: without, unit: 'frames/s', notes: { frames: last.frames, eventsPerFrame: Number(last.eventsPerFrame.toFixed(2)), captureRowsPerFrame: 2 } });
  const withTrace = median(3, () =>
    once(() => {
      const t = traceFile();
      return { sink: t.store, done: () => t.dispose() };
    }).framesPerSec,
  );
  report({ name: 'ping-flood.frames-per-wall-second.sqlite-trace', figure: withTrace, unit: 'frames/s', notes: { frames: last.frames, store: TRACE_NOTE, captureRowsPerFrame: 2 } });
}
