import { describe, expect, it } from 'vitest';
import type { LabStatus } from '../../shared/api';
import { sameTrace } from './use-status-refresh';

const status = (s: Partial<LabStatus> = {}): LabStatus => ({ labName: 'lab', running: true, speed: { mode: 'realtime', factor: 1 }, timeNs: 0, frameCount: 10, captureCount: 20, dropCount: 0, ...s });

describe('sameTrace: when the views of the trace fetch again', () => {
  it('not when only the clock, the run state or the speed moved', () => {
    expect(sameTrace(status(), status({ timeNs: 5e9, running: false, speed: { mode: 'max' } }))).toBe(true);
    expect(sameTrace(null, null)).toBe(true);
  });

  it('when frames or capture rows arrived, another lab opened, or the status came or went', () => {
    expect(sameTrace(status(), status({ frameCount: 11 }))).toBe(false);
    expect(sameTrace(status(), status({ captureCount: 21 }))).toBe(false);
    expect(sameTrace(status(), status({ labName: 'other' }))).toBe(false);
    expect(sameTrace(null, status())).toBe(false);
  });
});
