// The launchers of engine processes (scripts/engine.mjs for npm run web/lab, bin/packet-lab.mjs)
// start them with the engine's V8 flags (scripts/engine-flags.mjs).
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ENGINE_V8_FLAGS } from '../../scripts/engine-flags.mjs';
import { tempDir } from '../test/tools';

describe('engine launchers', () => {
  /** scripts/engine.mjs on the fixture, sent `signal` once the fixture has reported (stdin not a terminal). */
  async function launch(signal: NodeJS.Signals): Promise<{ out: string; err: string; code: number | null }> {
    const child = spawn(process.execPath, ['scripts/engine.mjs', 'main/service/engine-launch.fixture.ts', '--lab', 'x'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => void (err += d.toString()));
    let sent = false; // one signal: a second, after the entry's handler has run, would end it with a signal
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!sent && out.includes('\n')) {
        sent = true;
        child.kill(signal);
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve)); // after stdout ends
    return { out, err, code };
  }

  it('scripts/engine.mjs starts the entry with the engine flags and its arguments, and passes SIGTERM on', async () => {
    const { out, err, code } = await launch('SIGTERM');
    expect(out, `the entry printed no report; its stderr: ${err}`).toContain('\n');
    const report = JSON.parse(out.split('\n')[0]!) as { execArgv: string[]; args: string[]; newSpaceMaxMB: number };
    expect(report.execArgv).toEqual(expect.arrayContaining([...ENGINE_V8_FLAGS]));
    expect(report.args).toEqual(['--lab', 'x']);
    // Two 4 MB semi-spaces at most under load (16-32 MB without the flag).
    expect(report.newSpaceMaxMB).toBeLessThanOrEqual(8);
    expect(out).toContain('SIGTERM\n');
    expect(code).toBe(0);
  }, 30_000);

  // Not from a terminal (kill -INT, a supervisor, npm passing it on), SIGINT reaches the child only
  // through the launcher.
  it('scripts/engine.mjs passes on a SIGINT that no terminal sent', async () => {
    const { out, err, code } = await launch('SIGINT');
    expect(out, `stderr: ${err}`).toContain('SIGINT\n');
    expect(code).toBe(0);
  }, 30_000);

  // The flags are what the command is run with: removing them from the re-run loops no more (the
  // PACKET_LAB_RERUN mark) but leaves the second process without them.
  it('the packet-lab command re-runs itself with the engine flags and runs the lab', () => {
    const log = join(tempDir('packet-lab-argv-'), 'argv.log');
    const preload = pathToFileURL(resolve('main/service/exec-argv.fixture.mjs')).href;
    const env = { ...process.env, NODE_OPTIONS: `--import=${preload}`, EXEC_ARGV_LOG: log };
    const r = spawnSync(process.execPath, ['bin/packet-lab.mjs', 'run', 'examples/default.lab.json', '--until', '1s'], { encoding: 'utf8', env });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('PING 10.0.0.10');
    // The command as started, then the one process that ran the lab, with the flags.
    const runs = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as string[]);
    expect(runs).toHaveLength(2);
    expect(runs[1]).toEqual(expect.arrayContaining([...ENGINE_V8_FLAGS]));
  }, 30_000);
});
