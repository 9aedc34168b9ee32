// Run a two-host lab (client 10.0.0.1, server 10.0.0.2) with a script and return each entry's
// terminal transcript (LF line ends, no escape sequences). Test helper.
import type { ResolvedLab, ResolvedMachine } from '../../../shared/lab/types';
import type { Program } from '../process';
import { ScriptRunner } from '../script';
import { SEC } from '../sim';
import { World } from '../world';
import { MemorySink, twoHosts } from './lab-fixtures';

export interface Step {
  at: number;
  on: string;
  run: string;
  input?: string[];
}

export function runSteps(steps: Step[], opts: { until?: number; lab?: (l: ResolvedLab) => void; machine?: Partial<Record<string, Partial<ResolvedMachine>>>; programs?: Record<string, Program> } = {}) {
  const lab = twoHosts(steps.map((s) => ({ atNs: s.at * SEC, on: s.on, run: s.run, input: s.input ?? [] })));
  for (const m of lab.machines) Object.assign(m, opts.machine?.[m.id] ?? {});
  opts.lab?.(lab);
  const sink = new MemorySink();
  const world = new World(lab, sink, opts.programs);
  const script = new ScriptRunner(world, world.lab.script);
  world.sched.runUntil((opts.until ?? Math.max(...steps.map((s) => s.at)) + 30) * SEC);
  const out = script.runs.map((r) => r.output.replace(/\r\n/g, '\n').replace(/\x1b\[[0-9;]*[A-Za-z]/g, ''));
  return { world, sink, script, out, done: script.runs.map((r) => r.finishedAt !== null) };
}
