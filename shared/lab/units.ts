// Durations and rates as people write them in a lab file ("20ms", "100Mbps") and as the engine uses
// them (integer nanoseconds, integer bits per second). Parsing is exact: a value that is not a whole
// number of the base unit ("0.5ns", "0.5bps") is rejected rather than rounded, so parse(format(x))
// and format(parse(s)) never drift. Arithmetic is done in BigInt, then checked against 2^53.

const MAX_TEXT = 40; // longer strings are never a sensible duration or rate

const DURATION_UNITS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
};

const RATE_UNITS: Readonly<Record<string, bigint>> = {
  bps: 1n,
  kbps: 1_000n,
  mbps: 1_000_000n,
  gbps: 1_000_000_000n,
};

/** Largest unit first: the formatter prefers it when two spellings are equally short. */
const DURATION_FORMAT: readonly (readonly [string, bigint])[] = [
  ['m', 60_000_000_000n],
  ['s', 1_000_000_000n],
  ['ms', 1_000_000n],
  ['us', 1_000n],
  ['ns', 1n],
];

const RATE_FORMAT: readonly (readonly [string, bigint])[] = [
  ['Gbps', 1_000_000_000n],
  ['Mbps', 1_000_000n],
  ['kbps', 1_000n],
  ['bps', 1n],
];

const DURATION_RE = /^(\d+)(?:\.(\d+))?(ns|us|ms|s|m)$/;
const RATE_RE = /^(\d+)(?:\.(\d+))?([kmg]?bps)$/i;

/**
 * "500ns", "500us", "20ms", "1.5s", "2m" (minutes) or a bare "0" to integer nanoseconds.
 * Units are case-sensitive ("m" is minutes, "ms" milliseconds). Null for anything else: negative,
 * fractional nanoseconds, above Number.MAX_SAFE_INTEGER, whitespace, exponents.
 */
export function parseDuration(s: string): number | null {
  if (typeof s !== 'string' || s.length > MAX_TEXT) return null;
  if (s === '0') return 0;
  const m = DURATION_RE.exec(s);
  if (!m) return null;
  return scaleExact(m[1]!, m[2] ?? '', DURATION_UNITS[m[3]!]!);
}

/**
 * "9600bps", "64kbps", "10Mbps", "1.5Gbps" to integer bits per second (decimal prefixes; the unit is
 * case-insensitive). Null for anything else, including zero: a link with no bandwidth never sends.
 */
export function parseRate(s: string): number | null {
  if (typeof s !== 'string' || s.length > MAX_TEXT) return null;
  const m = RATE_RE.exec(s);
  if (!m) return null;
  const bps = scaleExact(m[1]!, m[2] ?? '', RATE_UNITS[m[3]!.toLowerCase()]!);
  return bps === 0 ? null : bps;
}

/** Integer nanoseconds to the shortest exact spelling: 1_500_000_000 -> "1.5s", 0 -> "0". */
export function formatDuration(ns: number): string {
  if (!Number.isSafeInteger(ns) || ns < 0) throw new RangeError(`formatDuration: ${ns} is not a whole, non-negative number of nanoseconds`);
  if (ns === 0) return '0';
  return shortest(BigInt(ns), DURATION_FORMAT);
}

/** Integer bits per second to the shortest exact spelling: 100_000_000 -> "100Mbps". */
export function formatRate(bps: number): string {
  if (!Number.isSafeInteger(bps) || bps <= 0) throw new RangeError(`formatRate: ${bps} is not a whole, positive number of bits per second`);
  return shortest(BigInt(bps), RATE_FORMAT);
}

/** intDigits.fracDigits * unit as an exact safe integer, or null. */
function scaleExact(intDigits: string, fracDigits: string, unit: bigint): number | null {
  const scaled = BigInt(intDigits + fracDigits) * unit;
  const den = 10n ** BigInt(fracDigits.length);
  if (scaled % den !== 0n) return null;
  const v = scaled / den;
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(v);
}

/** The shortest exact decimal spelling over the units; ties go to a whole number, then the larger unit. */
function shortest(v: bigint, units: readonly (readonly [string, bigint])[]): string {
  let best: { text: string; whole: boolean } | null = null;
  for (const [name, unit] of units) {
    const digits = exactDecimal(v, unit);
    if (digits === null) continue;
    const cand = { text: digits + name, whole: !digits.includes('.') };
    if (best === null || cand.text.length < best.text.length || (cand.text.length === best.text.length && cand.whole && !best.whole)) {
      best = cand;
    }
  }
  // The last unit is always 1, so some spelling is exact.
  return best!.text;
}

/** v / unit as a terminating decimal ("1.5"), or null when it does not terminate in 15 digits. */
function exactDecimal(v: bigint, unit: bigint): string | null {
  const whole = v / unit;
  let rem = v % unit;
  let frac = '';
  while (rem !== 0n && frac.length < 15) {
    rem *= 10n;
    frac += (rem / unit).toString();
    rem %= unit;
  }
  if (rem !== 0n) return null;
  return frac ? `${whole}.${frac}` : `${whole}`;
}
