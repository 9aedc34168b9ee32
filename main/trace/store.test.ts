import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readPcap } from './pcap-read';
import { readPcapng } from './pcapng-read';
import { migrate, schemaVersion } from './migrations';
import { MIGRATIONS, SCHEMA_VERSION } from './schema';
import { Has } from '../../shared/filter/keys';
import { columnFromBlob, FIRST_ROW, type ColumnName } from './columns';
import { FilterView } from './filter-view';
import { BatchPacker, FRAME_FIELDS, type SpareArrays } from './batch';
import { NAPI_REQUIRED_MESSAGE, TraceStore, assertNapi10 } from './store';
import { tinyLab } from './test-lab';
import { toHex } from './test-util';
import { downgradeToSchema9 } from '../test/old-trace';

/** Commits in a WAL file: frames whose header gives the database size after a commit (wal.c: non-zero only there). */
function walCommits(path: string): number {
  const wal = readFileSync(`${path}-wal`);
  const pageSize = wal.readUInt32BE(8);
  let n = 0;
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
    // Frames of this WAL generation only: their salts are the header's.
    if (wal.readUInt32BE(at + 8) !== wal.readUInt32BE(16) || wal.readUInt32BE(at + 12) !== wal.readUInt32BE(20)) break;
    if (wal.readUInt32BE(at + 4) !== 0) n++;
  }
  return n;
}

function filled(path = ':memory:', opts = {}): TraceStore {
  const store = TraceStore.open(path, { lab: 'tiny', seed: 1, startedWallMs: 0, ...opts });
  const lab = tinyLab();
  for (const f of lab.frames) store.frame(f);
  for (const k of lab.kernel) store.kernel(k);
  return store;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trace-store-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('TraceStore queries', () => {
  it('counts the default view (each frame once) and every capture point', () => {
    const s = filled();
    expect(s.countFrames()).toBe(4);
    expect(s.countFrames({ allCapturePoints: true })).toBe(16);
    s.close();
  });

  it('lists the default view: first capture of each frame, numbered by capture order', () => {
    const s = filled();
    const rows = s.listFrames({ offset: 0, limit: 100 });
    expect(rows.map((r) => [r.no, r.frameId, r.machine, r.nic, r.dir, r.first])).toEqual([
      [1, 1, 'h1', 'eth0', 'tx', true],
      [5, 2, 'h2', 'eth0', 'tx', true],
      [9, 3, 'h1', 'eth0', 'tx', true],
      [13, 4, 'h2', 'eth0', 'tx', true],
    ]);
    expect(rows.map((r) => [r.protocol, r.src, r.dst, r.length])).toEqual([
      ['ARP', '02:00:00:00:01:01', 'ff:ff:ff:ff:ff:ff', 60],
      ['ARP', '02:00:00:00:02:02', '02:00:00:00:01:01', 60],
      ['ICMP', '10.0.0.1', '10.0.0.2', 98],
      ['ICMP', '10.0.0.2', '10.0.0.1', 98],
    ]);
    expect(rows[0]!.info).toContain('10.0.0.2');
    expect(rows[2]!.info).toMatch(/Echo \(ping\) request/);
    expect(rows[0]!.timeNs).toBe(1_000_000_000);
    s.close();
  });

  it('rows carry what the colouring rules need: ICMP type, and the first drop reason of a dropped frame at every capture point', () => {
    const s = filled();
    s.kernel({ at: 2e9, machine: 'h2', type: 'drop', reason: 'IP_CSUM', frameId: 3, text: 'bad checksum' });
    s.kernel({ at: 2e9, machine: 'h2', type: 'drop', reason: 'NO_SOCKET', frameId: 3, text: 'later note' });
    const rows = s.listFrames({ offset: 0, limit: 100 });
    expect(rows.map((r) => [r.icmpType, r.tcpFlags, r.drop])).toEqual([
      [undefined, undefined, undefined],
      [undefined, undefined, undefined],
      [8, undefined, 'IP_CSUM'],
      [0, undefined, undefined],
    ]);
    expect(s.listFrames({ offset: 0, limit: 100, allCapturePoints: true }).filter((r) => r.drop).map((r) => r.no)).toEqual([9, 10, 11, 12]);
    expect(s.rowsByNo([11])[0]!.drop).toBe('IP_CSUM');
    expect(s.getFrame(9)!.row.drop).toBe('IP_CSUM');
    s.close();
  });

  it('lists every capture point and pages by offset/limit in both views', () => {
    const s = filled();
    const all = s.listFrames({ offset: 0, limit: 100, allCapturePoints: true });
    expect(all.map((r) => r.no)).toEqual([...Array(16).keys()].map((i) => i + 1));
    expect(all.slice(0, 4).map((r) => `${r.machine}:${r.nic}/${r.dir}`)).toEqual(['h1:eth0/tx', 'sw1:p1/rx', 'sw1:p2/tx', 'h2:eth0/rx']);
    expect(s.listFrames({ offset: 5, limit: 3, allCapturePoints: true }).map((r) => r.no)).toEqual([6, 7, 8]);
    expect(s.listFrames({ offset: 14, limit: 10, allCapturePoints: true }).map((r) => r.no)).toEqual([15, 16]);
    expect(s.listFrames({ offset: 16, limit: 10, allCapturePoints: true })).toEqual([]);
    expect(s.listFrames({ offset: 1, limit: 2 }).map((r) => r.no)).toEqual([5, 9]);
    expect(s.listFrames({ offset: 4, limit: 2 })).toEqual([]);
    expect(s.listFrames({ offset: 0, limit: 0 })).toEqual([]);
    expect(() => s.listFrames({ offset: -1, limit: 2 })).toThrow(RangeError);
    expect(() => s.listFrames({ offset: 0, limit: 1.5 })).toThrow(RangeError);
    s.close();
  });

  it('gets one frame by number with its bytes', () => {
    const lab = tinyLab();
    const s = filled();
    const f = s.getFrame(10)!;
    expect(f.row).toEqual(s.listFrames({ offset: 9, limit: 1, allCapturePoints: true })[0]);
    expect(f.row).toMatchObject({ no: 10, frameId: 3, machine: 'sw1', nic: 'p1', dir: 'rx', first: false });
    expect(f.bytes).toBeInstanceOf(Uint8Array);
    expect(toHex(f.bytes)).toBe(toHex(lab.frames[9]!.bytes));
    expect(s.getFrame(0)).toBeNull();
    expect(s.getFrame(17)).toBeNull();
    expect(s.getFrame(1.5)).toBeNull();
    s.close();
  });

  it('summarizes each capture row from its own bytes (a frameId reused with other bytes is re-read)', () => {
    const s = TraceStore.open(':memory:');
    const [arp, , , , , , , , ping] = tinyLab().frames;
    s.frame({ ...arp!, frameId: 7 });
    s.frame({ ...ping!, frameId: 7, first: false });
    s.frame({ ...arp!, frameId: 7, first: false, bytes: arp!.bytes.slice() });
    expect(s.listFrames({ offset: 0, limit: 5, allCapturePoints: true }).map((r) => r.protocol)).toEqual(['ARP', 'ICMP', 'ARP']);
    s.close();
  });

  it('lists kernel events, all or by frame or machine', () => {
    const s = filled();
    expect(s.kernelEvents().map((e) => e.text)).toHaveLength(3);
    expect(s.kernelEvents({ frameId: 3 })).toEqual([tinyLab().kernel[0]]);
    expect(s.kernelEvents({ machine: 'h1' }).map((e) => e.frameId ?? null)).toEqual([4, null]);
    expect(s.kernelEvents({ machine: 'h1', offset: 1, limit: 5 })[0]).toEqual(tinyLab().kernel[2]);
    s.close();
  });

  it("reads back a delivery record whole though its row's fields are stored once (kernel-data.ts)", () => {
    const s = TraceStore.open(':memory:');
    const data = { frameId: 9, protocol: 'tcp', steps: [{ table: 'established', key: '10.0.0.2:9 <- 10.0.0.1:5', hit: true }], queue: 'receive queue', summary: '[.] 10 bytes', machine: 'b', atNs: 42 };
    s.kernel({ at: 42, machine: 'b', type: 'deliver', frameId: 9, text: '[.] 10 bytes', data });
    expect(s.kernelEvents()).toEqual([{ at: 42, machine: 'b', type: 'deliver', frameId: 9, text: '[.] 10 bytes', data }]);
    s.close();
  });

  it('stores each frame\'s filter keys as columns of its chunk (addresses as integers, ICMP type, layers present)', () => {
    const path = join(dir, 't.db');
    filled(path).close();
    const db = new Database(path, { readonly: true });
    const col = <K extends ColumnName>(name: K) => columnFromBlob(name, db.prepare('SELECT data FROM frame_column WHERE name = ?').pluck().get(name) as Uint8Array);
    expect([col('has')[0], col('ethSrc')[0], col('ethDst')[0], col('ethType')[0], col('arpOp')[0]]).toEqual([Has.ETH | Has.ARP | FIRST_ROW, 0x020000000101, 0xffffffffffff, 0x0806, 1]);
    // Row 9 (0-based 8): the ping request at h1.
    expect([col('has')[8], col('ipSrc')[8], col('ipDst')[8], col('ipProto')[8], col('icmpType')[8], col('pos')[8]]).toEqual([Has.ETH | Has.IP | Has.ICMP | FIRST_ROW, 0x0a000001, 0x0a000002, 1, 8, 3]);
    expect(db.prepare('SELECT first_no, rows, first_pos, view_rows FROM frame_chunk').raw(true).all()).toEqual([[1, 16, 0, 4]]);
    db.close();
  });
});

describe('TraceStore batching and files', () => {
  it('buffers events and writes them in batches of batchSize (inline writer: committed at once)', () => {
    const path = join(dir, 'b.db');
    const s = TraceStore.open(path, { batchSize: 5, writer: 'inline' });
    const reader = new Database(path, { readonly: true });
    const count = (): number => reader.prepare('SELECT COALESCE(SUM(rows), 0) FROM frame_chunk').pluck().get() as number;
    const lab = tinyLab();
    for (const f of lab.frames.slice(0, 4)) s.frame(f);
    expect(s.pending).toBe(4);
    expect(count()).toBe(0);
    s.frame(lab.frames[4]!);
    expect(s.pending).toBe(0);
    expect(count()).toBe(5);
    s.frame(lab.frames[5]!);
    s.kernel(lab.kernel[0]!);
    expect(s.flush()).toBe(2);
    expect(count()).toBe(6);
    expect(s.flush()).toBe(0);
    s.frame(lab.frames[6]!);
    expect(s.countFrames({ allCapturePoints: true })).toBe(7); // counted on arrival
    expect(count()).toBe(6);
    expect(s.listFrames({ offset: 0, limit: 10, allCapturePoints: true })).toHaveLength(7); // queries commit first
    expect(count()).toBe(7);
    reader.close();
    s.close();
  });

  it('a writer thread (the default for files) commits batches beside the caller; flush() waits for them', () => {
    const path = join(dir, 't.db');
    const s = TraceStore.open(path, { batchSize: 4 });
    const reader = new Database(path, { readonly: true });
    const count = (t: string): number => reader.prepare(t === 'frame' ? 'SELECT SUM(rows) FROM frame_chunk' : `SELECT COUNT(*) FROM ${t}`).pluck().get() as number;
    const lab = tinyLab();
    for (const f of lab.frames) s.frame(f);
    for (const k of lab.kernel) s.kernel(k);
    expect(s.pending).toBe(3); // 16 frames made 4 batches; the 3 kernel events wait for the next
    expect(s.countFrames({ allCapturePoints: true })).toBe(16);
    expect(s.flush()).toBe(3);
    expect([count('frame'), count('kernel_event'), count('interface')]).toEqual([16, 3, 4]);
    expect(s.listFrames({ offset: 0, limit: 10 }).map((r) => [r.no, r.machine, r.protocol])).toEqual([
      [1, 'h1', 'ARP'], [5, 'h2', 'ARP'], [9, 'h1', 'ICMP'], [13, 'h2', 'ICMP'],
    ]);
    reader.close();
    s.close();
  });

  it('the writer thread commits the batches waiting behind one together (group commit)', () => {
    const path = join(dir, 'group.db');
    const s = TraceStore.open(path, { batchSize: 4, wal: { checkpointAtBytes: 2 ** 40, idleMs: 3_600_000 } });
    s.flush();
    const before = walCommits(path);
    // Another connection holds the write lock: the writer waits on its first batch while the others queue.
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    const lab = tinyLab();
    for (const f of lab.frames) s.frame(f); // 4 batches handed over
    other.exec('COMMIT');
    other.close();
    s.flush();
    // The first batch alone (if the thread took it before the others came) and the rest in one commit.
    expect(walCommits(path) - before).toBeLessThanOrEqual(2);
    expect(s.listFrames({ offset: 0, limit: 100, allCapturePoints: true }).map((r) => toHex(s.getFrame(r.no)!.bytes))).toEqual(lab.frames.map((f) => toHex(f.bytes)));
    s.close();
  });

  it.each(['thread', 'inline'] as const)('reuses a written batch\'s byte arena and frame rows for a later batch (%s writer); every frame reads back as sent', (writer) => {
    const path = join(dir, `arena-${writer}.db`);
    const s = TraceStore.open(path, { batchSize: 4, writer });
    const take = BatchPacker.prototype.take;
    const calls: { spare?: SpareArrays; sizes?: number[]; packed: ArrayBufferLike[] }[] = [];
    const spy = vi.spyOn(BatchPacker.prototype, 'take').mockImplementation(function (this: BatchPacker, cap, spare) {
      const b = take.call(this, cap, spare);
      calls.push({ spare, sizes: spare && [spare.bytes.byteLength, spare.frames.byteLength], packed: [b.bytes.buffer, b.frames.buffer] });
      return b;
    });
    const lab = tinyLab();
    try {
      lab.frames.forEach((f, i) => {
        s.frame(f);
        if (i % 4 === 3) s.flush(); // the batch is written: its arrays are back before the next take
      });
    } finally {
      spy.mockRestore();
    }
    expect(calls).toHaveLength(4);
    expect(calls[0]!.spare).toBeUndefined();
    expect(calls.slice(1).map((c) => c.sizes)).toEqual(Array(3).fill([1 << 20, FRAME_FIELDS * 1024 * 8]));
    // Each spare holds the next batch (the packer's own arrays from then on).
    for (let i = 1; i < 3; i++) expect(calls[i + 1]!.packed[0]).toBe(calls[i]!.spare!.bytes);
    for (let i = 1; i < 3; i++) expect(calls[i + 1]!.packed[1]).toBe(calls[i]!.spare!.frames);
    lab.frames.forEach((f, i) => expect(toHex(s.getFrame(i + 1)!.bytes)).toBe(toHex(f.bytes)));
    s.close();
  });

  describe('the WAL: copied into the file beside the writer (checkpoint thread), at rest, or at the limit by the writer', () => {
    /** Frames in the database file alone, as a copy without its WAL reads it. */
    const framesInFile = (path: string): number => {
      const copy = `${path}.alone`;
      copyFileSync(path, copy);
      const db = new Database(copy);
      try {
        if (!db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'frame_chunk'").get()) return 0; // not even the schema
        return (db.prepare('SELECT SUM(rows) FROM frame_chunk').pluck().get() as number | null) ?? 0;
      } finally {
        db.close();
        for (const f of [copy, `${copy}-wal`, `${copy}-shm`]) rmSync(f, { force: true });
      }
    };
    const walSize = (path: string): number => statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0;

    it('the checkpoint thread copies committed batches while the store stays open', async () => {
      const path = join(dir, 'c.db');
      const s = filled(path, { batchSize: 4, wal: { checkpointAtBytes: 0, idleMs: 3_600_000 } });
      s.flush();
      await vi.waitFor(() => expect(framesInFile(path)).toBe(16), { timeout: 10_000, interval: 20 });
      s.close();
      expect(existsSync(`${path}-wal`)).toBe(false); // the last connection's close copies the rest and removes the WAL
    });

    it('at rest the WAL is copied and its space given back', async () => {
      const path = join(dir, 'i.db');
      const s = filled(path, { batchSize: 4, wal: { checkpointAtBytes: 2 ** 40, idleMs: 10 } });
      s.flush();
      await vi.waitFor(() => expect(walSize(path)).toBe(0), { timeout: 10_000, interval: 20 });
      expect(framesInFile(path)).toBe(16);
      s.close();
    });

    it('past the limit the writer copies everything itself before it answers', () => {
      const path = join(dir, 'l.db');
      const s = filled(path, { batchSize: 4, wal: { checkpointAtBytes: 2 ** 40, limitBytes: 1, idleMs: 3_600_000 } });
      s.flush();
      expect(framesInFile(path)).toBe(16); // no waiting: flush() returned after the writer's copy
      s.close();
    });

    it('with no pass asked for, the frames are in the WAL only (so the tests above can fail)', () => {
      const path = join(dir, 'n.db');
      const s = filled(path, { batchSize: 4, wal: { checkpointAtBytes: 2 ** 40, idleMs: 3_600_000 } });
      s.flush();
      expect(framesInFile(path)).toBe(0);
      expect(s.countFrames({ allCapturePoints: true })).toBe(16);
      s.close();
    });
  });

  it('a commit that fails on the writer thread loses the batches grouped with the failing one, says how many, and none committed before', () => {
    const path = join(dir, 'group-fail.db');
    const s = TraceStore.open(path, { batchSize: 4, wal: { checkpointAtBytes: 2 ** 40, idleMs: 3_600_000 } });
    const lab = tinyLab(); // frames 1-4, each a batch of its four capture rows
    for (const f of lab.frames.slice(0, 4)) s.frame(f);
    s.flush();
    // Another connection holds the write lock and takes the row numbers of frame 4's batch (a copy
    // of the first chunk at no 13). The batches of frames 2-4 queue while the thread waits; how they
    // group depends on when the thread took them, but the last group always ends with frame 4's.
    const other = new Database(path);
    other.exec(`BEGIN IMMEDIATE;
      INSERT INTO frame_chunk SELECT capture, 13, rows, 4, 0, bytes FROM frame_chunk WHERE first_no = 1;
      INSERT INTO frame_column SELECT capture, 13, name, data FROM frame_column WHERE chunk = 1 AND name <> 'pos';
      INSERT INTO frame_column SELECT capture, 13, 'pos', zeroblob(length(data)) FROM frame_column WHERE chunk = 1 AND name = 'pos';`);
    for (const f of lab.frames.slice(4)) s.frame(f);
    other.exec('COMMIT');
    other.close();
    let message = '';
    try {
      s.flush();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^trace write failed: UNIQUE constraint failed: frame_chunk\.capture, frame_chunk\.first_no/);
    const lost = Number(/\((\d) batches committed together are lost with it\)$/.exec(message)?.[1] ?? 1);
    const ids = new Set(s.listFrames({ offset: 0, limit: 100, allCapturePoints: true }).map((r) => r.frameId));
    // Frame 1 (committed before, and the intruder's copy) stays; of frames 2-4 the last `lost` are gone.
    expect([1, 2, 3, 4].filter((id) => ids.has(id))).toEqual([1, 2, 3].slice(0, 4 - lost));
    s.close();
  });

  for (const writer of ['inline', 'thread'] as const) {
    it(`a failed batch (${writer} writer) is lost whole, flush() throws why, and later frames are numbered after what was committed`, () => {
      const path = join(dir, `f-${writer}.db`);
      const s = TraceStore.open(path, { batchSize: 1000, writer });
      const lab = tinyLab();
      for (const f of lab.frames.slice(0, 4)) s.frame(f);
      s.flush();
      // Another connection takes the row numbers the next batch will use (a copy of the first chunk at no 5).
      const other = new Database(path);
      other.exec(`INSERT INTO frame_chunk SELECT capture, 5, rows, 4, 0, bytes FROM frame_chunk WHERE first_no = 1;
        INSERT INTO frame_column SELECT capture, 5, name, data FROM frame_column WHERE chunk = 1 AND name <> 'pos';
        INSERT INTO frame_column SELECT capture, 5, 'pos', zeroblob(length(data)) FROM frame_column WHERE chunk = 1 AND name = 'pos';`);
      other.close();
      for (const f of lab.frames.slice(4, 8)) s.frame(f);
      s.kernel(lab.kernel[0]!);
      expect(() => s.flush()).toThrow(/trace write failed: UNIQUE constraint failed: frame_chunk\.capture, frame_chunk\.first_no/);
      expect(s.countFrames({ allCapturePoints: true })).toBe(8); // 4 of ours + the intruder's 4
      expect(s.kernelEvents()).toEqual([]);
      for (const f of lab.frames.slice(8, 12)) s.frame(f);
      expect(s.flush()).toBe(4);
      expect(s.listFrames({ offset: 0, limit: 20, allCapturePoints: true }).map((r) => [r.no, r.frameId])).toEqual([
        [1, 1], [2, 1], [3, 1], [4, 1], [5, 1], [6, 1], [7, 1], [8, 1], [9, 3], [10, 3], [11, 3], [12, 3],
      ]);
      s.close();
    });
  }

  it('stores a frame\'s bytes once per chunk: its other capture points share them', () => {
    const s = filled();
    const db = (s as unknown as { db: Database.Database }).db;
    s.flush();
    expect(db.prepare('SELECT length(bytes) FROM frame_chunk').pluck().get()).toBe(60 + 60 + 98 + 98);
    const offsets = columnFromBlob('offset', db.prepare("SELECT data FROM frame_column WHERE name = 'offset'").pluck().get() as Uint8Array);
    expect([...offsets]).toEqual([0, 0, 0, 0, 60, 60, 60, 60, 120, 120, 120, 120, 218, 218, 218, 218]);
    const points = s.listFrames({ offset: 8, limit: 4, allCapturePoints: true });
    expect(points.map((r) => r.no)).toEqual([9, 10, 11, 12]);
    for (const r of points) expect([r.protocol, r.src, r.dst, r.info]).toEqual([points[0]!.protocol, points[0]!.src, points[0]!.dst, points[0]!.info]);
    expect(points[0]!.protocol).toBe('ICMP');
    const lab = tinyLab();
    for (let no = 1; no <= 16; no++) expect(toHex(s.getFrame(no)!.bytes)).toBe(toHex(lab.frames[no - 1]!.bytes));
    s.close();
  });

  it('a frame whose copies fall in the next chunk keeps its keys there (bytes stored again)', () => {
    const s = filled(':memory:', { batchSize: 3 });
    const db = (s as unknown as { db: Database.Database }).db;
    s.flush();
    expect(db.prepare('SELECT first_no, rows, first_pos, view_rows FROM frame_chunk ORDER BY first_no').raw(true).all()).toEqual([
      [1, 3, 0, 1], [4, 3, 1, 1], [7, 3, 2, 1], [10, 3, 3, 0], [13, 3, 3, 1], [16, 1, 4, 0],
    ]);
    const whole = filled();
    expect(s.listFrames({ offset: 0, limit: 20, allCapturePoints: true })).toEqual(whole.listFrames({ offset: 0, limit: 20, allCapturePoints: true }));
    for (let pos = 0; pos < 4; pos++) expect(s.listFrames({ offset: pos, limit: 1 })).toEqual(whole.listFrames({ offset: pos, limit: 1 }));
    whole.close();
    s.close();
  });

  it('refuses a writer thread for an in-memory trace', () => {
    expect(() => TraceStore.open(':memory:', { writer: 'thread' })).toThrow(/in-memory trace cannot have a writer thread/);
  });

  it('uses WAL for file databases and records the schema version', () => {
    const path = join(dir, 'w.db');
    TraceStore.open(path).close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get()).toBe(String(SCHEMA_VERSION));
    db.close();
  });

  it('reopens a file after close: same frames, numbering continues', () => {
    const path = join(dir, 'r.db');
    filled(path).close(); // close flushes the buffer
    const s = TraceStore.open(path);
    expect(s.capture()).toEqual({ id: 1, lab: 'tiny', seed: 1, startedWallMs: 0 });
    expect(s.countFrames()).toBe(4);
    expect(s.countFrames({ allCapturePoints: true })).toBe(16);
    expect(s.listFrames({ offset: 0, limit: 10 }).map((r) => r.no)).toEqual([1, 5, 9, 13]);
    expect(s.getFrame(16)!.row).toMatchObject({ machine: 'h1', nic: 'eth0', dir: 'rx' });
    s.frame({ ...tinyLab().frames[0]!, frameId: 5, at: 2_000_000_000 });
    expect(s.listFrames({ offset: 4, limit: 10 }).map((r) => [r.no, r.frameId])).toEqual([[17, 5]]);
    s.close();
  });

  it('upgrades a version 2 file: the frame table becomes chunks', () => {
    const path = join(dir, 'v2.db');
    const old = new Database(path);
    migrate(old, MIGRATIONS.filter((m) => m.version <= 2));
    old.close();
    const s = TraceStore.open(path);
    for (const f of tinyLab().frames) s.frame(f);
    s.close();
    const db = new Database(path, { readonly: true });
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'frame'").all()).toEqual([]);
    expect(db.prepare('SELECT SUM(rows) FROM frame_chunk').pluck().get()).toBe(tinyLab().frames.length);
    db.close();
  });

  it('upgrades a version 8 file with frames: its rows (holders and bytes_of copies) read as a store that wrote them today', () => {
    const path = join(dir, 'v8.db');
    const old = new Database(path);
    migrate(old, MIGRATIONS.filter((m) => m.version <= 8));
    old.exec(`INSERT INTO capture (id, lab, base_no) VALUES (1, 'tiny', 0);
      INSERT INTO interface (id, capture, machine, nic) VALUES (1, 1, 'h1', 'eth0'), (2, 1, 'sw1', 'p1'), (3, 1, 'sw1', 'p2'), (4, 1, 'h2', 'eth0');`);
    const points = new Map([['h1:eth0', 1], ['sw1:p1', 2], ['sw1:p2', 3], ['h2:eth0', 4]]);
    const holder = old.prepare(`INSERT INTO frame (no, capture, frame_id, first, first_no, time_ns, interface, dir, length, bytes, eth_src, eth_dst, ethertype, protocol, src, dst, info)
      VALUES (?, 1, ?, 1, ?, ?, ?, ?, ?, ?, 0, 0, 0, 'old', 'old', 'old', 'old')`);
    const copy = old.prepare('INSERT INTO frame (no, capture, frame_id, first, first_no, time_ns, interface, dir, length, bytes_of) VALUES (?, 1, ?, 0, NULL, ?, ?, ?, ?, ?)');
    let holderNo = 0;
    let view = 0;
    tinyLab().frames.forEach((f, i) => {
      const iface = points.get(`${f.machine}:${f.nic}`)!;
      if (f.first) holder.run(i + 1, f.frameId, ++view, f.at, iface, f.dir, f.bytes.length, f.bytes);
      else copy.run(i + 1, f.frameId, f.at, iface, f.dir, f.bytes.length, holderNo);
      if (f.first) holderNo = i + 1;
    });
    old.close();
    const s = TraceStore.open(path);
    const today = filled();
    expect(s.listFrames({ offset: 0, limit: 20, allCapturePoints: true })).toEqual(today.listFrames({ offset: 0, limit: 20, allCapturePoints: true }));
    for (let no = 1; no <= 16; no++) expect(toHex(s.getFrame(no)!.bytes)).toBe(toHex(today.getFrame(no)!.bytes));
    today.close();
    s.close();
  });

  it('upgrades a version 9 file: its columns, keyed by chunk first, read as before', () => {
    const path = join(dir, 'v9.db');
    // Kernel records with data, two of them the same text.
    const withData = (store: TraceStore): TraceStore => {
      for (const n of [1, 2, 1]) store.kernel({ at: n, machine: 'h1', type: 'info', text: `note ${n}`, data: { n } });
      return store;
    };
    withData(filled(path, { batchSize: 5 })).close();
    downgradeToSchema9(path);
    const s = TraceStore.open(path);
    const today = withData(filled());
    expect(s.listFrames({ offset: 0, limit: 20, allCapturePoints: true })).toEqual(today.listFrames({ offset: 0, limit: 20, allCapturePoints: true }));
    const icmp = (store: TraceStore): number[] => {
      const view = FilterView.create('icmp.type == 0 or icmp.type == 8');
      if (!(view instanceof FilterView)) throw new Error(view.message);
      view.advance(store);
      return view.matches;
    };
    expect(icmp(s)).toEqual([9, 13]); // the echo pair, read from the converted columns
    expect(icmp(today)).toEqual([9, 13]);
    // Kernel records kept in their rows at schema 9: their data moved to kernel_data, each text once (V11).
    expect(s.kernelEvents()).toEqual(today.kernelEvents());
    const check = new Database(path, { readonly: true });
    expect(schemaVersion(check)).toBe(SCHEMA_VERSION);
    expect(check.prepare("SELECT name FROM pragma_table_info('kernel_event') WHERE name IN ('data', 'data_id')").pluck().all()).toEqual(['data_id']);
    const [events, texts] = check.prepare('SELECT (SELECT COUNT(*) FROM kernel_event WHERE data_id IS NOT NULL), (SELECT COUNT(*) FROM kernel_data)').raw().get() as [number, number];
    expect([events, texts]).toEqual([3, 2]);
    // The key's order: capture, chunk, name (each batch's inserts append at the index's end).
    expect(check.prepare("SELECT name FROM pragma_index_info('sqlite_autoindex_frame_column_1') ORDER BY seqno").pluck().all()).toEqual(['capture', 'chunk', 'name']);
    check.close();
    today.close();
    s.close();
  });

  it('refuses a database from a newer schema', () => {
    const path = join(dir, 'n.db');
    TraceStore.open(path).close();
    const db = new Database(path);
    db.prepare("UPDATE meta SET value = '99' WHERE key = 'schema_version'").run();
    db.close();
    expect(() => TraceStore.open(path)).toThrow(/schema version 99/);
  });

  it('reset() starts an empty capture numbered from 1, dropping the old one unless asked to keep it', () => {
    const path = join(dir, 'reset.db');
    const s = filled(path);
    s.reset({ lab: 'again', seed: 2, startedWallMs: 5 });
    const reader = new Database(path, { readonly: true });
    expect(reader.prepare('SELECT (SELECT COUNT(*) FROM kernel_event) + (SELECT COUNT(*) FROM kernel_data)').pluck().get()).toBe(0);
    reader.close();
    expect(s.countFrames({ allCapturePoints: true })).toBe(0);
    expect(s.listFrames({ offset: 0, limit: 10 })).toEqual([]);
    expect(s.kernelEvents()).toEqual([]);
    expect(s.capture()).toMatchObject({ lab: 'again', seed: 2 });
    for (const f of tinyLab().frames) s.frame(f);
    expect(s.listFrames({ offset: 0, limit: 10 }).map((r) => r.no)).toEqual([1, 5, 9, 13]);
    s.reset({ keepPrevious: true });
    for (const f of tinyLab().frames.slice(0, 3)) s.frame(f);
    expect(s.listFrames({ offset: 0, limit: 10, allCapturePoints: true }).map((r) => [r.no, r.machine])).toEqual([[1, 'h1'], [2, 'sw1'], [3, 'sw1']]);
    expect(s.getFrame(4)).toBeNull();
    expect(readPcapng(s.exportPcapng()).packets).toHaveLength(3);
    s.close();
  });

  it('guards against N-API < 10 with a clear message', () => {
    expect(() => assertNapi10({ napi: '9', node: '20.20.2' })).toThrow(NAPI_REQUIRED_MESSAGE);
    expect(() => assertNapi10({ napi: '9', node: '20.20.2' })).toThrow(/this is Node 20.20.2, N-API 9/);
    expect(() => assertNapi10({})).toThrow(/Node >= 22.14/);
    expect(() => assertNapi10({ napi: '10' })).not.toThrow();
    expect(() => assertNapi10()).not.toThrow(); // this test runs on the project's Node 22
  });
});

describe('TraceStore export', () => {
  it('pcapng: every capture point, one interface per NIC, kernel notes as comments', () => {
    const s = filled();
    const r = readPcapng(s.exportPcapng());
    expect(r.damage).toBeUndefined();
    expect(r.interfaces.map((i) => i.name)).toEqual(['h1:eth0', 'sw1:p1', 'sw1:p2', 'h2:eth0']);
    const lab = tinyLab();
    expect(r.packets.map((p) => p.timeNs)).toEqual(lab.frames.map((f) => f.at));
    expect(r.packets.map((p) => toHex(p.bytes))).toEqual(lab.frames.map((f) => toHex(f.bytes)));
    const commented = r.packets.flatMap((p, i) => (p.comments ? [[i + 1, r.interfaces[p.ifIndex]!.name, p.comments]] : []));
    expect(commented).toEqual([
      [12, 'h2:eth0', [lab.kernel[0]!.text]],
      [16, 'h1:eth0', [lab.kernel[1]!.text]],
    ]);
    s.close();
  });

  it('pcapng of the default view: each frame once, every machine\'s notes', () => {
    const s = filled();
    s.kernel({ at: 1, machine: 'sw1', type: 'info', frameId: 3, text: 'learned 02:00:00:00:01:01 on p1' });
    const r = readPcapng(s.exportPcapng({ allCapturePoints: false }));
    expect(r.packets).toHaveLength(4);
    expect(r.packets[2]!.comments).toEqual([`h2: ${tinyLab().kernel[0]!.text}`, 'sw1: learned 02:00:00:00:01:01 on p1']);
    expect(readPcapng(s.exportPcapng({ comments: false })).packets.every((p) => p.comments === undefined)).toBe(true);
    s.close();
  });

  it('a row naming a capture point the capture does not list is named, not exported as interface 0', () => {
    const path = join(dir, 'lost-point.sqlite');
    filled(path).close();
    const db = new Database(path);
    db.prepare("DELETE FROM interface WHERE machine = 'sw1' AND nic = 'p2'").run();
    db.close();
    const s = TraceStore.open(path, { readOnly: true });
    expect(s.listFrames({ offset: 0, limit: 100, allCapturePoints: true }).map((r) => r.machine)).toContain('?');
    expect(() => s.exportPcapng()).toThrow(/^trace frame 3 names capture point \d+, which the capture does not list$/);
    s.close();
  });

  it('streams exports in pieces of at most 8 MiB, which make the same file as a whole export', () => {
    const s = TraceStore.open(':memory:');
    const lab = tinyLab();
    for (let pass = 0; pass < 8000; pass++) for (const f of lab.frames) s.frame({ ...f, frameId: f.frameId + pass * 4, at: f.at + pass * 1e6 });
    const pieces: number[] = [];
    const streamed: Uint8Array[] = [];
    s.streamPcapng({ comments: false }, (b) => {
      pieces.push(b.length);
      streamed.push(b.slice());
    });
    expect(pieces.length).toBeGreaterThan(1);
    expect(Math.max(...pieces)).toBeLessThanOrEqual(8 << 20);
    const whole = s.exportPcapng({ comments: false });
    expect(Buffer.concat(streamed).equals(whole)).toBe(true);
    expect(readPcapng(whole).packets).toHaveLength(8000 * 16);
    s.close();
  });

  it('is deterministic: the same events give the same bytes', () => {
    const a = filled();
    const b = filled();
    expect(toHex(a.exportPcapng())).toBe(toHex(b.exportPcapng()));
    expect(toHex(a.exportPcap())).toBe(toHex(b.exportPcap()));
    a.close();
    b.close();
  });

  it('classic pcap: the default view, each frame once', () => {
    const s = filled();
    const r = readPcap(s.exportPcap());
    expect(r.damage).toBeUndefined();
    const firsts = tinyLab().frames.filter((f) => f.first);
    expect(r.packets.map((p) => [p.timeNs, toHex(p.bytes)])).toEqual(firsts.map((f) => [f.at, toHex(f.bytes)]));
    s.close();
  });

  it('an empty capture exports valid empty files', () => {
    const s = TraceStore.open(':memory:');
    expect(readPcapng(s.exportPcapng())).toMatchObject({ interfaces: [], packets: [] });
    expect(readPcap(s.exportPcap())).toMatchObject({ packets: [] });
    s.close();
  });
});

describe('TraceStore machine logs', () => {
  it('pages a machine\'s log events through the partial index', () => {
    const s = TraceStore.open(':memory:');
    for (let i = 0; i < 5; i++) s.kernel({ at: i, machine: i % 2 ? 'a' : 'b', type: 'log', text: `line ${i}` });
    s.kernel({ at: 9, machine: 'a', type: 'info', text: 'not a log line' });
    expect(s.kernelEvents({ machine: 'a', type: 'log' }).map((e) => e.text)).toEqual(['line 1', 'line 3']);
    expect(s.kernelEvents({ machine: 'b', type: 'log', offset: 1, limit: 1 }).map((e) => e.text)).toEqual(['line 2']);
    const db = (s as unknown as { db: Database.Database }).db;
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT id FROM kernel_event WHERE capture = 1 AND machine = 'a' AND type = 'log' ORDER BY id").all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('kernel_event_log');
    s.close();
  });
});
