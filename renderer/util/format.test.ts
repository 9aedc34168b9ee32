import { describe, expect, it } from 'vitest';
import { formatClock, formatSeconds, stripPrefix } from './format';

describe('formatSeconds', () => {
  it('prints seconds with 6 decimals', () => {
    expect(formatSeconds(0)).toBe('0.000000');
    expect(formatSeconds(1_002_345_000)).toBe('1.002345');
    expect(formatSeconds(1_000)).toBe('0.000001');
    expect(formatSeconds(123_456_789_012_000)).toBe('123456.789012');
  });
  it('truncates nanoseconds to the microsecond', () => {
    expect(formatSeconds(999)).toBe('0.000000');
    expect(formatSeconds(1_002_345_678)).toBe('1.002345');
    expect(formatSeconds(1_999_999_999)).toBe('1.999999');
  });
  it('handles negatives and non-finite values', () => {
    expect(formatSeconds(-1_500_000)).toBe('-0.001500');
    expect(formatSeconds(-1)).toBe('0.000000');
    expect(formatSeconds(Number.NaN)).toBe('—');
  });
});

describe('formatClock', () => {
  it('matches the toolbar format', () => {
    expect(formatClock(1_002_345_000)).toBe('t = 1.002345 s');
  });
});

describe('stripPrefix', () => {
  it('drops the prefix length', () => {
    expect(stripPrefix('10.0.0.1/24')).toBe('10.0.0.1');
    expect(stripPrefix('10.0.0.1')).toBe('10.0.0.1');
  });
});
