// Helpers for integration tests that use external tools (tshark) and temp files.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const hasTshark = spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasTshark) console.log('tshark is not installed: the tshark cross-checks are skipped (apt-get install tshark; .ci/run installs it)');

export function tshark(args: string[]): string {
  return execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function tempDir(prefix = 'plab-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
