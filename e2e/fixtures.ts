// Each test gets its own browser-mode host, started the way a person starts it (`npm run web`'s
// entry point) on a free port; the test reads the printed URL (with its token) and opens it.
import { test as base } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENGINE_V8_FLAGS } from '../scripts/engine-flags.mjs';

export interface LabHost {
  url: string;
  process: ChildProcess;
}

/**
 * A host of its own: its app data (autosave, session lock) in a fresh folder unless `--data` is
 * given. `startMs`: how long it may take to print its URL (a large `--trace` is read first).
 */
export function startHost(args: string[] = [], startMs = 20_000): Promise<LabHost> {
  const root = process.cwd(); // npm scripts run from the project root
  // A data folder of its own goes with the host; one passed in (a restart's) is the caller's.
  const ownData = args.includes('--data') ? null : mkdtempSync(join(tmpdir(), 'packet-lab-e2e-data-'));
  if (ownData) args = [...args, '--data', ownData];
  // process.execPath is the project's Node 22 (npm scripts); tsx's loader runs the TypeScript entry in
  // this one process (its CLI would run it in a child that a SIGKILL of the CLI leaves running).
  const child = spawn(process.execPath, [...ENGINE_V8_FLAGS, '--import', 'tsx', 'main/web/index.ts', '--port', '0', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  if (ownData) child.on('exit', () => removeQuietly(ownData));
  return new Promise((ok, fail) => {
    let out = '';
    let err = '';
    // Too slow: the host is killed (its exit removes its own data folder), since no caller holds it to stop.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`web host did not print its URL in ${startMs / 1000} s\n${out}\n${err}`));
    }, startMs);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /Open: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        ok({ url: m[1]!, process: child });
      }
    });
    child.stderr!.on('data', (d) => (err += d));
    child.on('exit', (code, signal) => {
      fail(new Error(`web host exited with ${code}\n${err}`));
      // Ended by itself (not stopped by a test): what it said, beside the test that then fails.
      if (code !== 0 && signal !== 'SIGTERM' && signal !== 'SIGKILL') process.stderr.write(`web host exited by itself (${code ?? signal}); its stderr:\n${err}\n`);
    });
  });
}

/** A temporary folder removed; one that cannot be is left (a test's teardown is no place to fail). */
export function removeQuietly(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // left in the system's temporary folder
  }
}

/**
 * SIGTERM, and the host's exit (its own folders go before the worker may end); SIGKILL after 5 s.
 * `signal` SIGKILL: killed hard at once, as a crash would (no clean shutdown).
 */
export async function stopHost(host: LabHost, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
  if (host.process.exitCode !== null || host.process.signalCode !== null) return;
  const exited = new Promise((ok) => host.process.once('exit', ok));
  host.process.kill(signal);
  const hung = setTimeout(() => host.process.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(hung);
}

/** A fixture: a host started with `args` for the test, stopped after it. */
export function hostWith(args: string[] = []) {
  return async ({}, use: (host: LabHost) => Promise<void>): Promise<void> => {
    const host = await startHost(args);
    await use(host);
    await stopHost(host);
  };
}

/** The backlog example, paused at start (filter.spec.ts, kernel.spec.ts). */
export const backlogHost = hostWith(['--lab', 'examples/backlog-overflow.lab.json', '--paused']);

export const test = base.extend<{ lab: LabHost }>({ lab: hostWith() });

export { expect } from '@playwright/test';
