// The speed select's values: "0.1" ... "10" (real-time factor) and "max".
import type { Speed } from '../../shared/api/contract';

export const SPEED_OPTIONS = ['0.1', '0.5', '1', '2', '10', 'max'] as const;

export function speedToValue(s: Speed): string {
  return s.mode === 'max' ? 'max' : String(s.factor);
}

export function valueToSpeed(v: string): Speed {
  if (v === 'max') return { mode: 'max' };
  const factor = Number(v);
  return { mode: 'realtime', factor: Number.isFinite(factor) && factor > 0 ? factor : 1 };
}

export function speedLabel(v: string): string {
  return v === 'max' ? 'max' : `${v}x`;
}
