// The trace as the app keeps it: a SQLite file (in a fresh temporary folder) written by the writer
// thread. dispose() closes the store (committing everything, inside the timed run when called
// there) and removes the folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

export const TRACE_NOTE = 'SQLite file, writer thread';
