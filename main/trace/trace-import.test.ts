import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test/tools';
import { openTraceView } from './trace-import';

describe('openTraceView of an older schema', () => {
  it('refuses a trace its upgrade cannot convert at the upgrade stage, without blaming disk room', () => {
    const path = join(tempDir(), 'old.sqlite');
    // Schema 5 by its meta row, but none of that schema's tables: the migrations fail on it.
    const db = new Database(path);
    db.exec("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO meta VALUES ('schema_version', '5')");
    db.close();
    const opened = openTraceView(path);
    expect(opened.ok).toBe(false);
    if (opened.ok) return;
    expect(opened.stage).toBe('upgrade');
    expect(opened.error).toMatch(/^upgrading a copy in /);
    expect(opened.error).not.toContain('room');
  });
});
