// Display formatting shared by the toolbar clock and the packet list.

/**
 * Integer nanoseconds -> seconds with 6 decimals: "1.002345". Truncated to the microsecond (toward
 * zero), so the clock never shows a time that has not been reached yet.
 */
export function formatSeconds(ns: number): string {
  if (!Number.isFinite(ns)) return '—';
  const negative = ns < 0;
  const us = Math.floor(Math.abs(ns) / 1000);
  const whole = Math.floor(us / 1_000_000);
  const frac = String(us % 1_000_000).padStart(6, '0');
  return `${negative && us !== 0 ? '-' : ''}${whole}.${frac}`;
}

/** The toolbar clock: "t = 1.002345 s". */
export function formatClock(ns: number): string {
  return `t = ${formatSeconds(ns)} s`;
}

/** "10.0.0.1/24" -> "10.0.0.1". */
export function stripPrefix(cidr: string): string {
  const slash = cidr.indexOf('/');
  return slash < 0 ? cidr : cidr.slice(0, slash);
}
