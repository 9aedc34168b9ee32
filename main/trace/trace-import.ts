// Open a Packet Lab trace file (a SQLite database from `run --db` or the app) in the inspector: its
// latest capture is copied, frames and kernel events (so delivery explanations, drops and the
// syscalls that sent frames come along), into the app's own trace. The file is read read-only.
import type { TraceSink } from '../../shared/trace';
import { TraceStore } from './store';

/** "SQLite format 3\0": the first 16 bytes of every SQLite database file. */
export function isSqlite(bytes: Uint8Array): boolean {
  const magic = 'SQLite format 3\u0000';
  return bytes.length >= 16 && [...magic].every((c, i) => bytes[i] === c.charCodeAt(0));
}

export type TraceRead = { ok: true; lab: string; frames: number; feed(sink: TraceSink): void; close(): void } | { ok: false; error: string };

export function readTraceForImport(path: string): TraceRead {
  let src: TraceStore;
  try {
    src = TraceStore.open(path, { readOnly: true });
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
  return {
    ok: true,
    lab: src.capture().lab,
    frames: src.countFrames(),
    feed(sink) {
      for (const f of src.replayFrames()) sink.frame(f);
      for (const k of src.kernelEvents()) sink.kernel(k);
    },
    close: () => src.close(),
  };
}
