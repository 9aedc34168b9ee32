import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const peakHeapMB = (mode: 'policy' | 'default'): number => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'main/service/heap-policy.fixture.ts', mode], { encoding: 'utf8' });
  return (JSON.parse(out) as { peakMB: number }).peakMB;
};

describe('the engine heap policy', () => {
  // Measured: 300-400 MB without the policy, 150-160 MB with it (~40 MB live plus the ring).
  it('keeps the heap near its live set while promoted objects keep dying', () => {
    const without = peakHeapMB('default');
    const withPolicy = peakHeapMB('policy');
    expect(withPolicy).toBeLessThan(without * 0.7);
  }, 60_000);
});
