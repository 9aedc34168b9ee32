import { describe, expect, it } from 'vitest';
import { afterPaint, holdsCanvas } from './use-canvas-gate';

describe('holdsCanvas', () => {
  it('holds the canvas until the first status arrives, or the wait runs out (a host away)', () => {
    expect(holdsCanvas({ frameCount: null, rowsShown: false, timedOut: false })).toBe(true);
    expect(holdsCanvas({ frameCount: null, rowsShown: false, timedOut: true })).toBe(false);
  });
  it('lets a lab with no frames load the canvas at once', () => {
    expect(holdsCanvas({ frameCount: 0, rowsShown: false, timedOut: false })).toBe(false);
  });
  it('holds it, with frames to show, until the packet list shows rows or the wait runs out', () => {
    expect(holdsCanvas({ frameCount: 1_000_000, rowsShown: false, timedOut: false })).toBe(true);
    expect(holdsCanvas({ frameCount: 1_000_000, rowsShown: true, timedOut: false })).toBe(false);
    expect(holdsCanvas({ frameCount: 1_000_000, rowsShown: false, timedOut: true })).toBe(false);
  });
});

describe('afterPaint', () => {
  it('runs the callback in a task queued from the next animation frame, not before it', () => {
    const frames: (() => void)[] = [];
    const tasks: (() => void)[] = [];
    const win = { requestAnimationFrame: (cb: () => void) => frames.push(cb), setTimeout: (cb: () => void) => tasks.push(cb) };
    let ran = 0;
    afterPaint(() => ran++, win as unknown as Parameters<typeof afterPaint>[1]);
    expect([ran, frames.length, tasks.length]).toEqual([0, 1, 0]);
    frames[0]!();
    expect([ran, tasks.length]).toEqual([0, 1]);
    tasks[0]!();
    expect(ran).toBe(1);
  });
});
