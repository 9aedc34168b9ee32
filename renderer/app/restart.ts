// Detecting that the trace started over (reset, or another lab opened) from successive statuses,
// so the packet list drops its pages. Pure; see restart.test.ts.
import type { LabStatus } from '../../shared/api/contract';

export function isRestart(prev: LabStatus | null, next: LabStatus): boolean {
  if (!prev) return false;
  return next.labName !== prev.labName || next.timeNs < prev.timeNs || next.frameCount < prev.frameCount;
}
