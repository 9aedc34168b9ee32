import { createHash } from 'node:crypto';
import { existsSync, linkSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { SCHEMA_VERSION } from '../trace/schema';
import { readCapture } from '../trace';
import { hasTshark, tempDir, tshark } from '../test/tools';
import { main } from './main';
import { downgradeToSchema9 } from '../test/old-trace';

function runCli(argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The services example run once with its trace kept, and a pcap of every frame for comparison. */
function servicesTrace(): { dir: string; db: string; all: string } {
  const dir = tempDir();
  const db = join(dir, 'trace.sqlite');
  const all = join(dir, 'all.pcap');
  const r = runCli(['run', 'examples/services.lab.json', '--db', db, '--pcap', all]);
  expect(r.code).toBe(0);
  return { dir, db, all };
}

describe('packet-lab export', () => {
  it('writes what a filter selects, leaves the trace file untouched, and writes CSV/JSON of the list', () => {
    const { dir, db, all } = servicesTrace();
    const before = sha(db);
    const out = join(dir, 'ftp.pcapng');
    const csv = join(dir, 'ftp.csv');
    const json = join(dir, 'all.json');
    const r = runCli(['export', db, '--filter', 'tcp.port == 21', '--pcapng', out, '--csv', csv]);
    expect([r.code, r.err]).toEqual([0, expect.stringMatching(/^packet-lab: \d+ of \d+ frames written\n$/)]);
    const n = Number(/(\d+) of/.exec(r.err)![1]);
    expect(readCapture(readFileSync(out)).packets.length).toBe(n);
    expect(readFileSync(csv, 'utf8').split('\r\n').length).toBe(n + 2);
    expect(runCli(['export', db, '--json', json]).code).toBe(0);
    expect((JSON.parse(readFileSync(json, 'utf8')) as unknown[]).length).toBe(readCapture(readFileSync(all)).packets.length);
    expect(sha(db)).toBe(before);
  });

  it('exports a trace of an earlier version (schema 9) from an upgraded copy, the file unchanged', () => {
    const { dir, db } = servicesTrace();
    const now = join(dir, 'now.pcapng');
    expect(runCli(['export', db, '--pcapng', now]).code).toBe(0);
    downgradeToSchema9(db);
    const before = sha(db);
    const out = join(dir, 'old.pcapng');
    const r = runCli(['export', db, '--filter', 'tcp', '--pcapng', out]);
    expect([r.code, r.err]).toEqual([0, expect.stringMatching(/frames written/)]);
    expect(runCli(['export', db, '--pcapng', out]).code).toBe(0);
    expect(sha(out)).toBe(sha(now));
    expect(sha(db)).toBe(before);
  });

  it.skipIf(!hasTshark)('tshark reads the filtered pcapng: the frames tshark -Y selects from the whole capture, no malformed packets', () => {
    const { dir, db, all } = servicesTrace();
    const out = join(dir, 'ftp.pcapng');
    expect(runCli(['export', db, '--filter', 'tcp.port == 21 || tcp.port == 20', '--pcapng', out]).code).toBe(0);
    const fields = ['-T', 'fields', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'tcp.srcport', '-e', 'tcp.dstport'];
    const theirs = tshark(['-r', all, '-Y', 'tcp.port == 21 || tcp.port == 20', ...fields]);
    expect(theirs.split('\n').filter(Boolean).length).toBeGreaterThan(20);
    expect(tshark(['-r', out, ...fields])).toBe(theirs);
    expect(tshark(['-r', out, '-q', '-z', 'expert,error'])).not.toMatch(/Malformed/);
  });

  it('refuses a bad filter with its place, a missing file, and a file that is not a trace', () => {
    const { dir, db } = servicesTrace();
    const out = join(dir, 'x.pcapng');
    const bad = runCli(['export', db, '--filter', 'tcp.port == 21 and', '--pcapng', out]);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe('packet-lab: --filter, at character 19: the filter ends where a field or protocol was expected\n  tcp.port == 21 and\n                    ^\n');
    expect(runCli(['export', join(dir, 'nope.sqlite'), '--pcap', out]).err).toMatch(/nope\.sqlite: no such file/);
    expect(runCli(['export', dir, '--pcap', out]).err).toMatch(/^packet-lab: [^ ]+ is a folder, not a capture file\n$/);
    const lab = join(dir, 'lab.sqlite');
    writeFileSync(lab, readFileSync('examples/two-hosts.lab.json'));
    const notTrace = runCli(['export', lab, '--pcap', out]);
    expect([notTrace.code, notTrace.err]).toEqual([2, expect.stringMatching(/lab\.sqlite is not a Packet Lab trace: /)]);
    expect(runCli(['export', db]).err).toMatch(/export needs at least one of --pcapng, --pcap, --csv, --json/);
  });

  it('refuses a damaged trace, naming where, and writes nothing', () => {
    const { dir, db } = servicesTrace();
    const damage = new Database(db);
    damage.exec("DELETE FROM frame_column WHERE name = 'at' AND chunk = (SELECT max(chunk) FROM frame_column)");
    damage.close();
    const out = join(dir, 'x.pcapng');
    const r = runCli(['export', db, '--pcapng', out]);
    expect([r.code, r.err]).toEqual([2, expect.stringMatching(/trace\.sqlite is damaged: trace chunk \d+: column at is missing\n$/)]);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses an output that is the trace itself, another name for it or its WAL, and leaves the trace whole', () => {
    const { dir, db } = servicesTrace();
    const before = sha(db);
    const link = join(dir, 'same.pcap');
    linkSync(db, link);
    writeFileSync(`${db}-wal`, '');
    for (const [option, path] of [['--pcap', db], ['--pcapng', link], ['--csv', `${db}-wal`]] as const) {
      const r = runCli(['export', db, option, path]);
      expect([r.code, r.err]).toEqual([2, `packet-lab: ${option} ${path}: that is the trace being exported (${db}); name another file\n`]);
    }
    expect(sha(db)).toBe(before);
    expect(runCli(['export', db, '--json', join(dir, 'all.json')]).code).toBe(0);
  });

  it('names a trace from a newer Packet Lab, and an output it cannot write', () => {
    const { dir, db } = servicesTrace();
    const unwritable = runCli(['export', db, '--pcapng', join(dir, 'no-such-dir', 'x.pcapng')]);
    expect([unwritable.code, unwritable.err]).toEqual([2, `packet-lab: --pcapng ${join(dir, 'no-such-dir', 'x.pcapng')}: ENOENT\n`]);
    const future = new Database(db);
    future.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").run(String(SCHEMA_VERSION + 1));
    future.close();
    const newer = runCli(['export', db, '--pcap', join(dir, 'x.pcap')]);
    expect(newer.code).toBe(2);
    expect(newer.err).toContain(`it was written by a newer Packet Lab (trace schema ${SCHEMA_VERSION + 1}; this one reads up to ${SCHEMA_VERSION})`);
  });
});
