// Initial sequence numbers and TCP timestamp clocks (net/core/secure_seq.c secure_tcp_seq,
// secure_tcp_ts_off, seq_scale; net/ipv4/tcp_ipv4.c tcp_v4_connect / tcp_v4_init_seq /
// tcp_twsk_unique; include/net/tcp.h tcp_time_stamp_ms). RFC 9293 §3.4.1 and RFC 6528: ISN = M + F(4-tuple,
// secret) with M a clock; RFC 7323 §5.4 / §7.1 randomised per-connection timestamp offsets.
//
// Determinism (DESIGN.md §5): the secrets are drawn once per machine from its seeded Rng
// (makeTcpSecrets(() => rng.u32())) and the clocks are the engine's virtual time, so the same lab
// and seed give the same ISNs. F is real SipHash-2-4 (siphash.ts), as in Linux.

import { seqAdd } from '../../../../../shared/wire';
import { siphash32, sipKeyFrom, type SipKey } from './siphash';
import { NS_PER_MS, type RandomU32 } from './units';

/** The per-machine secrets Linux draws at first use (net_secret, ts_secret, syncookie_secret[2]). */
export interface TcpSecrets {
  /** net_secret: ISNs and ephemeral-port offsets. */
  readonly net: SipKey;
  /** ts_secret: per address-pair timestamp offsets. */
  readonly ts: SipKey;
  /** syncookie_secret[0], [1]. */
  readonly cookie: readonly [SipKey, SipKey];
}

export function makeTcpSecrets(rand: RandomU32): TcpSecrets {
  const net = sipKeyFrom(rand);
  const ts = sipKeyFrom(rand);
  const c0 = sipKeyFrom(rand);
  const c1 = sipKeyFrom(rand);
  return { net, ts, cookie: [c0, c1] };
}

/**
 * seq_scale(): add a 64 ns clock to the hash ("a clock of 64 ns period is OK: the u32 wraps every
 * 274 s", longer than 2 MSL). Linux uses ktime_get_real_ns(): wall-clock time; pass the machine's
 * virtual wall clock in ns (virtual time plus any epoch the lab assigns).
 */
export function seqScale(hash: number, realtimeNs: number): number {
  const ticks = Math.floor(realtimeNs / 64) % 0x1_0000_0000;
  return seqAdd(hash, ticks);
}

/**
 * secure_tcp_seq(): ISN for (local addr, remote addr, local port, remote port) - Linux's argument
 * order for both tcp_v4_connect (inet_saddr, inet_daddr, sport, dport) and tcp_v4_init_seq (the
 * SYN's daddr, saddr, dest, source). Addresses are u32, ports u16.
 */
export function secureTcpSeq(
  secrets: TcpSecrets,
  localAddr: number,
  remoteAddr: number,
  localPort: number,
  remotePort: number,
  realtimeNs: number,
): number {
  const hash = siphash32(secrets.net, [localAddr >>> 0, remoteAddr >>> 0, (((localPort & 0xffff) << 16) | (remotePort & 0xffff)) >>> 0]);
  return seqScale(hash, realtimeNs);
}

/**
 * secure_tcp_ts_off(): the per (local, remote) address-pair offset added to every TS value we
 * send (0 unless tcp_timestamps == 1). Ports are not hashed, so all connections between two hosts
 * share one offset - which is also what lets SYN cookies strip it again.
 */
export function secureTcpTsOff(secrets: TcpSecrets, localAddr: number, remoteAddr: number, tcpTimestamps = 1): number {
  if (tcpTimestamps !== 1) return 0;
  return siphash32(secrets.ts, [localAddr >>> 0, remoteAddr >>> 0]);
}

/**
 * tcp_time_stamp_ms(): the 1 kHz TS clock (RFC 7323 §5.4 allows 1 ms to 1 s ticks), from the
 * monotonic clock (Linux: tcp_clock_ns, i.e. time since boot). u32, wrapping.
 */
export function tcpTimestampMs(monotonicNs: number): number {
  return Math.floor(monotonicNs / NS_PER_MS) % 0x1_0000_0000;
}

/** The TSval we put on the wire: TS clock + the connection's tsoffset, mod 2^32. */
export function tsVal(monotonicNs: number, tsOffset: number): number {
  return seqAdd(tcpTimestampMs(monotonicNs), tsOffset);
}

/**
 * ISN when a new connection reuses a TIME_WAIT 4-tuple (tcp_twsk_unique for connect(),
 * tcp_timewait_state_process for an incoming SYN): tw_snd_nxt + 65535 + 2, skipping 0, so the new
 * incarnation's sequence space starts above anything the old one sent (README row 34).
 */
export function timeWaitReuseIsn(twSndNxt: number): number {
  const isn = seqAdd(twSndNxt, 65535 + 2);
  return isn === 0 ? 1 : isn;
}
