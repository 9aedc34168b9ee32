// Open a Packet Lab trace file (a SQLite database from `run --db` or the app) in the inspector: its
// latest capture is copied, frames and kernel events (so delivery explanations, drops and the
// syscalls that sent frames come along), into the app's own trace. The file is read read-only;
// a private copy (the app's, of an uploaded file) is first brought to this version's schema.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TraceSink } from '../../shared/trace';
import { migrate, schemaVersionOf } from './migrations';
import { SCHEMA_VERSION } from './schema';
import { TraceStore } from './store';

/** "SQLite format 3\0": the first 16 bytes of every SQLite database file. */
export function isSqlite(bytes: Uint8Array): boolean {
  const magic = 'SQLite format 3\u0000';
  return bytes.length >= 16 && [...magic].every((c, i) => bytes[i] === c.charCodeAt(0));
}

export type TraceRead = { ok: true; lab: string; frames: number; feed(sink: TraceSink): void; close(): void } | { ok: false; error: string };

export function readTraceForImport(path: string, opts: { privateCopy?: boolean } = {}): TraceRead {
  let src: TraceStore;
  // What the file holds now: its chunks are listed at open, and kernel events are read up to the
  // latest one now, so every feed gives the same events though another process still writes.
  let lastKernelId: number;
  try {
    if (opts.privateCopy) upgrade(path);
    src = TraceStore.open(path, { readOnly: true });
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
  try {
    lastKernelId = src.lastKernelEventId();
  } catch (e) {
    src.close();
    return { ok: false, error: (e as Error).message };
  }
  return {
    ok: true,
    lab: src.capture().lab,
    frames: src.countFrames(),
    feed(sink) {
      for (const f of src.replayFrames()) sink.frame(f);
      for (const k of src.replayKernelEvents(lastKernelId)) sink.kernel(k);
    },
    close: () => src.close(),
  };
}

/**
 * Bring a trace of an older schema to this version's (the migrations convert its rows). A file
 * without a trace schema is left alone for the read-only open to refuse: migrating it would give
 * it an empty one. A newer schema is refused by migrate() with both versions named.
 */
function upgrade(path: string): void {
  const db = new Database(path, { fileMustExist: true });
  try {
    if (schemaVersionOf(db) !== null) migrate(db);
  } finally {
    db.close();
  }
}

/**
 * A trace of an older schema, for reading without changing it: a copy (VACUUM INTO, which reads
 * the file read-only, its WAL included) upgraded in a temporary folder; null when the file is at
 * this version's schema, or is no trace (the read-only open says why).
 */
export function upgradedCopy(path: string): { path: string; remove(): void } | null {
  let version: number | null;
  try {
    const probe = new Database(path, { readonly: true, fileMustExist: true });
    try {
      version = schemaVersionOf(probe);
    } finally {
      probe.close();
    }
  } catch {
    return null; // not a database: the read-only open says so
  }
  if (version === null || version >= SCHEMA_VERSION) return null;
  const dir = mkdtempSync(join(tmpdir(), 'packet-lab-upgrade-'));
  try {
    const copy = join(dir, 'trace.sqlite');
    const src = new Database(path, { readonly: true, fileMustExist: true });
    try {
      src.prepare('VACUUM INTO ?').run(copy);
    } finally {
      src.close();
    }
    upgrade(copy);
    return { path: copy, remove: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
