// Test helper: turn a trace file written today into one as Packet Lab wrote it at schema version 9,
// to test that older traces open, export and upgrade.
import Database from 'better-sqlite3';

/** Version 9 differed from 10 only in frame_column's key order (schema.ts V10): put it back. */
export function downgradeToSchema9(path: string): void {
  const db = new Database(path);
  try {
    db.exec(`CREATE TABLE c9 (capture INTEGER NOT NULL REFERENCES capture (id), chunk INTEGER NOT NULL, name TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (capture, name, chunk));
      INSERT INTO c9 SELECT * FROM frame_column; DROP TABLE frame_column; ALTER TABLE c9 RENAME TO frame_column;
      UPDATE meta SET value = '9' WHERE key = 'schema_version';`);
  } finally {
    db.close();
  }
}
