import { describe, expect, it } from 'vitest';
import { ByteQueue } from './byte-queue';

const seq = (from: number, n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (from + i) & 255);

describe('ByteQueue', () => {
  const filled = (): ByteQueue => {
    const q = new ByteQueue();
    q.push(seq(0, 5));
    q.push(new Uint8Array(0));
    q.push(seq(5, 3));
    q.push(seq(8, 4));
    return q;
  };

  it('peeks inside the first chunk, across chunks and past the end, always as a copy', () => {
    const q = filled();
    expect(q.length).toBe(12);
    expect([...q.peek(1, 3)]).toEqual([1, 2, 3]);
    expect([...q.peek(3, 6)]).toEqual([3, 4, 5, 6, 7, 8]);
    expect([...q.peek(10, 5)]).toEqual([10, 11]);
    expect(q.peek(12, 4).length).toBe(0);
    const inFirst = q.peek(0, 5);
    inFirst[0] = 99;
    expect(q.peek(0, 1)[0]).toBe(0);
  });

  it('takes from the front after a partial drop, in the first chunk and across chunks', () => {
    const q = filled();
    q.drop(2);
    expect([...q.take(2)]).toEqual([2, 3]);
    expect([...q.take(3)]).toEqual([4, 5, 6]);
    expect(q.length).toBe(5);
    const dst = new Uint8Array(6);
    expect(q.copyTo(1, 10, dst, 2)).toBe(4);
    expect([...dst]).toEqual([0, 0, 8, 9, 10, 11]);
    q.drop(100);
    expect(q.length).toBe(0);
    expect(q.take(4).length).toBe(0);
  });
});
