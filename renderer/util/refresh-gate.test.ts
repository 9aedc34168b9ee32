import { describe, expect, it } from 'vitest';
import { RefreshGate, type GateClock } from './refresh-gate';

function fakeClock() {
  let t = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let next = 1;
  const clock: GateClock = {
    now: () => t,
    setTimeout: (fn, ms) => {
      const id = next++;
      timers.push({ at: t + ms, fn, id });
      return id;
    },
    clearTimeout: (h) => {
      timers = timers.filter((x) => x.id !== h);
    },
  };
  const advance = async (ms: number) => {
    const end = t + ms;
    for (;;) {
      timers.sort((a, b) => a.at - b.at);
      const due = timers[0];
      if (!due || due.at > end) break;
      timers.shift();
      t = due.at;
      due.fn();
      await Promise.resolve();
    }
    t = end;
    await Promise.resolve();
    await Promise.resolve();
  };
  return { clock, advance, pendingTimers: () => timers.length };
}

describe('RefreshGate', () => {
  it('fetches at once, then at most once per interval, with a trailing fetch', async () => {
    const { clock, advance } = fakeClock();
    const starts: number[] = [];
    const gate = new RefreshGate(async () => void starts.push(clock.now()), 250, clock);
    gate.request();
    await advance(0);
    for (let i = 0; i < 10; i++) {
      gate.request();
      await advance(20);
    }
    await advance(500);
    expect(starts).toEqual([0, 250]);
  });

  it('one request at a time: a demand during a fetch runs after it', async () => {
    const { clock, advance } = fakeClock();
    let release: () => void = () => {};
    let calls = 0;
    const gate = new RefreshGate(
      () => {
        calls++;
        return new Promise<void>((r) => (release = r));
      },
      0,
      clock,
    );
    gate.request();
    gate.request();
    gate.request();
    expect(calls).toBe(1);
    release();
    await advance(0);
    expect(calls).toBe(2);
    release();
    await advance(0);
    expect(calls).toBe(2);
  });

  it('now: skips the interval; nothing happens without demand; dispose cancels', async () => {
    const { clock, advance, pendingTimers } = fakeClock();
    let calls = 0;
    const gate = new RefreshGate(async () => void calls++, 250, clock);
    gate.request();
    await advance(10);
    gate.request(true);
    await advance(0);
    expect(calls).toBe(2);
    await advance(5000);
    expect(calls).toBe(2);
    gate.request();
    await advance(10);
    expect(calls).toBe(3);
    gate.request();
    expect(pendingTimers()).toBe(1);
    gate.dispose();
    expect(pendingTimers()).toBe(0);
    await advance(1000);
    expect(calls).toBe(3);
  });

  it('a failed fetch does not block the next', async () => {
    const { clock, advance } = fakeClock();
    let calls = 0;
    const gate = new RefreshGate(async () => {
      calls++;
      throw new Error('nope');
    }, 0, clock);
    gate.request();
    await advance(0);
    gate.request();
    await advance(0);
    expect(calls).toBe(2);
  });
});
