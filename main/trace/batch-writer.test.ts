import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { KernelEvent } from '../../shared/trace';
import { BatchPacker, KERNEL_STRINGS } from './batch';
import { BatchWriter } from './batch-writer';
import { CaptureState } from './capture-state';
import { migrate } from './migrations';

function setUp(): { db: Database.Database; cap: CaptureState } {
  const db = new Database(':memory:');
  migrate(db);
  return { db, cap: CaptureState.current(db, {}) };
}

const event = (i: number, machine: string): KernelEvent => ({ at: i, machine, type: 'log', text: `line ${i % 3}` });

describe('BatchWriter: kernel events', () => {
  it("writes each event's strings from the batch's distinct strings", () => {
    const { db, cap } = setUp();
    const packer = new BatchPacker();
    for (let i = 0; i < 6; i++) packer.addKernel(event(i, i % 2 ? 'a' : 'b'));
    const batch = packer.take(cap);
    expect(batch.kernelStrings.length).toBeLessThan(6 * KERNEL_STRINGS);
    new BatchWriter(db).write(batch);
    const rows = db.prepare('SELECT time_ns AS at, machine, type, reason, text, data FROM kernel_event LEFT JOIN kernel_data USING (data_id) ORDER BY id').all();
    expect(rows).toEqual([0, 1, 2, 3, 4, 5].map((i) => ({ at: i, machine: i % 2 ? 'a' : 'b', type: 'log', reason: null, text: `line ${i % 3}`, data: null })));
  });

  it('refuses a batch whose string index is out of range, and writes none of it', () => {
    const { db, cap } = setUp();
    const packer = new BatchPacker();
    packer.addKernel(event(0, 'a'));
    packer.addKernel(event(1, 'a'));
    const batch = packer.take(cap);
    batch.kernelRefs[KERNEL_STRINGS + 3] = batch.kernelStrings.length;
    expect(() => new BatchWriter(db).write(batch)).toThrow(`kernel batch: string index ${batch.kernelStrings.length} of event 1 is outside its ${batch.kernelStrings.length} strings`);
    expect(db.prepare('SELECT COUNT(*) AS n FROM kernel_event').get()).toEqual({ n: 0 });
  });

  it('stores each distinct data text once, across batches, and every event reads back its own', () => {
    const { db, cap } = setUp();
    const writer = new BatchWriter(db);
    const withData = (i: number): KernelEvent => ({ at: i, machine: 'a', type: 'info', text: `event ${i}`, data: { queue: i % 3 === 0 ? 'accept queue' : 'receive queue', n: i % 2 } });
    for (const first of [0, 10]) {
      const packer = new BatchPacker();
      for (let i = first; i < first + 10; i++) packer.addKernel(withData(i));
      packer.addKernel(event(first + 10, 'a')); // no data
      writer.write(packer.take(cap));
    }
    const distinct = new Set(Array.from({ length: 20 }, (_, i) => JSON.stringify(withData(i).data))).size;
    expect(db.prepare('SELECT COUNT(*) AS n FROM kernel_data').get()).toEqual({ n: distinct });
    // The same text in both batches is one row: every event with it names the same data_id.
    const ids = db.prepare('SELECT data, COUNT(DISTINCT data_id) AS ids FROM kernel_event JOIN kernel_data USING (data_id) GROUP BY data').all() as { ids: number }[];
    expect(ids.map((r) => r.ids)).toEqual(Array(distinct).fill(1));
    const rows = db.prepare('SELECT text, data FROM kernel_event LEFT JOIN kernel_data USING (data_id) ORDER BY id').all() as { text: string; data: string | null }[];
    expect(rows.filter((r) => r.data === null).map((r) => r.text)).toEqual(['line 1', 'line 2']);
    for (const r of rows.filter((r) => r.data !== null)) expect(JSON.parse(r.data!), r.text).toEqual(withData(Number(r.text.split(' ')[1])).data);
  });
});
