// The speed select's values: "0.1" ... "10" (real-time factor) and "max".
import { isSlowMotion, type Speed } from '../../shared/api/contract';

// Up to 0.01x is slow motion (shared/api/contract SLOW_MOTION_FACTOR): frames are drawn on the
// links and idle time is skipped. 0.0001x shows a 100 us hop (the default link) over a second.
export const SPEED_OPTIONS = ['0.0001', '0.001', '0.01', '0.1', '0.5', '1', '2', '10', 'max'] as const;

export function speedToValue(s: Speed): string {
  return s.mode === 'max' ? 'max' : String(s.factor);
}

export function valueToSpeed(v: string): Speed {
  if (v === 'max') return { mode: 'max' };
  const factor = Number(v);
  return { mode: 'realtime', factor: Number.isFinite(factor) && factor > 0 ? factor : 1 };
}

export function speedLabel(v: string): string {
  if (v === 'max') return 'max';
  return isSlowMotion(valueToSpeed(v)) ? `${v}x slow` : `${v}x`;
}
