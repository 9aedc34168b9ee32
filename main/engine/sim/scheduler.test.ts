import { describe, expect, it } from 'vitest';
import { MS, Scheduler, type Timer } from './scheduler';
import { Rng } from './rng';

describe('Scheduler', () => {
  it('runs events in (time, insertion) order', () => {
    const s = new Scheduler();
    const log: string[] = [];
    s.at(5, () => log.push('b5'));
    s.at(1, () => log.push('a1'));
    s.at(5, () => log.push('c5'));
    s.at(3, () => log.push('x3'));
    while (s.step());
    expect(log).toEqual(['a1', 'x3', 'b5', 'c5']);
    expect(s.now).toBe(5);
  });

  it('cancelled timers never run and are not pending', () => {
    const s = new Scheduler();
    const log: number[] = [];
    const t = s.after(10, () => log.push(1));
    s.after(20, () => log.push(2));
    s.cancel(t);
    s.cancel(t);
    expect(s.pending).toBe(1);
    s.runUntil(100);
    expect(log).toEqual([2]);
    expect(s.now).toBe(100);
  });

  it('runUntil stops at the boundary and events may schedule more events', () => {
    const s = new Scheduler();
    let n = 0;
    const tick = () => {
      n++;
      s.after(MS, tick);
    };
    s.after(0, tick);
    s.runUntil(10 * MS);
    expect(n).toBe(11);
    expect(s.nextTime()).toBe(11 * MS);
  });

  it('keeps order for many random events (heap property)', () => {
    const s = new Scheduler();
    const rng = new Rng(1, 't');
    const seen: number[] = [];
    for (let i = 0; i < 5000; i++) {
      const at = rng.int(0, 1000);
      s.at(at, () => seen.push(at));
    }
    while (s.step());
    expect(seen).toHaveLength(5000);
    for (let i = 1; i < seen.length; i++) expect(seen[i]! >= seen[i - 1]!).toBe(true);
  });

  it('re-armed timers do not pile up: the heap is compacted and (time, insertion) order survives it', () => {
    const s = new Scheduler();
    const rng = new Rng(2, 't');
    const ran: number[] = [];
    const last = Array.from({ length: 100 }, () => ({ at: 1000, k: -1 }));
    const timers = last.map((_, id) => s.at(1000, () => ran.push(id)));
    let maxQueued = 0;
    // Like TCP re-arming its retransmit timer on every ACK: cancel and schedule anew, 50,000 times.
    for (let k = 0; k < 50_000; k++) {
      const id = rng.int(0, 99);
      s.cancel(timers[id]);
      const at = 1000 + rng.int(0, 50); // ties on purpose: the later schedule call must run later
      timers[id] = s.at(at, () => ran.push(id));
      last[id] = { at, k };
      maxQueued = Math.max(maxQueued, s.queued);
    }
    expect(maxQueued).toBeLessThanOrEqual(1025);
    const expected = last.map((l, id) => ({ ...l, id })).sort((x, y) => x.at - y.at || x.k - y.k).map((x) => x.id);
    while (s.step());
    expect(ran).toEqual(expected);
  });

  it('an event scheduled later in a reserved place runs where it would have run if scheduled then', () => {
    const s = new Scheduler();
    const ran: string[] = [];
    const place = s.reserve();
    s.at(100, () => ran.push('scheduled after the reservation'));
    s.at(50, () => s.atReserved(100, place, () => ran.push('reserved')));
    while (s.step());
    expect(ran).toEqual(['reserved', 'scheduled after the reservation']);
    expect(() => s.atReserved(10, s.reserve(), () => {})).toThrow(/before now/);
    // A place behind the event that ran last at this time has passed: scheduling there would reorder.
    const early = s.reserve();
    s.at(100, () => {});
    s.step();
    expect(() => s.atReserved(100, early, () => {})).toThrow(/already passed/);
    // At a later time the same place is ahead again.
    s.runUntil(200);
    s.atReserved(200, early, () => ran.push('reserved again'));
    s.step();
    expect(ran.at(-1)).toBe('reserved again');
  });

  it('an event that has run can be scheduled again in a reserved place; a pending or cancelled one cannot', () => {
    const s = new Scheduler();
    const ran: number[] = [];
    let n = 0;
    const first = s.reserve();
    const ev = s.atReserved(10, first, () => ran.push(++n));
    const after = s.reserve();
    s.at(20, () => ran.push(100));
    expect(() => s.rearmReserved(ev, 30, s.reserve())).toThrow(/only an event that has run/);
    s.step();
    // Re-armed into a place reserved before the event at 20 was scheduled: it runs first at 20.
    expect(s.rearmReserved(ev, 20, after)).toBe(ev);
    expect(ev.done).toBe(false);
    while (s.step());
    expect(ran).toEqual([1, 2, 100]);
    expect(() => s.rearmReserved(ev, 5, s.reserve())).toThrow(/before now/);
    const cancelled = s.after(5, () => {});
    s.cancel(cancelled);
    expect(() => s.rearmReserved(cancelled, 40, s.reserve())).toThrow(/only an event that has run/);
  });

  it('an event re-arms itself from its own callback (as the head arrival of a cable does), and a passed place is refused', () => {
    const s = new Scheduler();
    const times: number[] = [];
    const early = s.reserve();
    const ev: Timer = s.atReserved(10, s.reserve(), () => {
      times.push(s.now);
      if (times.length < 3) s.rearmReserved(ev, s.now + 5, s.reserve());
    });
    s.at(10, () => {});
    while (s.step());
    expect(times).toEqual([10, 15, 20]);
    expect(s.pending).toBe(0);
    // At 20, the place reserved before everything else has passed.
    expect(() => s.rearmReserved(ev, 20, early)).toThrow(/already passed/);
  });

  it('refuses to schedule in the past', () => {
    const s = new Scheduler();
    s.runUntil(10);
    expect(() => s.at(5, () => {})).toThrow(/before now/);
  });
});

describe('Rng', () => {
  it('is deterministic per (seed, stream) and independent across streams', () => {
    const a1 = new Rng(7, 'machine:client');
    const a2 = new Rng(7, 'machine:client');
    const b = new Rng(7, 'machine:server');
    const c = new Rng(8, 'machine:client');
    const xs = [a1.u32(), a1.u32(), a1.u32()];
    expect([a2.u32(), a2.u32(), a2.u32()]).toEqual(xs);
    expect(b.u32()).not.toBe(xs[0]);
    expect(c.u32()).not.toBe(xs[0]);
  });

  it('int stays in range and covers it', () => {
    const r = new Rng(1, 'x');
    const seen = new Set<number>();
    for (let i = 0; i < 10000; i++) {
      const v = r.int(3, 9);
      expect(v).toBeGreaterThanOrEqual(3);
      expect(v).toBeLessThanOrEqual(9);
      seen.add(v);
    }
    expect(seen.size).toBe(7);
  });
});
