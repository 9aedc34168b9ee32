import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { KernelEvent } from '../../shared/trace';
import { EtherType, IpProto, TcpFlag, writeEthernet, writeIpv4, writeTcp } from '../../shared/wire';
import { BatchPacker, KERNEL_STRINGS, type PackedBatch } from './batch';
import { BatchWriter } from './batch-writer';
import { CaptureState } from './capture-state';
import { columnFromBlob } from './columns';
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
    new BatchWriter(db).write([batch]);
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
    expect(() => new BatchWriter(db).write([batch])).toThrow(`kernel batch: string index ${batch.kernelStrings.length} of event 1 is outside its ${batch.kernelStrings.length} strings`);
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
      writer.write([packer.take(cap)]);
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

/** A SYN from 10.0.0.1:port to 10.0.0.2:80 with correct checksums. */
function syn(port: number): Uint8Array {
  const b = new Uint8Array(54);
  writeEthernet(b, 0, { dst: 0x020000000002, src: 0x020000000001, etherType: EtherType.IPV4 });
  writeTcp(b, 34, { srcPort: port, dstPort: 80, seq: 1000 * port, ack: 0, flags: TcpFlag.SYN, window: 64240, payloadLength: 0, src: 0x0a000001, dst: 0x0a000002 });
  writeIpv4(b, 14, { id: port, protocol: IpProto.TCP, src: 0x0a000001, dst: 0x0a000002, payloadLength: 20 });
  return b;
}

describe('BatchWriter: several batches in one commit', () => {
  /**
   * Five connections' SYNs, each captured at the client's tx and the server's rx, packed 3 events a
   * batch: a frame's copy often falls in the batch after its first capture. The copy has its
   * frame's tcp.stream only when it finds that first capture; alone it would be stream 0.
   */
  function batches(cap: CaptureState): PackedBatch[] {
    const out: PackedBatch[] = [];
    const packer = new BatchPacker();
    for (let c = 0; c < 5; c++) {
      const bytes = syn(40000 + c);
      for (const [machine, dir, first] of [['client', 'tx', true], ['server', 'rx', false]] as const) {
        packer.addFrame(cap, { at: c * 1000 + (first ? 0 : 500), frameId: c + 1, first, machine, nic: 'eth0', dir, bytes });
        if (packer.pending === 3) out.push(packer.take(cap));
      }
    }
    if (packer.pending > 0) out.push(packer.take(cap));
    return out;
  }
  const streams = (db: Database.Database): number[] =>
    (db.prepare("SELECT data FROM frame_column WHERE name = 'stream' ORDER BY chunk").pluck().all() as Uint8Array[]).flatMap((d) => [...columnFromBlob('stream', d)]);
  const stored = (db: Database.Database) => ({
    chunks: db.prepare('SELECT first_no, rows, first_pos, view_rows, hex(bytes) AS bytes FROM frame_chunk ORDER BY first_no').all(),
    columns: db.prepare('SELECT chunk, name, hex(data) AS data FROM frame_column ORDER BY chunk, name').all(),
  });

  it('stores what one commit per batch stores; a copy finds its frame in an earlier batch of the same commit', () => {
    const one = setUp();
    const each = new BatchWriter(one.db);
    for (const b of batches(one.cap)) each.write([b]);
    const grouped = setUp();
    const all = batches(grouped.cap);
    expect(all).toHaveLength(4);
    const writer = new BatchWriter(grouped.db);
    writer.write(all.slice(0, 3));
    writer.write(all.slice(3));
    expect(streams(grouped.db)).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
    expect(stored(grouped.db)).toEqual(stored(one.db));
  });

  it('a commit that fails writes none of its batches, and later batches do not find its rows', () => {
    const { db, cap } = setUp();
    const all = batches(cap);
    const writer = new BatchWriter(db);
    writer.write(all.slice(0, 1));
    all[2]!.kernelCount = 1; // one event and no strings: refused after batch 1 is written in the same commit
    expect(() => writer.write(all.slice(1, 3))).toThrow(/kernel batch/);
    expect(db.prepare('SELECT first_no FROM frame_chunk').pluck().all()).toEqual([1]);
    writer.write(all.slice(3));
    // Batch 3 is connection 4's copy, whose first capture was lost with batch 2 (stream 4 there):
    // not found, it is numbered alone.
    expect(streams(db)).toEqual([0, 0, 1, 0]);
  });
});
