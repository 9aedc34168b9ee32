// A Packet Lab trace file made the way a person keeps one: `npm run lab -- run LAB --db FILE`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The services example run for 20 s into services.sqlite in a fresh folder; remove() deletes the folder. */
export function servicesTraceFile(): { path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'packet-lab-e2e-trace-'));
  const path = join(dir, 'services.sqlite');
  const run = spawnSync(process.execPath, ['scripts/engine.mjs', 'main/cli/index.ts', 'run', 'examples/services.lab.json', '--until', '20s', '--db', path], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`npm run lab -- run failed (${run.error?.message ?? (run.signal ? `signal ${run.signal}` : `exit ${run.status}`)}): ${run.stderr}`);
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
