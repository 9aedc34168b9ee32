// Test helper: turn a trace file written today into one as Packet Lab wrote it at schema version 9,
// to test that older traces open, export and upgrade.
import Database from 'better-sqlite3';

/**
 * Version 9 differed from today's in frame_column's key order (schema.ts V10) and in kernel event
 * data stored in each event's row (V11): put both back.
 */
export function downgradeToSchema9(path: string): void {
  const db = new Database(path);
  try {
    // kernel_event's indexes as the file has them, made again on the rebuilt table.
    const indexes = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'kernel_event' AND sql IS NOT NULL").pluck().all() as string[];
    db.exec(`CREATE TABLE c9 (capture INTEGER NOT NULL REFERENCES capture (id), chunk INTEGER NOT NULL, name TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (capture, name, chunk));
      INSERT INTO c9 SELECT * FROM frame_column; DROP TABLE frame_column; ALTER TABLE c9 RENAME TO frame_column;
      CREATE TABLE k9 (id INTEGER PRIMARY KEY, capture INTEGER NOT NULL REFERENCES capture (id), time_ns INTEGER NOT NULL, machine TEXT NOT NULL, type TEXT NOT NULL, reason TEXT, frame_id INTEGER, text TEXT NOT NULL, data TEXT);
      INSERT INTO k9 SELECT id, capture, time_ns, machine, type, reason, frame_id, text, (SELECT data FROM kernel_data d WHERE d.data_id = e.data_id) FROM kernel_event e;
      DROP TABLE kernel_event; ALTER TABLE k9 RENAME TO kernel_event; DROP TABLE kernel_data;
      ${indexes.join(';\n')};
      UPDATE meta SET value = '9' WHERE key = 'schema_version';`);
  } finally {
    db.close();
  }
}
