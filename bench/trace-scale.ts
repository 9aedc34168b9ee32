// The trace at issue 6's scale: 1,000,000 frames of a point-to-point TCP lab (each captured at the
// sender's and the receiver's NIC: 2,000,000 capture rows) ingested into a SQLite trace file by the
// writer thread, as the app does; beside it, in the same run, the naive way (one INSERT per capture
// row with its blob, batched in transactions on this thread). Then, on the 1M-frame trace: 1,000-row
// pages of the packet list (each at a new place: no chunk cached; timed once the list's code is
// compiled, the first pages' figure in the notes), opening it to view in place,
// display filters over the whole trace (each from a fresh view: the first run reads its columns from
// the file, later ones from the columns read lately, as the app's filters do), and pcapng
// export streamed to a sink that keeps nothing (the exporter's own speed) and to a file (bounded by
// this machine's disk).
//
// The frames are a real lab's (a 5 MB bulk transfer traced once), replayed with fresh frame ids and
// times. Each wire frame's bytes are a copy of its own, never another frame's array: the store
// shares the bytes of rows holding the same array (a frame's captures at its two NICs), and a
// batch holds ~1,000 wire frames. The copies are made once, for two passes over the sample (over
// 10,000 frames apart), and refilled: a fresh array per frame would time the producer's allocator
// and its garbage collection (~1.2 us a frame here), which the simulation pays traced or not. (The
// store copies a frame's bytes into its batch when given them and keeps no reference past the
// batch; SQLite, in the naive way, copies them when they are bound.) Each measurement starts after
// the page cache's dirty pages are written out (settle).
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrameEvent, TraceSink } from '../shared/trace';
import { FilterView, TraceStore } from '../main/trace';
import { openTraceView } from '../main/trace/trace-import';
import { median, medianBy, medianOf, report } from './harness';
import { bulkLab } from './tcp-labs';

const FRAMES = 1_000_000;

/**
 * Write the page cache's dirty pages out before a measurement: the gigabytes the run before wrote
 * would otherwise be flushed during the next one, by kernel threads on the same two cores.
 */
const settle = (): void => void execFileSync('sync');

/**
 * The capture rows of a 5 MB bulk transfer (2 per wire frame), in order. A frame's other capture
 * rows carry its first row's array, as the simulation's do; they need not follow it at once
 * (another frame's row can come between), but they come after it, which replay() relies on.
 */
function sampleRows(): FrameEvent[] {
  const rows: FrameEvent[] = [];
  const sink: TraceSink = { frame: (e) => void rows.push(e), kernel: () => {} };
  const { world, received } = bulkLab(sink, 5_000_000);
  while (received() < 5_000_000 && world.now < 60e9) world.sched.runFor(10e6);
  const seen = new Set<number>();
  for (const [k, e] of rows.entries()) {
    if (e.first) seen.add(e.frameId);
    else if (!seen.has(e.frameId)) throw new Error(`sample row ${k} (frame ${e.frameId}) comes before its frame's first row`);
  }
  return rows;
}

/** The store's batch, in events: a reused copy must be further apart than this (see above). */
const BATCH = 2000;

/** Feed `frames` wire frames (their capture rows) to `emit`, replaying the sample; `fresh`: a new array per frame. */
function replay(sample: FrameEvent[], frames: number, emit: (e: FrameEvent) => void, fresh = false): number {
  const span = sample.at(-1)!.at - sample[0]!.at + 1000;
  const perPass = sample.filter((e) => e.first).length;
  if (2 * sample.length <= BATCH) throw new Error(`the sample's ${sample.length} rows are too few: a reused copy would come back within one batch`);
  const copies: Uint8Array[] = [];
  // Each frame's array, indexed by frame id within the sample (no map in the timed loop); each pass
  // sets it at the frame's first row, before its other rows (sampleRows).
  const firstId = Math.min(...sample.map((e) => e.frameId));
  const ofFrame: Uint8Array[] = [];
  let rows = 0;
  for (let pass = 0, done = 0; done < frames; pass++) {
    for (let k = 0; k < sample.length; k++) {
      const e = sample[k]!;
      const id = e.frameId - firstId;
      if (e.first) {
        if (done === frames) break;
        done++;
        let bytes: Uint8Array;
        if (fresh) {
          bytes = new Uint8Array(e.bytes);
        } else {
          const at = (pass & 1) * sample.length + k;
          bytes = copies[at] ??= new Uint8Array(e.bytes.length);
          bytes.set(e.bytes);
        }
        bytes[bytes.length - 1] = stamp(pass); // a copy reused two passes later then differs (checkStoredBytes)
        ofFrame[id] = bytes;
      }
      const bytes = ofFrame[id]!;
      emit({ at: e.at + pass * span, frameId: e.frameId + pass * perPass * 4, first: e.first, machine: e.machine, nic: e.nic, dir: e.dir, bytes });
      rows++;
    }
  }
  return rows;
}

/** Each pass marks its frames' last byte: a reused copy holds another pass's mark by the time it is reused. */
const stamp = (pass: number): number => pass & 0xff;

/**
 * The reused copies break FrameEvent's promise (the sink may keep the bytes without copying): the
 * figures stand only while the store copies them within their batch. Checked after each such run:
 * rows across the trace read back as the sample row each was replayed from, with its pass's mark
 * (a store that kept the array would show the mark of the pass that reused it).
 */
function checkStoredBytes(path: string, sample: FrameEvent[], rows: number): void {
  const reader = TraceStore.open(path, { readOnly: true });
  try {
    for (let r = 0; r < rows; r += Math.max(1, Math.floor(rows / 97))) {
      const got = reader.getFrame(r + 1)?.bytes;
      const want = Uint8Array.from(sample[r % sample.length]!.bytes);
      want[want.length - 1] = stamp(Math.floor(r / sample.length));
      if (!got || Buffer.compare(got, want) !== 0) throw new Error(`capture row ${r + 1} was stored with other bytes than it was replayed with: the store kept a reused copy`);
    }
  } finally {
    reader.close();
  }
}

export function benchTraceScale(frames = FRAMES): void {
  const dir = mkdtempSync(join(tmpdir(), 'packet-lab-bench-scale-'));
  try {
    const sample = sampleRows();

    // Naive: one row per capture row with its blob, prepared statement, 2,000 rows per transaction.
    settle();
    const naiveDb = new Database(join(dir, 'naive.sqlite'));
    naiveDb.pragma('journal_mode = WAL');
    naiveDb.pragma('synchronous = NORMAL');
    naiveDb.exec('CREATE TABLE frame (no INTEGER PRIMARY KEY, time_ns INTEGER, machine TEXT, nic TEXT, dir TEXT, length INTEGER, bytes BLOB)');
    const ins = naiveDb.prepare('INSERT INTO frame (time_ns, machine, nic, dir, length, bytes) VALUES (?, ?, ?, ?, ?, ?)');
    const insertMany = naiveDb.transaction((batch: FrameEvent[]) => {
      for (const e of batch) ins.run(e.at, e.machine, e.nic, e.dir, e.bytes.length, e.bytes);
    });
    const naiveFrames = Math.min(frames, 200_000); // a fifth of the work: its rate is steady
    let batch: FrameEvent[] = [];
    const t0 = performance.now();
    const naiveRows = replay(sample, naiveFrames, (e) => {
      batch.push(e);
      if (batch.length === BATCH) {
        insertMany(batch);
        batch = [];
      }
    });
    insertMany(batch);
    const naiveSecs = (performance.now() - t0) / 1000;
    naiveDb.close();
    const naiveRate = naiveFrames / naiveSecs;
    report({ name: 'trace-ingest.naive-row-per-capture-with-blob', figure: naiveRate, unit: 'frames/s', notes: { frames: naiveFrames, captureRows: naiveRows, rowsPerSecond: Math.round(naiveRows / naiveSecs), wallSeconds: Number(naiveSecs.toFixed(2)) } });

    // The store: packing on this thread, SQLite on the writer thread; the clock stops when all is
    // committed. Three runs, each into a new file (the median is reported: this machine's wall
    // times swing by a quarter between runs); the last file is kept for the reads below. One run
    // after them with a fresh array per frame, as the simulation makes frames: its figure (in the
    // notes) counts that allocation and its garbage collection too.
    const path = join(dir, 'trace.sqlite');
    const ingest = (fresh: boolean) => {
      rmSync(path, { force: true });
      settle();
      const store = TraceStore.open(path, { lab: 'bench', seed: 1, startedWallMs: 0, batchSize: BATCH });
      const t = performance.now();
      // One frame in 1,000 is recorded as dropped (a kernel record), so lab.drop_reason has frames to find.
      let firsts = 0;
      const rows = replay(sample, frames, (e) => {
        store.frame(e);
        if (e.first && ++firsts % 1000 === 0) store.kernel({ at: e.at, machine: e.machine, type: 'drop', reason: 'TCP_OLD_DATA', frameId: e.frameId, text: 'dropped (benchmark)' });
      }, fresh);
      store.flush();
      const secs = (performance.now() - t) / 1000;
      // What the checkpoint thread has not yet copied from the WAL into the file, close() copies.
      const walMB = (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0) / 2 ** 20;
      const tClose = performance.now();
      store.close();
      const closeSeconds = (performance.now() - tClose) / 1000;
      if (!fresh) checkStoredBytes(path, sample, rows);
      return { rows, secs, walMB, closeSeconds };
    };
    const runs = [ingest(false), ingest(false), ingest(false)];
    const freshRun = ingest(true); // after the others, warm as they are; the file it leaves holds the same frames
    const mid = medianBy(runs, (r) => r.secs);
    const rate = frames / mid.secs;
    report({
      name: 'trace-ingest.store-1M-frames',
      figure: rate,
      unit: 'frames/s',
      notes: {
        frames,
        captureRows: mid.rows,
        rowsPerSecond: Math.round(mid.rows / mid.secs),
        wallSeconds: Number(mid.secs.toFixed(2)),
        runsFramesPerSecond: runs.map((r) => Math.round(frames / r.secs)).join(' '),
        freshArraysFramesPerSecond: Math.round(frames / freshRun.secs),
        timesNaive: Number((rate / naiveRate).toFixed(2)),
        walMBAtCommit: Math.round(mid.walMB),
        closeSeconds: Number(mid.closeSeconds.toFixed(2)),
        fileMB: Math.round(statSync(path).size / 2 ** 20),
        target: '>= 300,000 frames/s and >= 3x naive',
      },
    });

    // 1,000-row pages of the packet list, each at a new place (a reopened store: no chunk cached),
    // 21 places spread over the trace. The first pages also time the compiling of the list's code
    // (the process has not run it before; the notes give the first page and the first 21's median):
    // what scrolling costs is timed on the next 21, at places halfway between.
    settle();
    const reader = TraceStore.open(path, { readOnly: true });
    const total = reader.countFrames();
    const pages = (shift: number): number[] =>
      Array.from({ length: 21 }, (_, place) => {
        const offset = Math.floor((((place * 7919) % 21) + shift) * (total / 21));
        const t = performance.now();
        reader.listFrames({ offset, limit: 1000 });
        return performance.now() - t;
      });
    const firstPages = pages(0);
    const pageMs = medianOf(pages(0.5));
    const pageNotes = { frames: total, places: 21, firstPageMs: Number(firstPages[0]!.toFixed(2)), firstPagesMs: Number(medianOf(firstPages).toFixed(2)), target: '<= 5 ms' };
    report({ name: 'trace-page.1000-rows-of-1M', figure: pageMs, unit: 'ms', notes: pageNotes });

    // Opening the trace to view it (File -> Open trace, --trace): read-only in place, its chunk list
    // loaded and every chunk's columns and offsets checked (TraceStore.verify), then the first page.
    const openMs = median(5, () => {
      const t = performance.now();
      const opened = openTraceView(path);
      if (!opened.ok) throw new Error(opened.error);
      opened.view.store.listFrames({ offset: 0, limit: 1000 });
      const ms = performance.now() - t;
      opened.view.close();
      return ms;
    });
    report({ name: 'trace-open.1M-frames-to-first-page', figure: openMs, unit: 'ms', notes: { frames: total, what: 'open to view in place, check, read the first 1,000 rows', target: 'first rows of a 1,000,000-frame trace within 300 ms' } });

    // Display filters over the whole trace, each from a fresh view (the packet list's FilterView). The
    // first run of each reads from the file the columns no earlier filter read (every filter reads
    // `has`: after the first filter it is in memory); later runs find theirs among the columns read
    // lately (ColumnCache), as a user refining a filter does. The figure is the median of 5 runs, the
    // first run is in the notes. Before the cache (89482cc and earlier) every run read the file.
    for (const filter of ['tcp.srcport == 9', 'tcp.flags.syn == 1', 'ip.addr == 10.0.0.1 && tcp.len > 0', 'lab.drop_reason']) {
      let matched = 0;
      const runs = Array.from({ length: 5 }, () => {
        const view = FilterView.create(filter);
        if (!(view instanceof FilterView)) throw new Error(view.message);
        const t = performance.now();
        view.advance(reader);
        matched = view.matches.length;
        return performance.now() - t;
      });
      const notes = { frames: total, matched, firstRunMs: Number(runs[0]!.toFixed(1)), runsMs: runs.map((x) => x.toFixed(1)).join(' '), path: filter === 'lab.drop_reason' ? "the frameId column and each chunk's drops (kernel records)" : 'columns', target: '<= 50 ms on an indexed field' };
      report({ name: `trace-filter-1M.${filter}`, figure: medianOf(runs), unit: 'ms', notes });
    }

    // pcapng of every capture point: streamed to a sink that keeps nothing, then to a file.
    for (const target of ['sink', 'file'] as const) {
      let bytesOut = 0;
      const out = join(dir, 'export.pcapng');
      const secs = median(3, () => {
        bytesOut = 0;
        settle();
        const fd = target === 'file' ? openSync(out, 'w') : -1;
        const t = performance.now();
        reader.streamPcapng({ comments: false }, (b) => {
          bytesOut += b.length;
          if (fd >= 0) writeSync(fd, b);
        });
        if (fd >= 0) closeSync(fd);
        return (performance.now() - t) / 1000;
      });
      rmSync(out, { force: true });
      report({ name: `trace-export.pcapng-1M-frames-to-${target}`, figure: bytesOut / secs / 1e9, unit: 'GB/s', notes: { bytes: bytesOut, wallSeconds: Number(secs.toFixed(2)), target: '>= 1 GB/s' } });
    }
    reader.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
