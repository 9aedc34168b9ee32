// Ephemeral port choice as Linux makes it (net/ipv4/inet_hashtables.c __inet_hash_connect,
// inet_sk_port_offset; net/core/secure_seq.c secure_ipv4_port_ephemeral; net/ipv4/inet_connection_sock.c
// inet_csk_find_open_port). RFC 6056 §3.3.5 "Algorithm 5: Double-Hash Port Selection with random
// increments" is the design Linux follows for connect(). README rows 5-7, capture f.
//
// connect() without a bound port: start at hash(saddr, daddr, dport) + table_perturb[hash & 0xffff],
// scan ports of the SAME parity as `low` (even for 32768) first, then the other parity. After a
// success the bucket's perturbation advances by max(ports scanned, random(0..7) * 2) + 2, so
// successive connects to one destination climb by small even steps (capture f: +8, +6, +6, +10, +4,
// +8, +4, +16, +4), and a different destination port starts elsewhere (5031 -> 50418...).
//
// bind(0) / autobind without a destination: a uniformly random ODD offset (opposite parity, to keep
// out of connect()'s way), scanning odd ports then even; with SO_REUSEADDR the lower half of the
// range first (capture f: 56317, 42883, 41363, 56439, 58971, 36711).
//
// The caller says which ports are unusable: for connect(), ports bound by bind() (Linux's
// fastreuse >= 0) or whose 4-tuple to this destination exists, including TIME_WAIT unless
// tcp_tw_reuse allows it; for bind(0), inet_csk_bind_conflict. Not modelled: IP_LOCAL_PORT_RANGE
// per-socket ranges (step 1), ip_autobind_reuse.

import type { TcpSecrets } from './isn';
import { siphash, type U64 } from './siphash';
import { randomBelow, type RandomU32 } from './units';

/** An inclusive port range (net.ipv4.ip_local_port_range). */
export interface PortRange {
  readonly low: number;
  readonly high: number;
}

/** Linux default ip_local_port_range: 32768 60999. */
export const IP_LOCAL_PORT_RANGE: PortRange = { low: 32768, high: 60999 };

/** INET_TABLE_PERTURB_SIZE: 2^16 perturbation buckets (CONFIG_INET_TABLE_PERTURB_ORDER 16). */
export const INET_TABLE_PERTURB_SIZE = 1 << 16;

/**
 * table_perturb[]: one per machine. Linux fills all 65536 u32 slots with random bytes at first use;
 * we draw a slot from the machine's Rng the first time it is used, which is equally random and
 * deterministic for a seed.
 */
export interface PerturbTable {
  readonly slots: Map<number, number>;
}

export function newPerturbTable(): PerturbTable {
  return { slots: new Map() };
}

function perturbSlot(t: PerturbTable, index: number, rand: RandomU32): number {
  let v = t.slots.get(index);
  if (v === undefined) {
    v = rand() >>> 0;
    t.slots.set(index, v);
  }
  return v;
}

/** inet_sk_port_offset() = secure_ipv4_port_ephemeral(saddr, daddr, dport): a 64-bit keyed hash. */
export function connectPortOffset(secrets: TcpSecrets, localAddr: number, remoteAddr: number, remotePort: number): U64 {
  return siphash(secrets.net, [localAddr >>> 0, remoteAddr >>> 0, remotePort & 0xffff]);
}

export interface ConnectPortRequest {
  readonly secrets: TcpSecrets;
  readonly localAddr: number;
  readonly remoteAddr: number;
  readonly remotePort: number;
  readonly perturb: PerturbTable;
  readonly rand: RandomU32;
  /** True if `port` cannot be used for this connection (see the file comment). */
  readonly inUse: (port: number) => boolean;
  /** net.ipv4.ip_local_reserved_ports. */
  readonly reserved?: (port: number) => boolean;
  readonly range?: PortRange;
}

/**
 * __inet_hash_connect()'s port search. Returns the port, or undefined when every port is taken
 * (connect() fails with EADDRNOTAVAIL). Advances the bucket's perturbation on success.
 */
export function chooseConnectPort(r: ConnectPortRequest): number | undefined {
  const { low } = r.range ?? IP_LOCAL_PORT_RANGE;
  const high = (r.range ?? IP_LOCAL_PORT_RANGE).high + 1; // [32768, 60999] -> [32768, 61000)
  const step = 2;
  let remaining = high - low;
  if (remaining > 1) remaining &= ~1;
  if (remaining <= 0) return undefined;

  const portOffset = connectPortOffset(r.secrets, r.localAddr, r.remoteAddr, r.remotePort);
  const index = portOffset.lo & (INET_TABLE_PERTURB_SIZE - 1);
  const base = perturbSlot(r.perturb, index, r.rand);
  // offset = table_perturb[index] + (port_offset >> 32), as u32, then % remaining.
  let offset = ((base + portOffset.hi) >>> 0) % remaining;
  // In the first pass try ports of `low`'s parity (inet_csk_get_port does the opposite).
  offset &= ~1;

  for (;;) {
    let port = low + offset;
    for (let i = 0; i < remaining; i += step, port += step) {
      if (port >= high) port -= remaining;
      if (r.reserved?.(port)) continue;
      if (r.inUse(port)) continue;
      // Found. "Add a little bit of randomness to the next source port": max() keeps it random
      // under low contention and lets a long scan dominate under high contention.
      const advance = Math.max(i, randomBelow(r.rand, 8) * step) + step;
      r.perturb.slots.set(index, (base + advance) >>> 0);
      return port;
    }
    offset++;
    if (!((offset & 1) && remaining > 1)) return undefined;
  }
}

export interface BindPortRequest {
  readonly rand: RandomU32;
  /** True if binding `port` would conflict (inet_csk_bind_conflict). */
  readonly inUse: (port: number) => boolean;
  readonly reserved?: (port: number) => boolean;
  /** SO_REUSEADDR on the socket: try the lower half of the range first. */
  readonly reuseAddr?: boolean;
  readonly range?: PortRange;
}

/**
 * inet_csk_find_open_port(): the port for bind(0) or an autobind. Returns undefined when none is
 * free (EADDRINUSE).
 */
export function chooseBindPort(r: BindPortRequest): number | undefined {
  const range = r.range ?? IP_LOCAL_PORT_RANGE;
  let attemptHalf = r.reuseAddr ? 1 : 0;
  for (;;) {
    let low = range.low;
    let high = range.high + 1;
    if (high - low < 4) attemptHalf = 0;
    if (attemptHalf) {
      const half = low + (((high - low) >> 2) << 1);
      if (attemptHalf === 1) high = half;
      else low = half;
    }
    let remaining = high - low;
    if (remaining > 1) remaining &= ~1;
    if (remaining > 0) {
      // Opposite parity from connect(): odd offsets first.
      let offset = randomBelow(r.rand, remaining) | 1;
      for (;;) {
        let port = low + offset;
        for (let i = 0; i < remaining; i += 2, port += 2) {
          if (port >= high) port -= remaining;
          if (r.reserved?.(port)) continue;
          if (!r.inUse(port)) return port;
        }
        offset--;
        if (offset & 1) break;
      }
    }
    if (attemptHalf !== 1) return undefined;
    attemptHalf = 2; // now the upper half
  }
}
