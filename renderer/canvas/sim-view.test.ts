import { describe, expect, it } from 'vitest';
import type { LabDoc } from '../../shared/lab/types';
import type { DropRecord } from '../../shared/trace/events';
import type { FrameRow } from '../../shared/trace/frame-row';
import { GlideState, MAX_ENVELOPES, SimTracker, wiresOf } from './sim-view';

// client1 -- sw1 -- server (and client2), 1 ms links at 100 Mbps: the rows the trace holds for an
// ARP request broadcast by client1 (as the engine captured them in examples/accept-keeps-port).
const doc: LabDoc = {
  format: 'packet-lab/1',
  name: 't',
  machines: [
    { id: 'server', kind: 'server', nics: [{ name: 'eth0', ip: '10.0.0.10/24' }] },
    { id: 'sw1', kind: 'switch', ports: 3 },
    { id: 'client1', kind: 'host', nics: [{ name: 'eth0', ip: '10.0.0.11/24' }] },
    { id: 'client2', kind: 'host', nics: [{ name: 'eth0', ip: '10.0.0.12/24' }] },
  ],
  links: [
    { a: 'server:eth0', b: 'sw1:p1', latency: '1ms', bandwidth: '100Mbps' },
    { a: 'client1:eth0', b: 'sw1:p2', latency: '1ms', bandwidth: '100Mbps' },
    { a: 'client2:eth0', b: 'sw1:p3', latency: '1ms', bandwidth: '100Mbps' },
  ],
};

let no = 0;
const row = (frameId: number, timeNs: number, at: string, dir: 'tx' | 'rx', first = false): FrameRow => {
  const [machine, nic] = at.split(':') as [string, string];
  return { no: ++no, frameId, first, timeNs, machine, nic, dir, length: 60, src: '', dst: '', protocol: 'ARP', info: 'Who has 10.0.0.10?' };
};

describe('wiresOf', () => {
  it('maps each link end to the way out of it, with the edge id the canvas draws', () => {
    const w = wiresOf(doc);
    expect(w.get('client1:eth0')).toEqual({ edgeId: 'client1:eth0|sw1:p2', from: 'client1', to: 'sw1', latencyNs: 1e6, bandwidthBps: 100e6 });
    expect(w.get('sw1:p2')).toMatchObject({ from: 'sw1', to: 'client1', edgeId: 'client1:eth0|sw1:p2' });
  });
});

describe('SimTracker', () => {
  it('a frame travels hop by hop: estimated arrival until the peer captures it, then the real one', () => {
    no = 0;
    const t = new SimTracker(wiresOf(doc));
    t.addRows([row(1, 1_000_000_000, 'client1:eth0', 'tx', true)]);
    const [e] = [...t.envelopes.values()];
    // (60 + 24) bytes at 100 Mbps = 6720 ns, then 1 ms: the engine's cable says the same.
    expect(e).toMatchObject({ from: 'client1', to: 'sw1', t0: 1e9, t1: 1_001_006_720, arrivalKnown: false, listNo: 1, after: null });
    expect(t.positions(1_000_503_360)[0]!.fraction).toBeCloseTo(0.5);
    // Past the estimate without an arrival (queued behind other frames): held short of the end.
    expect(t.positions(1_002_000_000)[0]!.fraction).toBe(0.95);
    t.addRows([row(1, 1_001_006_720, 'sw1:p2', 'rx'), row(1, 1_001_006_720, 'sw1:p1', 'tx'), row(1, 1_001_006_720, 'sw1:p3', 'tx')]);
    expect(e!.arrivalKnown).toBe(true);
    const hops = [...t.envelopes.values()].slice(1);
    // The switch floods it: two more hops, drawn after the first, listed under the first row's number.
    expect(hops.map((h) => `${h.from}->${h.to} after ${h.after} list ${h.listNo}`)).toEqual(['sw1->server after 1 list 1', 'sw1->client2 after 1 list 1']);
  });

  it('a link-layer drop of a frame on its way flashes the link and ends the envelope; other drops flash the machine', () => {
    no = 0;
    const t = new SimTracker(wiresOf(doc));
    t.addRows([row(7, 5e9, 'client2:eth0', 'tx', true)]);
    const lost: DropRecord = { index: 0, atNs: 5_001_006_720, machine: 'sw1', reason: 'LINK_LOSS', frameId: 7, text: 'lost on link' };
    const noSocket: DropRecord = { index: 1, atNs: 6e9, machine: 'server', reason: 'NO_SOCKET', frameId: 9, text: 'no socket' };
    expect(t.addDrops([lost, noSocket])).toEqual([
      { target: { edge: 'client2:eth0|sw1:p3' }, drop: lost },
      { target: { machine: 'server' }, drop: noSocket },
    ]);
    const e = t.envelopes.get(1)!;
    expect([e.lost, e.t1, e.arrivalKnown]).toEqual([lost, 5_001_006_720, true]);
  });

  it('rows of a NIC without a link are not drawn; no more than MAX_ENVELOPES at once', () => {
    no = 0;
    const t = new SimTracker(wiresOf(doc));
    t.addRows([row(1, 0, 'ghost:eth0', 'tx', true)]);
    expect(t.envelopes.size).toBe(0);
    t.addRows(Array.from({ length: MAX_ENVELOPES + 5 }, (_, i) => row(i + 2, 0, 'client1:eth0', 'tx', true)));
    expect([t.envelopes.size, t.skipped]).toEqual([MAX_ENVELOPES, 5]);
  });

  it('forgets an envelope whose arrival never came, a second of lab time after it was due', () => {
    no = 0;
    const t = new SimTracker(wiresOf(doc));
    t.addRows([row(1, 0, 'client1:eth0', 'tx', true)]);
    expect(t.positions(1e9)).toHaveLength(1);
    expect(t.positions(1.01e9)).toHaveLength(0);
  });
});

describe('GlideState', () => {
  it('draws a hop over at least minGlideMs, the next hop only after it, and releases what arrived', () => {
    no = 0;
    const t = new SimTracker(wiresOf(doc));
    const g = new GlideState(200);
    t.addRows([row(1, 0, 'client1:eth0', 'tx', true), row(1, 1_006_720, 'sw1:p2', 'rx'), row(1, 1_006_720, 'sw1:p1', 'tx')]);
    const now = 10e6; // both hops are over in lab time (a step, or a fast slow-motion)
    const a = g.step(t, now, 100);
    expect(a.map((d) => [d.env.to, d.fraction])).toEqual([['sw1', 0.5]]); // the second hop waits
    expect(g.step(t, now, 100).map((d) => d.env.to)).toEqual([]); // first hop drawn to its end: released
    expect(g.step(t, now, 50).map((d) => [d.env.to, d.fraction])).toEqual([['server', 0.25]]);
    expect(t.envelopes.size).toBe(1);
  });

  it('follows the lab clock when it is slower than the minimum glide', () => {
    no = 0;
    const t = new SimTracker(wiresOf(doc));
    const g = new GlideState(200);
    t.addRows([row(1, 0, 'client1:eth0', 'tx', true)]);
    expect(g.step(t, 100_000, 100)[0]!.fraction).toBeCloseTo(100_000 / 1_006_720);
  });
});
