import { describe, expect, it } from 'vitest';
import { Rng } from '../../sim';
import { pooledBlocks, SEND_BLOCK, SendQueue } from './send-queue';

const seq = (from: number, n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (from + i) & 255);

describe('SendQueue', () => {
  it('copies what it is given: changing the buffer sent from afterwards changes nothing queued', () => {
    const q = new SendQueue();
    const buf = seq(0, 10);
    q.append(buf);
    buf.fill(0xee);
    expect([...q.peek(0, 10)]).toEqual([...seq(0, 10)]);
  });

  it('reads across block boundaries at any offset, and only what is queued', () => {
    const q = new SendQueue();
    q.append(seq(0, SEND_BLOCK - 3));
    q.append(seq(SEND_BLOCK - 3, 10)); // crosses into a second block
    q.append(seq(SEND_BLOCK + 7, 2 * SEND_BLOCK)); // fills it and a third
    expect(q.length).toBe(3 * SEND_BLOCK + 7);
    const dst = new Uint8Array(20);
    expect(q.copyTo(SEND_BLOCK - 5, 16, dst, 2)).toBe(16);
    expect([...dst.subarray(2, 18)]).toEqual([...seq(SEND_BLOCK - 5, 16)]);
    expect(q.peek(3 * SEND_BLOCK, 100).length).toBe(7);
    expect(q.copyTo(3 * SEND_BLOCK + 7, 5, dst, 0)).toBe(0);
  });

  it('gives acknowledged blocks back to the pool, and a reused block shows none of its old bytes', () => {
    const q = new SendQueue();
    q.append(seq(0, 2 * SEND_BLOCK + 100));
    const before = pooledBlocks();
    q.drop(SEND_BLOCK - 1);
    expect(pooledBlocks()).toBe(before);
    q.drop(1);
    expect(pooledBlocks()).toBe(before + 1);
    expect([...q.peek(0, 3)]).toEqual([...seq(SEND_BLOCK, 3)]);
    q.clear();
    expect(q.length).toBe(0);
    expect(pooledBlocks()).toBe(before + 3);
    const r = new SendQueue();
    r.append(seq(200, 4));
    expect(pooledBlocks()).toBe(before + 2);
    expect([...r.peek(0, 100)]).toEqual([...seq(200, 4)]);
  });

  it('matches a plain byte array through random appends, reads and drops', () => {
    const rng = new Rng(7, 'send-queue');
    const q = new SendQueue();
    let model: number[] = [];
    let next = 0;
    for (let step = 0; step < 500; step++) {
      const op = rng.int(0, 2);
      if (op === 0) {
        const n = rng.int(0, 3 * SEND_BLOCK);
        q.append(seq(next, n));
        for (let i = 0; i < n; i++) model.push((next + i) & 255);
        next += n;
      } else if (op === 1) {
        const off = rng.int(0, model.length);
        const len = rng.int(0, 2 * SEND_BLOCK);
        expect([...q.peek(off, len)]).toEqual(model.slice(off, off + len));
      } else {
        const n = rng.int(0, model.length);
        q.drop(n);
        model = model.slice(n);
      }
      expect(q.length).toBe(model.length);
    }
  });
});
