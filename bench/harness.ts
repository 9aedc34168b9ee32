// Benchmark harness: one JSON line per result {name, figure, unit, notes}. Not part of npm test:
// speed goals live here, not in timed tests. Figures drift on shared machines: compare ratios
// measured in one session.
import { cpus, totalmem } from 'node:os';

export interface BenchResult {
  name: string;
  figure: number;
  unit: string;
  notes: Record<string, string | number>;
}

export function machineNotes(): Record<string, string | number> {
  return {
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memGiB: Math.round(totalmem() / 2 ** 30),
  };
}

export function report(r: BenchResult): void {
  process.stdout.write(JSON.stringify({ ...r, figure: Number(r.figure.toPrecision(4)), notes: { ...r.notes, ...machineNotes() } }) + '\n');
}

/** Median of n runs of fn (each returns its own figure). */
export function median(n: number, fn: () => number): number {
  return medianOf(Array.from({ length: n }, fn));
}

/** The middle value (the upper of the two middle ones for an even count). */
export function medianOf(xs: readonly number[]): number {
  return medianBy(xs, (x) => x);
}

/** The item whose key is the middle one, as medianOf picks it. */
export function medianBy<T>(xs: readonly T[], key: (x: T) => number): T {
  return [...xs].sort((a, b) => key(a) - key(b))[Math.floor(xs.length / 2)]!;
}
