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
    const rows = db.prepare('SELECT time_ns AS at, machine, type, reason, text, data FROM kernel_event ORDER BY id').all();
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
});
