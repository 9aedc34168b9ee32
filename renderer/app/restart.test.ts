import { describe, expect, it } from 'vitest';
import type { LabStatus } from '../../shared/api/contract';
import { isRestart } from './restart';

const st = (over: Partial<LabStatus> = {}): LabStatus => ({
  labName: 'lab',
  running: false,
  speed: { mode: 'realtime', factor: 1 },
  timeNs: 1000,
  frameCount: 10,
  captureCount: 20,
  dropCount: 0,
  ...over,
});

describe('isRestart', () => {
  it('is false for the first status and for progress', () => {
    expect(isRestart(null, st())).toBe(false);
    expect(isRestart(st(), st({ timeNs: 2000, frameCount: 12 }))).toBe(false);
    expect(isRestart(st(), st({ running: true }))).toBe(false);
  });
  it('is true when time or the trace goes backwards, or the lab changes', () => {
    expect(isRestart(st(), st({ timeNs: 0, frameCount: 0 }))).toBe(true);
    expect(isRestart(st(), st({ frameCount: 3, timeNs: 5000 }))).toBe(true);
    expect(isRestart(st(), st({ labName: 'other' }))).toBe(true);
  });
});
