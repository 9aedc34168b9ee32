// The trace as the app keeps it: a SQLite file (in a fresh temporary folder) written by the writer
// thread. dispose() closes the store (committing everything, inside the timed run when called
// there) and removes the folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TraceSink } from '../shared/trace';
import { TraceStore } from '../main/trace';

export function traceFile(): { store: TraceStore; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'packet-lab-bench-'));
  const store = TraceStore.open(join(dir, 'trace.sqlite'));
  return {
    store,
    dispose() {
      try {
        store.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** `inner` (or nothing) behind a count of wire frames (each frame once, at its first capture row). */
export function countingSink(inner?: TraceSink): { sink: TraceSink; frames(): number } {
  let frames = 0;
  return {
    sink: {
      frame: (e) => {
        if (e.first) frames++;
        inner?.frame(e);
      },
      kernel: (e) => inner?.kernel(e),
    },
    frames: () => frames,
  };
}

export const TRACE_NOTE = 'SQLite file, writer thread';
