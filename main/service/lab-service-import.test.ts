// Importing captures made by other tools: the linux-truth pcaps (real kernels, tcpdump) open in the
// inspector with tshark's frame count and fields; a damaged file gives what was valid and where the
// damage starts; a file that is not a capture changes nothing.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import Database from 'better-sqlite3';
import { parseLab } from '../../shared/lab';
import { hasTshark, tempDir } from '../test/tools';
import { runHeadless } from './headless';
import { TraceStore } from '../trace';
import { pingPcap, TRUTH, truthCaptures } from '../test/captures';
import { IMPORT_MAX_BYTES } from '../../shared/api/contract';
import { dispatch } from './dispatch';
import { LabService } from './lab-service';
import { downgradeToSchema9 } from '../test/old-trace';

const truthFiles = truthCaptures();
if (truthFiles.length === 0) console.log(`lab-service-import.test.ts: the linux-truth comparison is skipped, no captures under ${TRUTH}`);

let svc: LabService | undefined;
let store: TraceStore | undefined;
afterEach(() => {
  svc?.dispose();
  store?.close();
});

function make(): LabService {
  store = TraceStore.open(':memory:');
  svc = new LabService(readFileSync('examples/two-hosts.lab.json', 'utf8'), { store, clock: { now: () => 0 } });
  return svc;
}

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

/** A trace written the way `run --db` writes it: the services lab through the writer thread. */
function servicesTrace(path: string): { frames: number; synNo: number; synFrameId: number } {
  const src = TraceStore.open(path, { lab: 'Services on a LAN', seed: 1, startedWallMs: 0 });
  const lab = parseLab(readFileSync('examples/services.lab.json', 'utf8'));
  if (!lab.ok) throw new Error('bad lab');
  runHeadless(lab.lab, src);
  const frames = src.countFrames();
  const syn = src.listFrames({ offset: 0, limit: 10_000 }).find((r) => r.info.includes('→ 21 [SYN]'))!;
  src.close();
  return { frames, synNo: syn.no, synFrameId: syn.frameId };
}

/** The services trace as an earlier version wrote it (schema 9), in a file of its own. */
function schema9Trace(): { path: string; frames: number; synNo: number } {
  const path = join(tempDir(), 'old.sqlite');
  const t = servicesTrace(path);
  downgradeToSchema9(path);
  return { path, ...t };
}

/** A service viewing an uploaded services trace: its frame count and the private copies the upload made. */
async function uploadedServicesTrace(): Promise<{ s: LabService; frames: number; copies: string[] }> {
  const path = join(tempDir(), 'services.sqlite');
  const { frames } = servicesTrace(path);
  const s = make();
  const copies = await madeBy('packet-lab-open-trace-', async () => {
    const r = await s.importCapture('services.sqlite', b64(readFileSync(path)));
    if (!r.ok) throw new Error(r.error);
  });
  return { s, frames, copies };
}

/** Point the frame's kernel event of that type at unreadable data; the rows changed. */
function damageData(db: Database.Database, type: string, frameId: number): number {
  db.prepare("INSERT INTO kernel_data (data) VALUES ('{not json') ON CONFLICT (data) DO NOTHING").run();
  const bad = db.prepare("SELECT data_id FROM kernel_data WHERE data = '{not json'").pluck().get();
  return db.prepare('UPDATE kernel_event SET data_id = ? WHERE type = ? AND frame_id = ?').run(bad, type, frameId).changes;
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** The folders whose names start with `prefix` that `fn` made in the temporary folder (a fresh one of its own, TMPDIR). */
async function madeBy(prefix: string, fn: () => unknown): Promise<string[]> {
  const own = tempDir();
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = own;
  try {
    expect(tmpdir()).toBe(own);
    await fn();
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
  return readdirSync(own)
    .filter((d) => d.startsWith(prefix))
    .map((d) => join(own, d));
}

describe('LabService.importCapture', () => {
  it.skipIf(!hasTshark || truthFiles.length === 0).each(truthFiles.map((f) => [f.slice(TRUTH.length + 1), f]))('%s: the frames and fields tshark shows, and the same TCP streams', async (_name, file) => {
    const s = make();
    const r = await s.importCapture(file.split('/').pop()!, b64(readFileSync(file)));
    if (!r.ok) throw new Error(r.error);
    const theirs = execFileSync('tshark', ['-r', file, '-T', 'fields', '-E', 'separator=|', '-e', 'frame.len', '-e', 'ip.src', '-e', 'ip.dst', '-e', 'tcp.srcport', '-e', 'tcp.dstport', '-e', 'tcp.stream', '-e', 'frame.time_relative'], { encoding: 'utf8' })
      .trim()
      .split('\n');
    expect([r.report.packets, r.report.skipped, r.report.damage]).toEqual([theirs.length, 0, undefined]);
    expect(r.state.status.frameCount).toBe(theirs.length);
    const page = await s.listFrames({ offset: 0, limit: 10_000 });
    for (const [i, line] of theirs.entries()) {
      const [len, src, dst, sport, dport, stream, rel] = line.split('|');
      const row = page.rows[i]!;
      // An ICMP error's quoted header gives tshark a second ip.src/ip.dst: the first is the packet's.
      expect([row.length, row.src, row.dst], `frame ${i + 1}`).toEqual([Number(len), src!.split(',')[0], dst!.split(',')[0]]);
      expect(row.timeNs, `frame ${i + 1}`).toBe(Math.round(Number(rel) * 1e9));
      if (sport && !sport.includes(',')) {
        expect(row.info, `frame ${i + 1}`).toContain(`${sport} → ${dport}`);
        const detail = (await s.getFrame(row.no))!;
        expect(detail.tcpStream, `frame ${i + 1}`).toBe(Number(stream));
      }
    }
    expect(r.state.doc.machines).toEqual([]);
    expect(r.state.status.labName).toBe(file.split('/').pop()!.replace(/\.pcap$/, ''));
  });

  it('a damaged file gives the packets before the damage and says where it starts', async () => {
    const s = make();
    const file = readFileSync(truthFiles[0] ?? 'main/trace/testdata/none.pcap');
    const cut = file.subarray(0, file.length - 10);
    const r = await s.importCapture('cut.pcap', b64(cut));
    if (!r.ok) throw new Error(r.error);
    expect(r.report.damage?.offset).toBeGreaterThan(24);
    expect(r.report.damage?.reason).toMatch(/truncated|cut|short|ends/i);
    expect(r.report.packets).toBeGreaterThan(0);
    expect(r.state.status.frameCount).toBe(r.report.packets);
  });

  it('a capture over the size the app imports is refused at the API with what to do', async () => {
    const s = make();
    const tooBig = 'A'.repeat(Math.ceil(IMPORT_MAX_BYTES / 3) * 4 + 4);
    await expect(dispatch(s, 'importCapture', ['big.pcap', tooBig])).rejects.toThrow(/importCapture: invalid argument 1: the capture is larger than the \d+ bytes the app imports \(cut it with editcap, or use tshark\)/);
  });

  it('a file that is not a capture is refused and the lab stays as it was', async () => {
    const s = make();
    const before = await s.getState();
    const r = await s.importCapture('notes.pcap', b64(Buffer.from('hello, this is not a capture file at all')));
    expect(r).toEqual({ ok: false, error: expect.stringMatching(/^notes\.pcap is not a capture Packet Lab can read: /) });
    expect((await s.getState()).doc).toEqual(before.doc);
  });
});

describe('LabService.importCapture of a Packet Lab trace file', () => {
  it('opens its latest capture with the kernel records: frames, deliveries and the syscalls that sent frames', async () => {
    const path = join(tempDir(), 'services.sqlite');
    const { frames, synNo } = servicesTrace(path);
    const s = make();
    const r = await s.importCapture('services.sqlite', b64(readFileSync(path)));
    if (!r.ok) throw new Error(r.error);
    expect(r.report).toEqual({ format: 'trace', packets: frames, skipped: 0, startNs: 0, lab: 'Services on a LAN' });
    expect(r.state.status.labName).toBe('Services on a LAN (trace)');
    expect(r.state.status.frameCount).toBe(frames);
    const syn = (await s.getFrame(synNo))!;
    expect(syn.row.info).toContain('→ 21 [SYN]');
    expect(syn.sentBy).toMatchObject({ machine: 'alice', process: 'ftp' });
    expect((await s.getDelivery(synNo)).map((d) => d.machine)).toEqual(['server']);
    expect((await s.listFrames({ offset: 0, limit: 1, filter: 'ftp' })).total).toBeGreaterThan(10);
  });

  it('opens a trace written by an earlier version (schema 9): its private copy is upgraded', async () => {
    const { path, frames } = schema9Trace();
    const bytes = readFileSync(path);

    const s = make();
    const r = await s.importCapture('old.sqlite', b64(bytes));
    if (!r.ok) throw new Error(r.error);
    expect(r.state.status.frameCount).toBe(frames);
    expect((await s.listFrames({ offset: 0, limit: 1, filter: 'ftp' })).total).toBeGreaterThan(10);
  });

  it('views the upload from a private copy, which is removed when another lab opens', async () => {
    const { s, frames, copies } = await uploadedServicesTrace();
    expect(copies).toHaveLength(1);
    expect((await s.getState()).status.frameCount).toBe(frames);
    await s.openLab(readFileSync('examples/two-hosts.lab.json', 'utf8'));
    expect(existsSync(copies[0]!)).toBe(false);
    expect((await s.getState()).status.frameCount).toBe(0);
  });

  it('refuses a SQLite file that is not a trace, changing nothing', async () => {
    const s = make();
    const before = await s.getState();
    const path = join(tempDir(), 'other.sqlite');
    const db = new Database(path);
    db.exec('CREATE TABLE t (x)');
    db.close();
    let r: Awaited<ReturnType<typeof s.importCapture>> | undefined;
    const copies = await madeBy('packet-lab-open-trace-', async () => {
      r = await s.importCapture('other.sqlite', b64(readFileSync(path)));
    });
    expect(r).toEqual({ ok: false, error: 'other.sqlite is not a Packet Lab trace this version can read: it has no trace schema (not written by Packet Lab)' });
    expect((await s.getState()).doc).toEqual(before.doc);
    expect(copies).toEqual([]); // the private copy of the refused upload is gone
  });

  it('a reset leaves the view for the lab\'s own (empty) trace and removes the private copy', async () => {
    const { s, frames, copies } = await uploadedServicesTrace();
    expect((await s.getState()).status.frameCount).toBe(frames);
    await s.reset();
    expect((await s.getState()).status.frameCount).toBe(0);
    expect(existsSync(copies[0]!)).toBe(false);
  });
});

describe('LabService.openFile (a trace of any size, or a capture, by its path)', () => {
  it('views its latest capture in place, kernel records included, and leaves the file as it was', async () => {
    const path = join(tempDir(), 'services.sqlite');
    const { frames, synNo } = servicesTrace(path);
    const before = sha256(path);
    const s = make();
    const r = s.openFile(path);
    if (!r.ok) throw new Error(r.error);
    expect(r.report).toEqual({ format: 'trace', packets: frames, skipped: 0, startNs: 0, lab: 'Services on a LAN' });
    expect(r.state.status.labName).toBe('Services on a LAN (trace)');
    expect(r.state.status.frameCount).toBe(frames);
    expect((await s.getDelivery(synNo)).map((d) => d.machine)).toEqual(['server']);
    expect((await s.getFrame(synNo))!.sentBy).toMatchObject({ machine: 'alice', process: 'ftp' });
    expect(sha256(path)).toBe(before);
  });

  it('reads a trace of an earlier schema from an upgraded copy, not changing the file', async () => {
    const { path, frames, synNo } = schema9Trace();
    const before = sha256(path);
    const s = make();
    const r = s.openFile(path);
    if (!r.ok) throw new Error(r.error);
    expect(r.state.status.frameCount).toBe(frames);
    expect((await s.listFrames({ offset: 0, limit: 1, filter: 'ftp' })).total).toBeGreaterThan(10);
    // Kernel records kept in their rows at schema 9 read back whole (V11 moved their data to kernel_data).
    const [delivery] = await s.getDelivery(synNo);
    expect([delivery?.machine, delivery?.socket?.state, delivery?.stateChange]).toEqual(['server', 'LISTEN', { from: 'LISTEN', to: 'SYN_RECV' }]);
    expect(sha256(path)).toBe(before);
  });

  it('is viewed until the lab changes: an edit leaves it for the lab\'s own trace, and its upgraded copy is removed', async () => {
    const { path, synNo } = schema9Trace();
    const s = make();
    const copies = await madeBy('packet-lab-upgrade-', () => {
      const r = s.openFile(path);
      if (!r.ok) throw new Error(r.error);
    });
    expect(copies).toHaveLength(1);
    expect((await s.getFrame(synNo))?.row.info).toContain('→ 21 [SYN]');
    expect((await s.listFrames({ offset: 0, limit: 1, filter: 'ftp' })).total).toBeGreaterThan(10);
    const doc = (await s.getState()).doc;
    const edited = await s.editLab({ ...doc, machines: [{ id: 'h1', kind: 'host', position: { x: 0, y: 0 }, nics: [] }] });
    if (!edited.ok) throw new Error(JSON.stringify(edited.errors));
    expect(edited.state.status.frameCount).toBe(0);
    expect(await s.getFrame(synNo)).toBeNull();
    expect((await s.listFrames({ offset: 0, limit: 1, filter: 'ftp' })).total).toBe(0); // no filter view of the file kept
    expect(existsSync(copies[0]!)).toBe(false);
  });

  it.each([
    // Found by the quick check at open (TraceStore.verify), which reads column sizes and frame offsets.
    ['a column missing', "DELETE FROM frame_column WHERE name = 'at' AND chunk = (SELECT max(chunk) FROM frame_column)", /trace chunk \d+: column at is missing/],
    ['bytes cut short', 'UPDATE frame_chunk SET bytes = substr(bytes, 1, 100) WHERE first_no = (SELECT max(first_no) FROM frame_chunk)', /trace chunk \d+: frame \d+'s bytes end at \d+, past the chunk's 100/],
    ['a chunk out of place', 'UPDATE frame_chunk SET first_pos = first_pos + 1 WHERE first_no = (SELECT min(first_no) FROM frame_chunk)', /trace chunk \d+: it follows rows up to \d+ \(default view 0\), but starts at row \d+ \(default view 2\): a chunk is missing or damaged/],
    ['a column cut short', "UPDATE frame_column SET data = substr(data, 1, 3) WHERE name = 'seq' AND chunk = (SELECT min(chunk) FROM frame_column)", /trace chunk \d+: column seq has 3 bytes, not \d+ \(\d+ rows\)/],
  ])('refuses a damaged trace (%s) before anything changes, naming the damage', async (_what, damage, message) => {
    const path = join(tempDir(), 'damaged.sqlite');
    servicesTrace(path);
    const db = new Database(path);
    db.prepare(damage).run();
    db.close();
    const s = make();
    const before = await s.getState();
    const r = s.openFile(path);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/^damaged\.sqlite could not be read: /);
    expect(!r.ok && r.error).toMatch(message);
    expect((await s.getState()).doc).toEqual(before.doc);
    expect((await s.getState()).status.frameCount).toBe(before.status.frameCount);
  });

  it('opens a trace even when reading its last pages at open fails (only a head start): the list then reads them itself', async () => {
    const path = join(tempDir(), 'services.sqlite');
    const { frames } = servicesTrace(path);
    const s = make();
    const read = vi.spyOn(TraceStore.prototype, 'listFrames').mockImplementationOnce(() => {
      throw new Error('disk I/O error');
    });
    try {
      const r = s.openFile(path);
      if (!r.ok) throw new Error(r.error);
      expect([read.mock.calls.length, r.state.status.frameCount, r.state.doc.name]).toEqual([1, frames, 'Services on a LAN (trace)']);
      expect((await s.listFrames({ offset: 0, limit: frames })).rows).toHaveLength(frames);
    } finally {
      read.mockRestore();
    }
  });

  it('names an unreadable kernel record when it is read: the rest of the trace still shows', async () => {
    const path = join(tempDir(), 'damaged.sqlite');
    const { frames, synNo, synFrameId } = servicesTrace(path);
    const db = new Database(path);
    expect(damageData(db, 'deliver', synFrameId)).toBe(1);
    db.close();
    const s = make();
    const r = s.openFile(path);
    if (!r.ok) throw new Error(r.error);
    expect(r.state.status.frameCount).toBe(frames);
    await expect(s.getDelivery(synNo)).rejects.toThrow(/^kernel event \d+ \(deliver on server at \d+ ns\): its data is not readable/);
    expect((await s.getFrame(synNo))!.sentBy).toMatchObject({ machine: 'alice', process: 'ftp' });
    const synAck = (await s.listFrames({ offset: 0, limit: frames })).rows.find((row) => row.info.includes('21 → ') && row.info.includes('[SYN, ACK]'))!;
    expect((await s.getDelivery(synAck.no)).map((d) => d.machine)).toEqual(['alice']);
    // A damaged syscall record costs the frame its sender, not its detail.
    const writer = new Database(path);
    expect(damageData(writer, 'syscall', synFrameId)).toBe(1);
    writer.close();
    const syn = (await s.getFrame(synNo))!;
    expect([syn.row.info.includes('[SYN]'), syn.sentBy]).toEqual([true, undefined]);
  });

  it('refuses a file that is missing, a folder, or neither a trace nor a capture, changing nothing', async () => {
    const s = make();
    const before = await s.getState();
    const nope = join(tempDir(), 'nope.sqlite');
    expect(s.openFile(nope)).toEqual({ ok: false, error: `nope.sqlite: no such file (${nope})` });
    expect(s.openFile(tempDir())).toEqual({ ok: false, error: expect.stringMatching(/ is a folder, not a capture file$/) });
    const text = join(tempDir(), 'notes.sqlite');
    writeFileSync(text, 'hello, not a database');
    const notDb = s.openFile(text);
    expect(notDb.ok).toBe(false);
    expect(!notDb.ok && notDb.error).toMatch(/^notes\.sqlite is not a capture Packet Lab can read: /);
    const otherDb = join(tempDir(), 'other.sqlite');
    new Database(otherDb).exec('CREATE TABLE t (x)').close();
    expect(s.openFile(otherDb)).toEqual({ ok: false, error: 'other.sqlite is not a Packet Lab trace this version can read: it has no trace schema (not written by Packet Lab)' });
    expect((await s.getState()).doc).toEqual(before.doc);
  });

  it('imports a pcap larger than an upload may be, every frame of it', async () => {
    const frames = Math.ceil(IMPORT_MAX_BYTES / 1500) + 100;
    const path = join(tempDir(), 'big.pcap');
    writeFileSync(path, pingPcap(frames));
    expect(readFileSync(path).length).toBeGreaterThan(IMPORT_MAX_BYTES);
    const s = make();
    const r = s.openFile(path);
    if (!r.ok) throw new Error(r.error);
    expect([r.report.format, r.report.packets, r.report.skipped, r.report.damage]).toEqual(['pcap', frames, 0, undefined]);
    expect(r.state.status.labName).toBe('big');
    const last = await s.listFrames({ offset: frames - 1, limit: 1, filter: 'icmp.type == 8' });
    expect(last.total).toBe(frames);
    expect([last.rows[0]!.no, last.rows[0]!.length, last.rows[0]!.src]).toEqual([frames, 1500, '10.0.0.1']);
  });
});
