// Acceptance for the trace analyses: on the same capture, Follow TCP Stream, the TCP flow graph,
// conversations and endpoints agree with tshark (-z follow,tcp,raw / flow,tcp,standard / conv /
// endpoints). Corpora as in filter-tshark.test.ts: a lab with every service (at the server's NIC,
// and at every capture point) and the real-kernel captures in ../shared/linux-truth, one after the
// other. Skipped (with a printed reason) only where tshark is not installed.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONV_KINDS, Decoder, flowItem, TcpFollower, TrafficTables, type ConvKind } from '../../shared/analysis';
import { TcpConversations } from '../../shared/filter/eval';
import { frameKeys } from '../../shared/filter/keys';
import { summarize } from '../../shared/wire';
import { mergedTruthCapture, servicesLabCaptures, truthCaptures } from '../test/captures';
import { readCapture } from './read';
import { tempDir } from '../test/tools';

const TSHARK = '/usr/bin/tshark';
const hasTshark = existsSync(TSHARK);
if (!hasTshark) console.log(`analysis-tshark.test.ts: skipped, ${TSHARK} not found (apt-get install -y tshark)`);

const dir = tempDir('analysis-tshark-');

function tshark(file: string, args: string[]): string {
  return execFileSync(TSHARK, ['-r', file, '-q', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
}

/** Our analyses over a capture file, frames fed in file order. */
function analyse(file: string) {
  const cap = readCapture(readFileSync(file));
  const dec = new Decoder();
  const frames = cap.packets.map((p, i) => ({ no: i + 1, timeNs: p.timeNs, bytes: p.bytes, len: p.origLen, d: dec.decode(p.bytes) }));
  const streams = new Set(frames.flatMap((f) => (f.d?.tcp ? [f.d.tcp.stream] : [])));
  const first = frames[0]?.timeNs ?? 0;
  const tables = new TrafficTables();
  for (const f of frames) tables.add(f.timeNs, f.len, f.d);
  return {
    streams: [...streams].sort((a, b) => a - b),
    follow(stream: number) {
      const fl = new TcpFollower(stream);
      for (const f of frames) fl.add(f.no, f.timeNs, f.bytes, f.d);
      return fl.result();
    },
    flow: frames.flatMap((f) => {
      const it = f.d?.tcp ? flowItem(f.no, f.timeNs, f.d, 'TCP', '') : null;
      return it ? [{ stream: it.stream!, t: (it.timeNs - first) / 1e9, label: it.label, comment: it.comment, srcPort: it.srcPort!, dstPort: it.dstPort! }] : [];
    }),
    tables,
    first,
  };
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** tshark's follow,tcp,raw blocks: per stream, its nodes and [fromServer, hex] lines. */
function theirFollow(file: string, streams: number[]) {
  const out = new Map<number, { client: string; server: string; lines: [boolean, string][] }>();
  const text = tshark(file, streams.flatMap((s) => ['-z', `follow,tcp,raw,${s}`]));
  for (const block of text.split(/^=+$/m)) {
    const m = /Filter: tcp\.stream eq (\d+)\nNode 0: (\S*)\nNode 1: (\S*)\n([\s\S]*)/.exec(block);
    if (!m) continue;
    const lines = m[4]!.split('\n').filter((l) => l.trim() !== '').map((l): [boolean, string] => [l.startsWith('\t'), l.trim()]);
    out.set(Number(m[1]), { client: m[2]!, server: m[3]!, lines });
  }
  return out;
}

/** tshark's flow,tcp,standard rows. */
function theirFlow(file: string) {
  const lines = tshark(file, ['-z', 'flow,tcp,standard']).split('\n');
  const rows: { stream: number; t: number; label: string; comment: string; srcPort: number; dstPort: number }[] = [];
  for (let i = 0; i < lines.length - 1; i++) {
    const m = /^(\d+)\s*\|\s*(-?[\d.]+)\s*\|(.*)\|([^|]*)$/.exec(lines[i]!);
    const a = /\((\d+)\)\s+(<?-+>?)\s+\((\d+)\)/.exec(lines[i + 1]!);
    if (!m || !a) continue;
    const right = a[2]!.endsWith('>');
    rows.push({
      stream: Number(m[1]), t: Number(m[2]), label: m[3]!.replace(/\|/g, ' ').trim(), comment: m[4]!.trim(),
      srcPort: Number(right ? a[1] : a[3]), dstPort: Number(right ? a[3] : a[1]),
    });
    i++;
  }
  return rows;
}

const mac = (s: string) => (s === 'Broadcast' ? 'ff:ff:ff:ff:ff:ff' : s);

/**
 * A byte count as tshark prints it (format_size, SI prefixes): "4353 bytes", "13 kB". Ours are
 * printed the same way before comparing, which also checks the exact figure below 10,000.
 */
const size = (n: number) => (n < 10_000 ? `${n} bytes` : n < 10_000_000 ? `${Math.floor(n / 1000)} kB` : `${Math.floor(n / 1e6)} MB`);

/** tshark's conv table: "A[:port] <-> B[:port] framesBtoA bytesBtoA framesAtoB bytesAtoB total start duration". */
function theirConversations(file: string, kind: ConvKind): string[] {
  const rows: string[] = [];
  for (const l of tshark(file, ['-z', `conv,${kind}`]).split('\n')) {
    const m = /^(\S+)\s+<->\s+(\S+)\s+(\d+) (\d+ \w+)\s+(\d+) (\d+ \w+)\s+\d+ \d+ \w+\s+(-?[\d.]+)\s+([\d.]+)/.exec(l);
    if (m) rows.push(`${mac(m[1]!)} <-> ${mac(m[2]!)}: ${m[5]}/${m[6]} -> ${m[3]}/${m[4]} <- start ${Number(m[7]).toFixed(6)} for ${Number(m[8]).toFixed(4)}`);
  }
  return rows.sort();
}

function ourConversations(a: ReturnType<typeof analyse>, kind: ConvKind): string[] {
  const ep = (addr: string, port?: number) => (port === undefined ? addr : `${addr}:${port}`);
  return a.tables
    .conversations(kind)
    .map((c) => `${ep(c.a, c.portA)} <-> ${ep(c.b, c.portB)}: ${c.framesAtoB}/${size(c.bytesAtoB)} -> ${c.framesBtoA}/${size(c.bytesBtoA)} <- start ${((c.startNs - a.first) / 1e9).toFixed(6)} for ${((c.endNs - c.startNs) / 1e9).toFixed(4)}`)
    .sort();
}

function theirEndpoints(file: string, kind: ConvKind): string[] {
  const rows: string[] = [];
  const withPort = kind === 'tcp' || kind === 'udp';
  const re = withPort ? /^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$/ : /^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$/;
  for (const l of tshark(file, ['-z', `endpoints,${kind}`]).split('\n')) {
    const m = re.exec(l);
    if (!m) continue;
    const v = m.slice(1);
    const addr = withPort ? `${mac(v[0]!)}:${v[1]}` : mac(v[0]!);
    const n = withPort ? v.slice(4) : v.slice(3);
    rows.push(`${addr} tx ${n[0]}/${n[1]} rx ${n[2]}/${n[3]}`);
  }
  return rows.sort();
}

function ourEndpoints(a: ReturnType<typeof analyse>, kind: ConvKind): string[] {
  return a.tables
    .endpoints(kind)
    .map((e) => `${e.port === undefined ? e.address : `${e.address}:${e.port}`} tx ${e.txFrames}/${e.txBytes} rx ${e.rxFrames}/${e.rxBytes}`)
    .sort();
}

/** Seq=/Ack= of each TCP frame's Info, ours (as the trace writer numbers them) and tshark's. */
function infoNumbers(file: string): { ours: string[]; theirs: string[] } {
  const cap = readCapture(readFileSync(file));
  const conv = new TcpConversations();
  const pick = (info: string) => /\bSeq=\d+(?: Ack=\d+)?/.exec(info)?.[0] ?? '';
  const ours = cap.packets.map((p) => {
    const k = frameKeys(p.bytes, conv);
    return pick(summarize(p.bytes, { seq: k.seq, ack: k.ack }).info);
  });
  const theirs = execFileSync(TSHARK, ['-r', file, '-T', 'fields', '-e', '_ws.col.Info'], { encoding: 'utf8', maxBuffer: 64 << 20 }).split('\n').slice(0, cap.packets.length).map(pick);
  return { ours, theirs };
}

function checkCapture(file: () => string): void {
  it('Info shows seq/ack relative to each side`s start, as tshark does', () => {
    const { ours, theirs } = infoNumbers(file());
    const tcp = ours.filter((x, i) => x !== '' && theirs[i] !== '');
    expect(tcp.length).toBeGreaterThan(10);
    ours.forEach((x, i) => {
      // Application rows (FTP, HTTP...) show the application's Info in both: no numbers to compare.
      if (x !== '' && theirs[i] !== '') expect(x, `frame ${i + 1}`).toBe(theirs[i]);
    });
  });

  it('Follow TCP Stream: every stream, byte for byte and side by side', () => {
    const a = analyse(file());
    expect(a.streams.length).toBeGreaterThan(0);
    const theirs = theirFollow(file(), a.streams);
    for (const s of a.streams) {
      const r = a.follow(s);
      const t = theirs.get(s);
      expect(t, `stream ${s}`).toBeDefined();
      expect([r.client, r.server], `stream ${s}`).toEqual([t!.client, t!.server]);
      expect(r.chunks.map((c) => [c.fromServer, hex(c.bytes)]), `stream ${s}`).toEqual(t!.lines);
    }
  });

  it('TCP flow graph: every arrow, label, seq/ack comment and direction', () => {
    const a = analyse(file());
    const theirs = theirFlow(file());
    expect(theirs.length).toBe(a.flow.length);
    a.flow.forEach((ours, i) => {
      const t = theirs[i]!;
      const where = `flow row ${i}`;
      expect([ours.stream, ours.comment, ours.srcPort, ours.dstPort], where).toEqual([t.stream, t.comment, t.srcPort, t.dstPort]);
      expect(ours.label.startsWith(t.label) && t.label.length >= Math.min(ours.label.length, 10), `${where}: ${ours.label} vs ${t.label}`).toBe(true);
      expect(Math.abs(ours.t - t.t), where).toBeLessThan(1e-6);
    });
  });

  it.each(CONV_KINDS)('conversations and endpoints: %s', (kind) => {
    const a = analyse(file());
    const conv = ourConversations(a, kind);
    expect(conv.length).toBeGreaterThan(0);
    expect(conv).toEqual(theirConversations(file(), kind));
    expect(ourEndpoints(a, kind)).toEqual(theirEndpoints(file(), kind));
  });
}

describe.skipIf(!hasTshark)('trace analyses agree with tshark', () => {
  const lab = join(dir, 'services.pcapng');
  const server = join(dir, 'server.pcapng');
  beforeAll(() => servicesLabCaptures(lab, server));

  describe('lab capture, server:eth0', () => checkCapture(() => server));
  describe('lab capture, every NIC', () => checkCapture(() => lab));

  const truth = join(dir, 'linux-truth.pcap');
  const truthFiles = truthCaptures();
  beforeAll(() => mergedTruthCapture(truth, truthFiles));
  describe.skipIf(truthFiles.length === 0)('linux-truth captures', () => checkCapture(() => truth));
});
