// A trace stays consistent when the app is killed mid-run: the writer commits each batch in one
// transaction on a WAL database, so a file whose writer was killed with SIGKILL reopens without
// repair, passes SQLite's integrity check, and holds at least everything committed before the kill.
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test/tools';
import { TraceStore } from './store';

describe('a trace file after the writer is killed', () => {
  it('reopens without repair, passes integrity_check and keeps every committed frame', { timeout: 90_000 }, async () => {
    const dir = tempDir('plab-crash-');
    const path = join(dir, 'trace.sqlite');
    // One process (tsx's loader, not its CLI, which would run the script in a child SIGKILL misses).
    const child = spawn(process.execPath, ['--import', 'tsx', 'main/trace/crash-writer.fixture.ts', path], { stdio: ['ignore', 'pipe', 'pipe'] });
    let committed = 0;
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    await new Promise<void>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`the writer committed ${committed} frames in 60 s\n${err}`)), 60_000);
      child.stdout.on('data', (d: Buffer) => {
        for (const m of d.toString().matchAll(/committed (\d+)/g)) committed = Number(m[1]);
        // Kill it while it is writing: after several commits, in the middle of the next batches.
        if (committed >= 2000) {
          clearTimeout(timer);
          child.kill('SIGKILL');
          ok();
        }
      });
      child.on('exit', (code, signal) => signal !== 'SIGKILL' && fail(new Error(`writer exited early (${code})\n${err}`)));
    });
    await new Promise((r) => child.once('close', r));

    const raw = new Database(path);
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();
    const store = TraceStore.open(path);
    try {
      const frames = store.countFrames();
      expect(frames).toBeGreaterThanOrEqual(committed);
      expect(store.countFrames({ allCapturePoints: true })).toBe(frames * 2); // whole batches only: never half a frame's rows
      const last = store.listFrames({ offset: frames - 1, limit: 1 })[0]!;
      expect(last.protocol).toBe('ICMP');
      expect(store.getFrame(last.no)!.bytes.length).toBe(98);
    } finally {
      store.close();
    }
  });
});
