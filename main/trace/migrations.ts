// Bring a trace database to the current schema: a `meta` table holds schema_version; each pending
// migration runs in its own transaction together with the version bump, so a crash leaves the
// file at a whole version.
import type Database from 'better-sqlite3';
import { MIGRATIONS, SCHEMA_VERSION, type Migration } from './schema';

export function schemaVersion(db: Database.Database): number {
  db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  return schemaVersionOf(db) ?? 0;
}

/** The schema version of a trace opened read-only, or null when it has no trace schema. */
export function schemaVersionOf(db: Database.Database): number | null {
  if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get()) return null;
  const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined;
  return row ? Number(row.value) : null;
}

/** Apply the pending migrations; returns the versions applied. */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const current = schemaVersion(db);
  const latest = migrations.length ? migrations[migrations.length - 1]!.version : 0;
  if (!Number.isInteger(current) || current > latest) {
    throw new Error(`trace database has schema version ${current}; this Packet Lab knows up to ${latest} (SCHEMA_VERSION ${SCHEMA_VERSION})`);
  }
  const setVersion = db.prepare("INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      m.convert?.(db);
      setVersion.run(String(m.version));
    })();
    applied.push(m.version);
  }
  return applied;
}
