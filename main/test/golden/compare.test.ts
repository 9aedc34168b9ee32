// The comparator: every capture equals itself; perturbed copies (timing stretched 30 %, a flag
// changed, an option reordered, segments dropped or added, datagrams changed) give exactly the
// expected differences; hand-written expectations; connection matching; the report's shape.
import { describe, expect, it } from 'vitest';
import { compareTraces, toleranceFor, withinTolerance, type Difference } from './compare';
import { conn, seg } from './expect';
import { linuxTruthDir, linuxTruthMissing, listFiles, readTrace } from './truth';
import type { NormalizedTrace } from './types';

const TRUTH = linuxTruthDir();
if (!TRUTH) console.log(linuxTruthMissing());

const load = (p: string): NormalizedTrace => readTrace(TRUTH!, p);
const brief = (d: readonly Difference[]): string[] => d.map((x) => `${x.where} ${x.e ?? '-'}/${x.a ?? '-'} ${x.field}`);

describe('tolerance', () => {
  it('is ±10 % or ±20 ms, whichever is larger', () => {
    expect(toleranceFor(0.1)).toBeCloseTo(0.02);
    expect(toleranceFor(1)).toBeCloseTo(0.1);
    expect(withinTolerance(1, 1.1)).toBe(true);
    expect(withinTolerance(1, 1.11)).toBe(false);
    expect(withinTolerance(0.041, 0.06)).toBe(true);
    expect(withinTolerance(0.041, 0.062)).toBe(false);
    expect(withinTolerance(7, 7.7)).toBe(true);
  });
});

describe.skipIf(!TRUTH)('comparator on linux-truth captures', () => {
  const pcaps = TRUTH ? listFiles(TRUTH, (n) => n.endsWith('.pcap')) : [];
  for (const p of pcaps) {
    it(`${p} equals itself (and a re-read copy)`, () => {
      const t = load(p);
      const d = compareTraces(t, load(p));
      expect(d.report).toBe('');
      expect(d.ok).toBe(true);
      expect(compareTraces(t, structuredClone(t), { timing: { anchor: 'previous' } }).ok).toBe(true);
      expect(compareTraces(t, structuredClone(t), { timing: { anchor: 'trace' }, match: 'client-port-order' }).ok).toBe(true);
    });
  }

  it('a perturbed copy: 30 % slower conn 0, one flag changed, one option reordered -> exactly those differences', () => {
    const t = load('a_handshake_close/a.pcap');
    const p = structuredClone(t);
    const c0 = p.connections[0]!.segments;
    const t0 = c0[0]!.t;
    for (const s of c0) s.t = t0 + (s.t - t0) * 1.3;
    p.connections[1]!.segments[3]!.flags = 'FP.';
    p.connections[0]!.segments[0]!.options = ['mss', 'nop', 'wscale', 'sackOK', 'TS'];
    const d = compareTraces(t, p, { labels: { expected: 'linux a.pcap', actual: 'perturbed' } });
    // Stretched by 30 %: only offsets where 0.3 x off > max(0.1 x off, 20 ms), i.e. off > 66.7 ms.
    const late = t.connections[0]!.segments.map((s, i) => [i, s.t - t0] as const).filter(([, off]) => off > 0.02 / 0.2).map(([i]) => `conn 0 ${i}/${i} t`);
    expect(late).toEqual(['conn 0 7/7 t', 'conn 0 8/8 t', 'conn 0 9/9 t', 'conn 0 10/10 t']);
    expect(brief(d.differences).sort()).toEqual(['conn 0 0/0 options', 'conn 1 3/3 flags', ...late].sort());
    expect(d.ok).toBe(false);
    expect(d.report).toContain('golden comparison: 6 differences (expected = linux a.pcap, actual = perturbed; 2 vs 2 connections)');
    expect(d.report).toMatch(/! +0 +0 +C>S +S 0 len 0 win 64240 <mss 1460,sackOK,TS,nop,wscale 10> \+0\.000000 +S 0 len 0 win 64240 <mss 1460,nop,wscale 10,sackOK,TS> \+0\.000000 +options: mss,nop,wscale,sackOK,TS vs mss,sackOK,TS,nop,wscale/);
    expect(d.report).toMatch(/! +3 +3 +C>S +P\. 1:20 ack 1 len 19 win 63 <nop,nop,TS> \+0\.000348 +FP\. 1:20 .* flags: FP\. vs P\./);
    expect(d.report).toMatch(/t: \+3\.7388\d\d vs \+2\.876059 \(±0\.288\)/);
  });

  it('ignored fields and data windows', () => {
    const t = load('a_handshake_close/a.pcap');
    const p = structuredClone(t);
    p.connections[0]!.segments[3]!.win = 1;
    p.connections[0]!.segments[1]!.win = 1;
    expect(brief(compareTraces(t, p).differences)).toEqual(['conn 0 1/1 win', 'conn 0 3/3 win']);
    expect(brief(compareTraces(t, p, { ignoreDataWindow: true }).differences)).toEqual(['conn 0 1/1 win']);
    expect(compareTraces(t, p, { ignore: ['win'] }).ok).toBe(true);
    expect(compareTraces(t, p, { ignoreWhen: (s) => (s.flags === 'S.' || s.flags === 'P.' ? ['win'] : []) }).ok).toBe(true);
  });

  it('a missing retransmission, an extra segment, a missing connection', () => {
    const t = load('d_backlog/d1_stagger/d.pcap');
    const p = structuredClone(t);
    const c2 = p.connections[2]!.segments;
    c2.splice(7, 1); // c3's last SYN retransmission (11.26 s after its first SYN)
    p.connections[3]!.segments.push({ ...p.connections[3]!.segments[8]!, i: 999 }); // a second RST
    expect(brief(compareTraces(t, p).differences)).toEqual(['conn 2 7/- missing', 'conn 3 -/9 extra']);
    const q = structuredClone(t);
    q.connections.splice(1, 1);
    const d = compareTraces(t, q, { timing: false });
    expect(d.differences[0]).toMatchObject({ where: 'connections', field: 'count', expected: '4', actual: '3' });
    // Paired by SYN order, conn 1 now meets the old conn 2, and so on: the report says what differs.
    expect(d.report).toContain('conn 3: missing in actual');
    // Compared alone, conn 0 still matches.
    expect(compareTraces(t, q, { only: [0] }).ok).toBe(true);
  });

  it('timing anchors: connection start, previous packet, trace origin, explicit', () => {
    const t = load('a_handshake_close/a.pcap');
    const p = structuredClone(t);
    // Delay the delayed ACK of the client's FIN (conn 0 #8) from +41 ms to +80 ms after the FIN.
    p.connections[0]!.segments[8]!.t += 0.039;
    expect(compareTraces(t, p).ok).toBe(true); // 2.917 s from the connection start: ±0.29 s
    expect(brief(compareTraces(t, p, { timing: { anchor: 'previous' } }).differences)).toEqual(['conn 0 8/8 t']); // the F. after it: 0.420 s vs 0.459 s, within 10 %
    // Shift all of conn 1 by 0.1 s: its own anchor hides it, the trace origin does not.
    const q = structuredClone(t);
    for (const s of q.connections[1]!.segments) s.t += 0.1;
    expect(compareTraces(t, q).ok).toBe(true);
    expect(compareTraces(t, q, { timing: { anchor: 'trace' } }).differences.length).toBeGreaterThan(0);
    expect(compareTraces(t, q, { timing: { anchor: { expected: 0, actual: 0 } } }).differences.length).toBeGreaterThan(0);
    expect(compareTraces(t, q, { timing: false, match: 'first-packet-order' }).ok).toBe(true);
  });

  it('connections are matched by SYN order, client port order, first packet or explicit pairs', () => {
    const t = load('d_backlog/d1_stagger/d.pcap');
    const rev = structuredClone(t);
    rev.connections.reverse();
    expect(compareTraces(t, rev).ok).toBe(true);
    expect(compareTraces(t, rev, { match: 'client-port-order' }).ok).toBe(true);
    expect(compareTraces(t, rev, { match: 'first-packet-order' }).ok).toBe(false);
    expect(compareTraces(t, rev, { match: [[0, 3], [1, 2], [2, 1], [3, 0]] }).ok).toBe(true);
    // Different ephemeral ports in the actual run: port ORDER is what matters.
    const ports = structuredClone(t);
    ports.connections.forEach((c, i) => (c.client.port = 50000 + 2 * i));
    expect(compareTraces(t, ports, { match: 'client-port-order' }).ok).toBe(true);
  });

  it('hand-written expectations compare only the fields they give', () => {
    const t = load('b_rst/closed_port.pcap');
    const ok = compareTraces({ connections: [conn(['C>S S 0 win 64240 <mss 1460,sackOK,TS,nop,wscale 10> @0', 'S>C R. raw 0 ack 1 win 0 <> @0'], 'AS-05')] }, t);
    expect(ok.report).toBe('');
    const bad = compareTraces({ connections: [conn(['C>S S 0', 'S>C R. raw 1 ack 1 win 0 @0.5'], 'AS-05')] }, t);
    expect(brief(bad.differences)).toEqual(['conn 0 1/1 seq', 'conn 0 1/1 t']);
    expect(bad.report).toContain('conn 0 "AS-05": expected (hand-written), actual 10.0.0.1:47838 > 10.0.0.2:5001: 2 differences');
    expect(seg('S>C P. 1:18 ack 20 win 64')).toEqual({ dir: 'S>C', flags: 'P.', relSeq: 1, len: 17, relAck: 20, win: 64 });
    expect(() => seg('X>Y S')).toThrow(/expected "C>S\|S>C FLAGS/);
  });

  it('datagrams: ports on the server side, ICMP type/code, TOS/DF, the quote', () => {
    const t = load('c_udp_icmp/c.pcap');
    const p = structuredClone(t);
    const icmp = p.datagrams[1]!;
    if (icmp.kind !== 'icmp') throw new Error('expected ICMP');
    icmp.tos = 0;
    p.datagrams.splice(9, 1); // one ICMP of the burst
    for (const d of p.datagrams) if (d.kind === 'udp' && d.dir === 'C>S') d.srcPort += 2; // other ephemeral ports
    const d = compareTraces(t, p);
    expect(brief(d.differences)).toEqual(['datagrams 1/1 tos', 'datagrams 9/- missing']);
    expect(compareTraces(t, p, { datagrams: { ignore: ['tos'] } }).differences).toHaveLength(1);
    expect(compareTraces(t, p, { datagrams: false }).ok).toBe(true);
    const q = structuredClone(t);
    const m = q.datagrams[3]!;
    if (m.kind !== 'icmp' || !m.quote) throw new Error('expected a quoting ICMP');
    m.quote.quotedBytes = 28; // an RFC 792 minimum quote instead of Linux's whole datagram
    const dq = compareTraces(t, q);
    expect(dq.differences).toEqual([{ where: 'datagrams', e: 3, a: 3, field: 'quote', expected: 'quotedBytes 42', actual: 'quotedBytes 28' }]);
  });
});
