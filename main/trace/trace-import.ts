// Open a Packet Lab trace file (a SQLite database from `run --db` or the app) in the inspector: its
// latest capture is viewed in place, read-only, frames and kernel events (so delivery explanations,
// drops and the syscalls that sent frames come along). An older file is read from an upgraded copy.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, schemaVersionOf } from './migrations';
import { SCHEMA_VERSION } from './schema';
import { TraceStore } from './store';

/** "SQLite format 3\0": the first 16 bytes of every SQLite database file. */
export function isSqlite(bytes: Uint8Array): boolean {
  const magic = 'SQLite format 3\u0000';
  return bytes.length >= 16 && [...magic].every((c, i) => bytes[i] === c.charCodeAt(0));
}

/** A trace file open for viewing in place: its latest capture, read from the file itself. */
export interface TraceView {
  store: TraceStore;
  lab: string;
  frames: number;
  /** Close the file (and remove the copy it was read from, if any). */
  close(): void;
}

/** Where opening a trace file failed: bringing an older one up to date, opening it, or its check. */
type OpenStage = 'upgrade' | 'open' | 'check';

/**
 * Open a Packet Lab trace file to view in place, read-only: nothing is copied, so a trace of any
 * size opens in the time its chunk list and a quick check of its frames take (TraceStore.verify);
 * a damaged trace is refused there, naming the damage. A file of an older schema is read from an
 * upgraded copy in the temporary folder (upgradedCopy). `ownCopy`: the file is the app's own copy
 * (of an upload), and ownCopy.remove() runs when the view closes.
 * Should another process still be writing the file, the view's frames (and drop count) are those
 * of the open, while kernel records are read as they are when shown.
 */
export function openTraceView(path: string, opts: { ownCopy?: { remove(): void } } = {}): { ok: true; view: TraceView } | { ok: false; error: string; stage: OpenStage } {
  let copy: ReturnType<typeof upgradedCopy> = null;
  const cleanup = (): void => {
    copy?.remove();
    opts.ownCopy?.remove();
  };
  let stage: OpenStage = 'upgrade';
  let store: TraceStore | undefined;
  try {
    copy = upgradedCopy(path);
    stage = 'open';
    store = TraceStore.open(copy?.path ?? path, { readOnly: true });
    stage = 'check';
    store.verify();
    const s = store;
    const close = (): void => {
      try {
        s.close();
      } finally {
        cleanup();
      }
    };
    return { ok: true, view: { store: s, lab: s.capture().lab, frames: s.countFrames(), close } };
  } catch (e) {
    try {
      store?.close();
    } finally {
      cleanup();
    }
    return { ok: false, error: (e as Error).message, stage };
  }
}

/**
 * A trace of an older schema, for reading without changing it: a copy (VACUUM INTO, which reads
 * the file read-only, its WAL included) upgraded in a temporary folder; null when the file is at
 * this version's schema, or is no trace (the read-only open says why).
 */
function upgradedCopy(path: string): { path: string; remove(): void } | null {
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
    const db = new Database(copy, { fileMustExist: true });
    try {
      migrate(db); // the migrations convert its rows
    } finally {
      db.close();
    }
    return { path: copy, remove: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    // Room is the likely cause only when the disk said so; a damaged file fails the migrations.
    const code = (e as { code?: string }).code;
    const full = code === 'SQLITE_FULL' || code === 'ENOSPC';
    throw new Error(`upgrading a copy in ${tmpdir()}${full ? ' (it needs room for the whole trace)' : ''}: ${(e as Error).message}`, { cause: e });
  }
}
