import { describe, expect, it } from 'vitest';
import type { DropReason } from '../../../shared/trace';
import { Rng, Scheduler } from '../sim';
import { MemorySink } from '../test/lab-fixtures';
import { Cable, ETH_WIRE_OVERHEAD, TX_QUEUE_LEN, type CableParams } from './cable';
import type { Frame, LinkContext } from './context';
import { Nic } from './nic';
import { Hub, LearningSwitch, MAC_AGEING_NS } from './switch';

function ctx() {
  const sched = new Scheduler();
  const sink = new MemorySink();
  const drops: { machine: string; reason: DropReason }[] = [];
  let id = 0;
  const c: LinkContext = { sched, sink, nextFrameId: () => ++id, drop: (machine, reason) => drops.push({ machine, reason }), framesInFlight: 0 };
  return { c, sched, sink, drops };
}

/** Two NICs, a (MAC 1) and b (MAC 2), on one cable: 1 Gbps, 1 us, no loss, MTU 1500 unless given. */
function cabled(params: Partial<CableParams> = {}, seed = 1) {
  const w = ctx();
  const a = new Nic(w.c, 'a', 'eth0', 1);
  const b = new Nic(w.c, 'b', 'eth0', 2);
  const p: CableParams = { latencyNs: 1000, bandwidthBps: 1e9, loss: 0, mtu: 1500, ...params };
  new Cable(w.c, a, b, p, new Rng(seed, 'l'));
  return { ...w, a, b, params: p };
}

/** A frame from MAC 1 to MAC 2 with `n` in the first four bytes of its payload. */
function numbered(n: number): Uint8Array {
  const b = frame(2, 1);
  new DataView(b.buffer).setUint32(14, n);
  return b;
}

const numberOf = (b: Uint8Array): number => new DataView(b.buffer, b.byteOffset).getUint32(14);

function frame(dst: number, src: number, len = 60): Uint8Array {
  const b = new Uint8Array(len);
  for (let i = 0; i < 6; i++) {
    b[i] = Math.floor(dst / 2 ** (8 * (5 - i))) % 256;
    b[6 + i] = Math.floor(src / 2 ** (8 * (5 - i))) % 256;
  }
  b[12] = 0x08;
  return b;
}

describe('Cable', () => {
  it('delivers after serialization (size + 24 bytes of preamble/FCS/IFG at the bandwidth) plus latency', () => {
    const { sched, a, b } = cabled();
    const got: number[] = [];
    b.onReceive = () => got.push(sched.now);
    a.transmit(frame(2, 1, 1514));
    a.transmit(frame(2, 1, 1514));
    while (sched.step());
    const ser = (1514 + ETH_WIRE_OVERHEAD) * 8; // ns at 1 Gbps
    expect(got).toEqual([ser + 1000, 2 * ser + 1000]);
  });

  it('counts frames on the wire from send until delivery or loss (slow-motion pacing reads it)', () => {
    const { c, sched, a } = cabled({ loss: 0.5 }, 3);
    for (let i = 0; i < 6; i++) a.transmit(frame(2, 1));
    expect(c.framesInFlight).toBe(6);
    sched.step();
    expect(c.framesInFlight).toBe(5);
    while (sched.step());
    expect(c.framesInFlight).toBe(0);
  });

  it('drops a frame larger than the MTU with LINK_MTU, and nothing reaches the peer', () => {
    const { sched, drops, a, b } = cabled({ latencyNs: 0, mtu: 1000 });
    let n = 0;
    b.onReceive = () => n++;
    a.transmit(frame(2, 1, 1100));
    while (sched.step());
    expect(n).toBe(0);
    expect(drops).toEqual([{ machine: 'a', reason: 'LINK_MTU' }]);
  });

  it('loss is drawn from the link stream: about the configured share, the same for the same seed', () => {
    const lossy = (seed: number) => {
      const { sched, drops, a, b } = cabled({ latencyNs: 0, loss: 0.25 }, seed);
      const got: number[] = [];
      b.onReceive = (f: Frame) => got.push(f.id);
      for (let i = 0; i < 800; i++) {
        a.transmit(frame(2, 1));
        sched.runFor(1000);
      }
      while (sched.step());
      expect(drops.every((d) => d.reason === 'LINK_LOSS')).toBe(true);
      return got;
    };
    const r1 = lossy(3);
    expect(r1.length).toBeGreaterThan(540);
    expect(r1.length).toBeLessThan(660);
    expect(lossy(3)).toEqual(r1);
    expect(lossy(4)).not.toEqual(r1);
  });

  it('a full transmit queue drops with LINK_QUEUE_FULL', () => {
    const { sched, drops, a } = cabled({ latencyNs: 0, bandwidthBps: 1e6 });
    for (let i = 0; i < TX_QUEUE_LEN + 5; i++) a.transmit(frame(2, 1));
    expect(drops.filter((d) => d.reason === 'LINK_QUEUE_FULL')).toHaveLength(5);
    // Ten frames' serialization later, ten places are free again: of twelve more, two are dropped.
    const frameNs = Math.ceil(((frame(2, 1).length + ETH_WIRE_OVERHEAD) * 8 * 1e9) / 1e6);
    sched.runUntil(10 * frameNs);
    for (let i = 0; i < 12; i++) a.transmit(frame(2, 1));
    expect(drops.filter((d) => d.reason === 'LINK_QUEUE_FULL')).toHaveLength(7);
    while (sched.step());
  });

  it('keeps one scheduler event per direction for the frames on its wire, each arriving in the place it was sent in', () => {
    const { sched, a, b } = cabled();
    const order: string[] = [];
    const sent: Uint8Array[] = [];
    const got: Frame[] = [];
    b.onReceive = (f: Frame) => {
      order.push(`frame ${f.id}`);
      got.push(f);
    };
    a.onReceive = (f: Frame) => order.push(`back ${f.id}`);
    for (let i = 0; i < 100; i++) a.transmit(sent[i] = frame(2, 1));
    b.transmit(frame(1, 2));
    expect(sched.queued).toBe(2);
    // A timer set after the frames for the instant the second one arrives runs after it, as it
    // would had every arrival been scheduled when its frame was sent.
    const ser = (60 + ETH_WIRE_OVERHEAD) * 8;
    sched.at(2 * ser + 1000, () => order.push('timer'));
    while (sched.step());
    expect(order.slice(0, 4)).toEqual(['frame 1', 'back 101', 'frame 2', 'timer']);
    expect(order).toHaveLength(102);
    // Every frame arrives once, in the order sent, with its own id and bytes.
    expect(got.map((f) => f.id)).toEqual(sent.map((_, i) => i + 1));
    expect(got.every((f, i) => f.bytes === sent[i])).toBe(true);
  });

  it('frames sent while others arrive keep their order as the wire wraps around and grows', () => {
    const { c, sched, a, b } = cabled({ latencyNs: 50_000 });
    const got: Frame[] = [];
    b.onReceive = (f: Frame) => got.push(f);
    // Bursts of 1..12 frames every 3 us against a 50 us latency: the wire holds a varying number.
    // Each frame carries its number in its payload, so a frame's bytes are checked against its id.
    let sent = 0;
    for (let burst = 0; burst < 40; burst++) {
      sched.at(burst * 3000, () => {
        for (let i = 0; i < (burst % 12) + 1; i++) a.transmit(numbered(++sent));
      });
    }
    while (sched.step());
    expect(got.map((f) => f.id)).toEqual(Array.from({ length: sent }, (_, i) => i + 1));
    expect(got.map((f) => numberOf(f.bytes))).toEqual(got.map((f) => f.id));
    expect(c.framesInFlight).toBe(0);
  });

  it('a frame sent after the latency was shortened overtakes a wire that has wrapped around', () => {
    const { sched, a, b, params } = cabled({ latencyNs: 50_000 });
    const got: number[] = [];
    b.onReceive = (f: Frame) => got.push(numberOf(f.bytes));
    // Six frames, four of them arrive, six more: the ring of eight now wraps.
    for (let i = 1; i <= 6; i++) a.transmit(numbered(i));
    const ser = (60 + ETH_WIRE_OVERHEAD) * 8;
    sched.runUntil(4 * ser + 50_000);
    expect(got).toEqual([1, 2, 3, 4]);
    for (let i = 7; i <= 12; i++) a.transmit(numbered(i));
    params.latencyNs = 0;
    a.transmit(numbered(13));
    while (sched.step());
    // 13 leaves the queue after 12 and arrives at once: after 5 and 6 (already propagating), before 7.
    expect(got).toEqual([1, 2, 3, 4, 5, 6, 13, 7, 8, 9, 10, 11, 12]);
  });

  it('a frame sent after the latency was shortened arrives before the frames already on the wire', () => {
    const { c, sched, a, b, params } = cabled({ latencyNs: 50_000 });
    const got: [number, number][] = [];
    b.onReceive = (f: Frame) => got.push([f.id, sched.now]);
    a.transmit(frame(2, 1));
    a.transmit(frame(2, 1));
    params.latencyNs = 0;
    a.transmit(frame(2, 1));
    while (sched.step());
    const ser = (60 + ETH_WIRE_OVERHEAD) * 8;
    expect(got).toEqual([
      [3, 3 * ser],
      [1, ser + 50_000],
      [2, 2 * ser + 50_000],
    ]);
    expect(c.framesInFlight).toBe(0);
  });

  it('an unconnected NIC drops with LINK_DOWN and captures nothing', () => {
    const { c, sink, drops } = ctx();
    new Nic(c, 'a', 'eth0', 1).transmit(frame(2, 1));
    expect(drops[0]!.reason).toBe('LINK_DOWN');
    expect(sink.frames).toHaveLength(0);
  });
});

describe('LearningSwitch and Hub', () => {
  function star(kind: 'switch' | 'hub') {
    const env = ctx();
    const ports = [1, 2, 3].map((i) => new Nic(env.c, 'sw', `p${i}`, 0x100 + i));
    const hosts = [1, 2, 3].map((i) => new Nic(env.c, `h${i}`, 'eth0', i));
    hosts.forEach((h, i) => new Cable(env.c, h, ports[i]!, { latencyNs: 100, bandwidthBps: 1e9, loss: 0, mtu: 1500 }, new Rng(1, `l${i}`)));
    const dev = kind === 'switch' ? new LearningSwitch(env.c, 'sw', ports) : new Hub('sw', ports);
    const seen: string[] = [];
    hosts.forEach((h) => (h.onReceive = () => seen.push(h.machine)));
    return { ...env, hosts, dev, seen };
  }

  it('switch: floods unknown, forwards learned, keeps the frame id across ports', () => {
    const { hosts, sched, seen, sink, dev } = star('switch');
    hosts[0]!.transmit(frame(2, 1)); // unknown dst: flood
    while (sched.step());
    expect(seen.sort()).toEqual(['h2', 'h3']);
    seen.length = 0;
    hosts[1]!.transmit(frame(1, 2)); // learned: only h1
    while (sched.step());
    expect(seen).toEqual(['h1']);
    const ids = new Set(sink.frames.filter((f) => f.frameId === 1).map((f) => `${f.machine}:${f.nic}:${f.dir}`));
    expect(ids).toEqual(new Set(['h1:eth0:tx', 'sw:p1:rx', 'sw:p2:tx', 'sw:p3:tx', 'h2:eth0:rx', 'h3:eth0:rx']));
    expect((dev as LearningSwitch).entries().map((e) => e.port.name).sort()).toEqual(['p1', 'p2']);
  });

  it('switch: a station seen on another port is learned there (it moved), and its entry is refreshed', () => {
    const { hosts, sched, seen, dev } = star('switch');
    const sw = dev as LearningSwitch;
    const entryOf1 = () => sw.entries().filter((e) => e.mac === 1).map((e) => ({ port: e.port.name, seen: e.seen }));
    hosts[0]!.transmit(frame(3, 1)); // MAC 1 learned on p1
    while (sched.step());
    const first = entryOf1();
    expect(first.map((e) => e.port)).toEqual(['p1']);
    sched.runFor(1000);
    const sentAt = sched.now; // the first was sent at 0: the same way to the switch, later by sentAt
    hosts[2]!.transmit(frame(2, 1)); // MAC 1 again, now from h3's port
    while (sched.step());
    expect(entryOf1()).toEqual([{ port: 'p3', seen: sentAt + first[0]!.seen }]);
    seen.length = 0;
    hosts[1]!.transmit(frame(1, 2)); // to MAC 1: out of p3 only
    while (sched.step());
    expect(seen).toEqual(['h3']);
  });

  it('switch: an entry ages out after 300 s and the frame is flooded again', () => {
    const { hosts, sched, seen } = star('switch');
    hosts[1]!.transmit(frame(1, 2));
    while (sched.step());
    sched.runFor(MAC_AGEING_NS + 1);
    seen.length = 0;
    hosts[0]!.transmit(frame(2, 1));
    while (sched.step());
    expect(seen.sort()).toEqual(['h2', 'h3']);
  });

  it('hub: repeats every frame to every other port', () => {
    const { hosts, sched, seen } = star('hub');
    hosts[0]!.transmit(frame(2, 1));
    hosts[1]!.transmit(frame(1, 2));
    while (sched.step());
    expect(seen.sort()).toEqual(['h1', 'h2', 'h3', 'h3']);
  });
});
