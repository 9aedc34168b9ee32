import { describe, expect, it } from 'vitest';
import { NumberFifo } from './number-fifo';

describe('NumberFifo', () => {
  it('keeps first-in first-out order across wrap-around and growth', () => {
    const q = new NumberFifo();
    const model: number[] = [];
    let next = 0;
    // Interleave pushes and shifts so the ring wraps before it grows, several times over.
    for (let round = 0; round < 200; round++) {
      const pushes = (round * 7) % 13;
      for (let i = 0; i < pushes; i++) {
        q.push(next * 1.5e9); // beyond 2^31: kept as doubles, not truncated
        model.push(next++ * 1.5e9);
      }
      const shifts = (round * 5) % 11;
      for (let i = 0; i < shifts && model.length > 0; i++) expect(q.shift()).toBe(model.shift());
      expect(q.size).toBe(model.length);
      expect(q.first()).toBe(model[0]);
      expect(q.last()).toBe(model.at(-1));
    }
    while (model.length > 0) expect(q.shift()).toBe(model.shift());
    expect(q.first()).toBeUndefined();
    expect(q.last()).toBeUndefined();
  });

  it('keeps FIFO order across bursts that grow the ring and empty it (where it shrinks back), and works after', () => {
    const q = new NumberFifo();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 300; i++) q.push(round * 1000 + i);
      for (let i = 0; i < 300; i++) expect(q.shift()).toBe(round * 1000 + i);
      expect(q.size).toBe(0);
    }
    q.push(7);
    expect([q.first(), q.last(), q.size]).toEqual([7, 7, 1]);
  });
});
