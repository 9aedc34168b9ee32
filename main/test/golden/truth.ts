// Where the real-kernel captures live and how to read them (Node side). Tests find the folder as
// ../shared/linux-truth relative to the repository root (vitest's process.cwd()) and skip, saying
// why, when it is absent.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { normalizeCapture, type NormalizeOptions } from './normalize';
import { parseNstat } from './nstat';
import type { GoldenRun } from './run';
import type { Scenario } from './scenario';
import { parseSs, type SsTable } from './ss';
import type { NormalizedTrace } from './types';

/** The linux-truth folder, or null when this checkout has none beside it. */
export function linuxTruthDir(repoRoot: string = process.cwd()): string | null {
  const dir = resolve(repoRoot, '../shared/linux-truth');
  return existsSync(join(dir, 'README.md')) ? dir : null;
}

/** The reason printed when tests skip for lack of captures. */
export function linuxTruthMissing(repoRoot: string = process.cwd()): string {
  return `linux-truth captures not found at ${resolve(repoRoot, '../shared/linux-truth')}: golden tests against the real kernel are skipped`;
}

/** Paths (relative to `dir`, '/'-separated) of files under dir whose name satisfies `want`. */
export function listFiles(dir: string, want: (name: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (want(e.name)) out.push(relative(dir, p).split('\\').join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

export function readText(dir: string, rel: string): string {
  return readFileSync(join(dir, rel), 'utf8');
}

export function readTrace(dir: string, relPcap: string, opts: NormalizeOptions = {}): NormalizedTrace {
  return normalizeCapture(new Uint8Array(readFileSync(join(dir, relPcap))), opts);
}

/** ss tables of snapshot files, each marked with its source file. */
export function readSsTables(dir: string, files: readonly string[]): SsTable[] {
  return files.flatMap((f) => parseSs(readText(dir, f)).tables.map((t) => ({ ...t, source: f })));
}

/** A scenario's real-kernel run: its capture, ss snapshots, counters and logs. */
export function loadTruthRun(dir: string, s: Scenario): GoldenRun {
  if (!s.pcap) throw new Error(`scenario ${s.id} has no capture in linux-truth`);
  const run: GoldenRun = { trace: readTrace(dir, s.pcap, { clientIp: s.client }) };
  if (s.ss) run.ss = readSsTables(dir, s.ss);
  if (s.nstat) run.counters = parseNstat(readText(dir, s.nstat)).counters;
  if (s.logs) run.logs = Object.fromEntries(s.logs.map((name) => [name, readText(dir, `${s.folder}/${name}`)]));
  return run;
}
