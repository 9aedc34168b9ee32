// The normalizer on every linux-truth pcap, checked against the summary file beside it (tshark's
// independent decoding: stream numbers, relative seq/ack, lengths, windows, tcpdump's options), and
// on our own inputs: FrameEvents at one capture point, a pcapng with several interfaces, a 4-tuple
// reused after TIME_WAIT.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FrameEvent } from '../../../shared/trace';
import { PcapngWriter } from '../../trace';
import { sameFlags } from './flags';
import { framesFromCapture } from './frames';
import { normalizeCapture, normalizeEvents, normalizeFrames } from './normalize';
import { parseSummary, summaryStreamCounts, type SummaryTcp } from './summary';
import { linuxTruthDir, linuxTruthMissing, listFiles, readText, readTrace } from './truth';
import { C, S, tcpFrame } from './synth';

const TRUTH = linuxTruthDir();
if (!TRUTH) console.log(linuxTruthMissing());

/** The summary beside a pcap: x/y.pcap -> x/y.summary.txt (d_backlog/*: d.summary.txt). */
const summaryOf = (pcap: string): string => pcap.replace(/\.pcap$/, '.summary.txt');

describe.skipIf(!TRUTH)('normalizer on every linux-truth pcap', () => {
  const pcaps = TRUTH ? listFiles(TRUTH, (n) => n.endsWith('.pcap')) : [];

  it('finds the captures', () => {
    expect(pcaps.length).toBeGreaterThanOrEqual(14);
  });

  for (const pcap of pcaps) {
    it(`${pcap}: packet counts per connection match the summary`, () => {
      const trace = readTrace(TRUTH!, pcap);
      const sum = parseSummary(readText(TRUTH!, summaryOf(pcap)));
      expect(sum.unparsed).toEqual([]);
      expect(trace.connections.map((c) => c.segments.length)).toEqual(summaryStreamCounts(sum));
      expect(trace.datagrams.length).toBe(sum.lines.filter((l) => l.kind !== 'tcp').length);
      expect(trace.skipped).toBe(0);
    });

    it(`${pcap}: every segment matches its summary line`, () => {
      const trace = readTrace(TRUTH!, pcap);
      const lines = parseSummary(readText(TRUTH!, summaryOf(pcap))).lines.filter((l): l is SummaryTcp => l.kind === 'tcp');
      const segs = trace.connections.flatMap((c) => c.segments.map((s) => ({ c, s }))).sort((a, b) => a.s.i - b.s.i);
      expect(segs.length).toBe(lines.length);
      segs.forEach(({ c, s }, n) => {
        const l = lines[n]!;
        const what = `${pcap} packet ${s.i}`;
        expect(c.index, what).toBe(l.stream);
        expect(s.t, what).toBeCloseTo(l.t, 6);
        expect(sameFlags(s.flags, l.flags), `${what}: ${s.flags} vs ${l.flags}`).toBe(true);
        expect([s.relSeq, s.relAck, s.len, s.win, s.rawSeq], what).toEqual([l.relSeq, l.relAck, l.len, l.win, l.rawSeq]);
        expect(s.options, what).toEqual(l.options);
        expect([s.mss, s.wscale], what).toEqual([l.mss, l.wscale]);
        const from = s.dir === 'C>S' ? c.client : c.server;
        expect(from, what).toEqual(l.src);
      });
    });
  }

  it('the client is the sender of the first SYN; relative numbers are Wireshark\'s', () => {
    const a = readTrace(TRUTH!, 'a_handshake_close/a.pcap');
    expect(a.connections.map((c) => `${c.client.ip}:${c.client.port}>${c.server.ip}:${c.server.port}`)).toEqual([
      '10.0.0.1:42620>10.0.0.2:5000',
      '10.0.0.1:42630>10.0.0.2:5000',
    ]);
    const c0 = a.connections[0]!.segments;
    expect(c0.slice(0, 3).map((s) => [s.dir, s.flags, s.relSeq, s.relAck, s.seqBase])).toEqual([
      ['C>S', 'S', 0, null, 'isn'],
      ['S>C', 'S.', 0, 1, 'isn'],
      ['C>S', '.', 1, 1, 'isn'],
    ]);
    expect(c0[0]!.options).toEqual(['mss', 'sackOK', 'TS', 'nop', 'wscale']);
    expect(c0[2]!.options).toEqual(['nop', 'nop', 'TS']);
    // RST to a closed port: the server never sent a SYN, its seq 0 is kept raw ('first' base).
    const cp = readTrace(TRUTH!, 'b_rst/closed_port.pcap').connections[0]!.segments[1]!;
    expect([cp.flags, cp.rawSeq, cp.relAck, cp.seqBase, cp.win, cp.options]).toEqual(['R.', 0, 1, 'first', 0, []]);
    // "R seq = SEG.ACK": based on the peer's ACK, relSeq 1.
    const ra = readTrace(TRUTH!, 'b_rst/raw_ack.pcap').connections[0]!.segments[1]!;
    expect([ra.flags, ra.relSeq, ra.rawSeq, ra.seqBase]).toEqual(['R', 1, 5555, 'peer-ack']);
  });

  it('UDP and ICMP: directions, lengths, TOS/DF and the quoted datagram', () => {
    const c = readTrace(TRUTH!, 'c_udp_icmp/c.pcap');
    expect(c.clientIp).toBe('10.0.0.1');
    const [udp, icmp] = c.datagrams;
    expect(udp).toMatchObject({ kind: 'udp', dir: 'C>S', dstPort: 6000, len: 16, tos: 0, df: true });
    expect(icmp).toMatchObject({ kind: 'icmp', dir: 'S>C', type: 3, code: 3, tos: 0xc0, df: false, len: 44 });
    expect(icmp!.kind === 'icmp' && icmp.quote).toMatchObject({ proto: 17, srcPort: 50474, dstPort: 6000, ipTotalLength: 44, quotedBytes: 44 });
  });
});

describe('normalizer inputs', () => {
  const handshake = (t0: number, cport: number, isn: number): Array<{ tNs: number; bytes: Uint8Array }> => [
    { tNs: t0, bytes: tcpFrame(C, cport, S, 5000, { flags: 'S', seq: isn, syn: true }) },
    { tNs: t0 + 20_000, bytes: tcpFrame(S, 5000, C, cport, { flags: 'S.', seq: 9000, ack: isn + 1, syn: true }) },
    { tNs: t0 + 40_000, bytes: tcpFrame(C, cport, S, 5000, { flags: '.', seq: isn + 1, ack: 9001 }) },
    { tNs: t0 + 60_000, bytes: tcpFrame(C, cport, S, 5000, { flags: 'F.', seq: isn + 1, ack: 9001 }) },
    { tNs: t0 + 80_000, bytes: tcpFrame(S, 5000, C, cport, { flags: 'F.', seq: 9001, ack: isn + 2 }) },
    { tNs: t0 + 90_000, bytes: tcpFrame(C, cport, S, 5000, { flags: '.', seq: isn + 2, ack: 9002 }) },
  ];

  it('a 4-tuple reused after TIME_WAIT with a new SYN is a new connection; a retransmitted SYN is not', () => {
    const frames = [
      ...handshake(1e9, 40000, 1000),
      ...handshake(2e9, 40000, 1000 + 65537),
      { tNs: 3e9, bytes: tcpFrame(C, 41000, S, 5000, { flags: 'S', seq: 7, syn: true }) },
      { tNs: 4e9, bytes: tcpFrame(C, 41000, S, 5000, { flags: 'S', seq: 7, syn: true }) },
    ];
    const t = normalizeFrames(frames);
    expect(t.connections.map((c) => [c.client.port, c.segments.length, c.synAt])).toEqual([
      [40000, 6, 0],
      [40000, 6, 1],
      [41000, 2, 2],
    ]);
    expect(t.connections[1]!.segments.map((s) => [s.flags, s.relSeq, s.relAck])).toEqual([
      ['S', 0, null], ['S.', 0, 1], ['.', 1, 1], ['F.', 1, 1], ['F.', 1, 2], ['.', 2, 2],
    ]);
  });

  it('FrameEvents: one capture point, both directions, origin at the first IP packet (ARP ignored)', () => {
    const frames = handshake(5e9, 40000, 1);
    const arp = new Uint8Array(60);
    arp[12] = 0x08;
    arp[13] = 0x06;
    const ev: FrameEvent[] = [{ at: 4e9, frameId: 99, first: true, machine: 'B', nic: 'eth0', dir: 'rx', bytes: arp }];
    frames.forEach((f, n) => {
      const fromClient = n % 2 === 0 ? n !== 4 : n === 3 || n === 5;
      const dirAtB = fromClient ? 'rx' : 'tx';
      // The same frame seen at A (500 ns earlier or later) and at a switch: must be filtered out.
      ev.push({ at: f.tNs - 500, frameId: n, first: true, machine: 'A', nic: 'eth0', dir: fromClient ? 'tx' : 'rx', bytes: f.bytes });
      ev.push({ at: f.tNs, frameId: n, first: false, machine: 'B', nic: 'eth0', dir: dirAtB, bytes: f.bytes });
      ev.push({ at: f.tNs - 200, frameId: n, first: false, machine: 'sw1', nic: 'p1', dir: 'rx', bytes: f.bytes });
    });
    const t = normalizeEvents(ev.reverse(), { machine: 'B', nic: 'eth0' });
    expect(t.skipped).toBe(1);
    expect(t.originNs).toBe(5e9);
    expect(t.connections).toHaveLength(1);
    expect(t.connections[0]!.segments.map((s) => [s.dir, s.flags, +(s.t * 1e6).toFixed(3)])).toEqual([
      ['C>S', 'S', 0], ['S>C', 'S.', 20], ['C>S', '.', 40], ['C>S', 'F.', 60], ['S>C', 'F.', 80], ['C>S', '.', 90],
    ]);
    const rxOnly = normalizeEvents(ev, { machine: 'B', nic: 'eth0', dir: 'rx' });
    expect(rxOnly.connections[0]!.segments.every((s) => s.dir === 'C>S')).toBe(true);
  });

  it('a pcapng with one interface per NIC: select one by name', () => {
    const w = new PcapngWriter({ userAppl: 'golden test' });
    const ia = w.addInterface('A:eth0');
    const ib = w.addInterface('B:eth0');
    for (const f of handshake(1e9, 40000, 1)) {
      w.addPacket(ia, f.tNs, f.bytes);
      w.addPacket(ib, f.tNs + 1000, f.bytes);
    }
    const bytes = w.toBytes();
    expect(framesFromCapture(bytes).frames).toHaveLength(12);
    const b = normalizeCapture(bytes, { ifName: 'B:eth0' });
    expect(b.connections[0]!.segments).toHaveLength(6);
    expect(b.originNs).toBe(1e9 + 1000);
    expect(() => normalizeCapture(bytes, { ifName: 'C:eth0' })).toThrow(/no interface named C:eth0/);
  });

  it.skipIf(!TRUTH)('a classic pcap read through framesFromCapture: times in ns (epoch values, so 256 ns grain)', () => {
    const r = framesFromCapture(new Uint8Array(readFileSync(join(TRUTH!, 'a_handshake_close/a.pcap'))));
    expect(r.damage).toBeUndefined();
    expect(r.frames).toHaveLength(21);
    // 1.8e18 ns is above 2^53: CapturedPacket.timeNs is exact to 256 ns only, far below any tolerance.
    expect(Math.abs(r.frames[1]!.tNs - r.frames[0]!.tNs - 21_000)).toBeLessThanOrEqual(256);
  });
});
