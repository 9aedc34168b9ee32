import { describe, expect, it } from 'vitest';
import { clampFraction } from './split';

describe('clampFraction', () => {
  it('follows the pointer within the minimums', () => {
    expect(clampFraction(500, 1000, 100, 100)).toBe(0.5);
    expect(clampFraction(50, 1000, 100, 100)).toBe(0.1);
    expect(clampFraction(980, 1000, 100, 100)).toBe(0.9);
  });
  it('copes with containers smaller than both minimums', () => {
    expect(clampFraction(10, 150, 100, 100)).toBe(0.5);
    expect(clampFraction(10, 0, 100, 100)).toBe(0.5);
  });
});
