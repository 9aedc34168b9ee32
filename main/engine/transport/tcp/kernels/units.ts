// Time units and random-source helpers shared by the TCP kernels.
//
// The engine's clock is integer nanoseconds (DESIGN.md §5). Linux keeps most TCP timers in jiffies;
// we model a kernel built with HZ=1000 (1 jiffy = 1 ms; the capture kernel's 41 ms delayed ACK =
// TCP_DELACK_MIN 40 jiffies + 1 fits that). Conversions round the way Linux's helpers do.

export const NS_PER_US = 1_000;
export const NS_PER_MS = 1_000_000;
export const NS_PER_S = 1_000_000_000;

/** CONFIG_HZ we model. */
export const HZ = 1000;
/** One jiffy in nanoseconds. */
export const JIFFY_NS = NS_PER_S / HZ;

/**
 * A seeded source of uniform 32-bit unsigned integers (e.g. `() => rng.u32()` from sim/rng.ts).
 * Kernels never call Math.random.
 */
export type RandomU32 = () => number;

/** usecs_to_jiffies(): rounds up (include/linux/jiffies.h `_usecs_to_jiffies`). */
export function usecsToJiffies(us: number): number {
  return Math.ceil(us / (1_000_000 / HZ));
}

/** jiffies -> ns. */
export function jiffiesToNs(j: number): number {
  return j * JIFFY_NS;
}

/** The jiffies counter at virtual time `ns` (floor; our jiffies start at 0, Linux's at -300 s). */
export function nsToJiffies(ns: number): number {
  return Math.floor(ns / JIFFY_NS);
}

/** ns -> whole microseconds (Linux's RTT samples are in us: tcp_stamp_us_delta). */
export function nsToUs(ns: number): number {
  return Math.floor(ns / NS_PER_US);
}

/**
 * get_random_u32_below(ceil) (include/linux/random.h): the high 32 bits of rand * ceil, with Lemire's
 * rejection so every value is equally likely. ceil must be in [1, 2^32).
 */
export function randomBelow(rand: RandomU32, ceil: number): number {
  if (!Number.isInteger(ceil) || ceil < 1 || ceil > 0xffff_ffff) throw new RangeError(`randomBelow: bad ceil ${ceil}`);
  const c = BigInt(ceil);
  let mult = BigInt(rand() >>> 0) * c;
  if ((mult & 0xffff_ffffn) < c) {
    const bound = (0x1_0000_0000n - c) % c;
    while ((mult & 0xffff_ffffn) < bound) mult = BigInt(rand() >>> 0) * c;
  }
  return Number(mult >> 32n);
}
