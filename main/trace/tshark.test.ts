// Integration: Wireshark's own reader agrees with our pcapng/pcap exports, and finds nothing
// malformed in them. Skipped (with a printed reason) only where tshark is not installed.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TraceStore } from './store';
import { tinyLab } from './test-lab';
import { tempDir } from '../test/tools';

const TSHARK = '/usr/bin/tshark';
const hasTshark = existsSync(TSHARK);
if (!hasTshark) console.log(`tshark.test.ts: skipped, ${TSHARK} not found (apt-get install -y tshark)`);

const dir = tempDir('trace-tshark-');

function tshark(...args: string[]): string {
  return execFileSync(TSHARK, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** "5.000000123" for 5_000_000_123 ns: how tshark prints frame.time_epoch of a nanosecond capture. */
function epoch(ns: number): string {
  return `${Math.floor(ns / 1e9)}.${String(ns % 1e9).padStart(9, '0')}`;
}

function exported(kind: 'pcapng' | 'pcap'): { path: string; store: TraceStore } {
  const store = TraceStore.open(':memory:', { lab: 'tiny', seed: 1, startedWallMs: 0 });
  const lab = tinyLab(5_000_000_123);
  for (const f of lab.frames) store.frame(f);
  for (const k of lab.kernel) store.kernel(k);
  const path = join(dir, `tiny.${kind}`);
  writeFileSync(path, kind === 'pcapng' ? store.exportPcapng() : store.exportPcap());
  return { path, store };
}

describe('tshark reads our exports', () => {
  it.skipIf(!hasTshark)('pcapng: numbers, ns timestamps, lengths, interface names and comments match', () => {
    const { path, store } = exported('pcapng');
    const out = tshark('-r', path, '-T', 'fields', '-E', 'separator=|',
      '-e', 'frame.number', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'frame.interface_name', '-e', 'frame.comment');
    const got = out.trim().split('\n').map((line) => line.split('|'));
    const rows = store.listFrames({ offset: 0, limit: 1000, allCapturePoints: true });
    const notes = new Map(store.kernelEvents().filter((e) => e.frameId !== undefined).map((e) => [`${e.frameId}/${e.machine}`, e.text]));
    const want = rows.map((r) => [String(r.no), epoch(r.timeNs), String(r.length), `${r.machine}:${r.nic}`, notes.get(`${r.frameId}/${r.machine}`) ?? '']);
    expect(got).toEqual(want);
    expect(want.filter((w) => w[4] !== '')).toHaveLength(2);
    store.close();
  });

  it.skipIf(!hasTshark)('pcapng: no malformed packets, and the dissection agrees with ours', () => {
    const { path, store } = exported('pcapng');
    const expert = tshark('-r', path, '-z', 'expert', '-q');
    expect(expert).not.toMatch(/malformed/i);
    expect(expert).not.toMatch(/^(Errors|Warns)/m);
    const protos = tshark('-r', path, '-T', 'fields', '-E', 'separator=|', '-e', '_ws.col.Protocol', '-e', '_ws.col.Source', '-e', '_ws.col.Destination');
    const rows = store.listFrames({ offset: 0, limit: 1000, allCapturePoints: true });
    const ours = rows.map((r) => [r.protocol, r.src.replace(/^02:00:00:00:/, ''), r.dst.replace(/^02:00:00:00:/, '')]);
    const theirs = protos.trim().split('\n').map((l) => l.split('|')).map(([p, s, d]) => [p, s!.replace(/^02:00:00:00:/, ''), d!.replace(/^02:00:00:00:/, '').replace('Broadcast', 'ff:ff:ff:ff:ff:ff')]);
    expect(theirs).toEqual(ours);
    store.close();
  });

  it.skipIf(!hasTshark)('classic pcap: each frame once, ns timestamps, nothing malformed', () => {
    const { path, store } = exported('pcap');
    const out = tshark('-r', path, '-T', 'fields', '-E', 'separator=|', '-e', 'frame.number', '-e', 'frame.time_epoch', '-e', 'frame.len');
    const rows = store.listFrames({ offset: 0, limit: 1000 });
    expect(out.trim().split('\n').map((l) => l.split('|'))).toEqual(rows.map((r, i) => [String(i + 1), epoch(r.timeNs), String(r.length)]));
    expect(tshark('-r', path, '-z', 'expert', '-q')).not.toMatch(/malformed/i);
    store.close();
  });
});
