// 1,000 machines on one switch with 500 concurrent 1 MB TCP flows: frames per wall-second and peak
// memory. Peer: ns-3 `star --topo=bridge --mode=tcp --n=1000 --tcpBytes=1000000`.
import { nullSink, type TraceSink } from '../shared/trace';
import { World } from '../main/engine';
import { report } from './harness';
import { bulkSender, sinkServer, star, starAddr } from './tcp-labs';

export function benchTcpStar(n = 1000, flowBytes = 1_000_000): void {
  // ns-3 counts a frame on every link it crosses (host->switch, switch->host): count transmissions.
  let frames = 0;
  const sink: TraceSink = { frame: (e) => void (e.dir === 'tx' && frames++), kernel: nullSink.kernel };
  const rssBefore = process.memoryUsage().rss;
  const world = new World(star(n), sink);
  let done = 0;
  const flows = n / 2;
  for (let i = 0; i < flows; i++) {
    const server = i + flows;
    world.machine(`h${server}`)!.kernel.startProgram(['sink'], sinkServer(9, (b) => b === flowBytes && done++));
    world.machine(`h${i}`)!.kernel.startProgram(['bulk'], bulkSender(starAddr(server), 9, flowBytes));
  }
  let peak = process.memoryUsage().rss;
  const t0 = performance.now();
  while (done < flows && world.now < 600e9) {
    world.sched.runFor(50e6);
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  const secs = (performance.now() - t0) / 1000;
  report({
    name: 'tcp-star-1000-hosts-500-flows.frames-per-wall-second',
    figure: frames / secs,
    unit: 'frames/s',
    notes: { wireFrames: frames, flowsDone: done, flows, wallSeconds: Number(secs.toFixed(1)), virtualSeconds: Number((world.now / 1e9).toFixed(2)), peakRssMB: Math.round(peak / 2 ** 20), rssBeforeMB: Math.round(rssBefore / 2 ** 20), trace: 'off (counted only)' },
  });
}
