// Split-pane arithmetic (pure; see split.test.ts) and the remembered split sizes.

import { readStored, writeStored } from '../util/storage';

/** The first pane's fraction for a pointer at `pos` px in a container of `size` px, within the minimums. */
export function clampFraction(pos: number, size: number, minFirst: number, minSecond: number): number {
  if (size <= 0) return 0.5;
  const lo = Math.min(minFirst, size / 2);
  const hi = Math.max(size - minSecond, size / 2);
  return Math.min(hi, Math.max(lo, pos)) / size;
}

export function loadFraction(key: string | undefined, fallback: number): number {
  if (!key) return fallback;
  const v = Number(readStored(`split:${key}`));
  return v > 0.05 && v < 0.95 ? v : fallback;
}

export function saveFraction(key: string | undefined, value: number): void {
  if (!key) return;
  writeStored(`split:${key}`, value.toFixed(4));
}
