// Run a lab as fast as possible without a UI: until every scripted command has finished (or until
// `untilNs`), then report what each command printed. Used by the CLI and the benchmarks.
import type { ResolvedLab } from '../../shared/lab';
import { NODE_PROGRAMS } from './programs';
import type { TraceSink } from '../../shared/trace';
import { ScriptRunner, World, type ScriptRun } from '../engine';

/** Without --until, a run that never finishes (a server waiting forever) stops here. */
export const DEFAULT_LIMIT_NS = 600e9;

export interface HeadlessResult {
  world: World;
  runs: ScriptRun[];
  endedAtNs: number;
}

export function runHeadless(lab: ResolvedLab, sink: TraceSink, untilNs?: number): HeadlessResult {
  const world = new World(lab, sink, NODE_PROGRAMS);
  const script = new ScriptRunner(world, lab.script);
  if (untilNs !== undefined) {
    world.sched.runUntil(untilNs);
  } else {
    const { sched } = world;
    while (!script.done) {
      const next = sched.nextTime();
      if (next === null || next > DEFAULT_LIMIT_NS) break;
      sched.step();
    }
  }
  return { world, runs: script.runs, endedAtNs: world.now };
}

/** Seconds with millisecond precision: "1.000s". */
export function formatSeconds(ns: number): string {
  return `${(ns / 1e9).toFixed(3)}s`;
}

/** The CLI transcript: `[1.000s client]$ ping -c 3 10.0.0.2` and then what the command printed. */
export function formatTranscript(r: HeadlessResult): string {
  return r.runs
    .map((run) => {
      const head = `[${formatSeconds(run.entry.atNs)} ${run.entry.on}]$ ${run.entry.run}\n`;
      const body = run.output.replace(/\r\n/g, '\n').replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
      const tail = run.finishedAt === null ? `(still running at ${formatSeconds(r.endedAtNs)})\n` : '';
      return head + body + (body && !body.endsWith('\n') && tail ? '\n' : '') + tail;
    })
    .join('');
}
