import { describe, expect, it } from 'vitest';
import { speedLabel, speedToValue, valueToSpeed } from './speed';

describe('speed select values', () => {
  it('round-trips', () => {
    expect(speedToValue({ mode: 'max' })).toBe('max');
    expect(speedToValue({ mode: 'realtime', factor: 0.1 })).toBe('0.1');
    expect(valueToSpeed('10')).toEqual({ mode: 'realtime', factor: 10 });
    expect(valueToSpeed('max')).toEqual({ mode: 'max' });
    expect(valueToSpeed('junk')).toEqual({ mode: 'realtime', factor: 1 });
    expect(speedLabel('0.5')).toBe('0.5x');
    expect(speedLabel('max')).toBe('max');
    expect(speedLabel('0.001')).toBe('0.001x slow');
  });
});
