// SYN cookies as Linux makes and checks them (net/ipv4/syncookies.c secure_tcp_syn_cookie,
// check_tcp_syn_cookie, __cookie_v4_init_sequence, __cookie_v4_check, cookie_init_timestamp,
// cookie_timestamp_decode, cookie_ecn_ok; include/net/tcp.h tcp_cookie_time, tcp_synq_overflow,
// tcp_synq_no_recent_overflow). README rows 11, 13, 14; captures d2, d4-d6.
//
// The cookie is the ISN of the SYN-ACK:
//   H0(4-tuple) + client ISN + (minute count << 24) + ((H1(4-tuple, count) + mss index) mod 2^24)
// with H0, H1 = SipHash under two secrets. The final ACK (ack = cookie + 1, seq = client ISN + 1)
// is accepted if the count is at most 1 minute old (so a cookie lives 60-120 s: TCP_SYNCOOKIE_VALID)
// and the low 24 bits give an MSS-table index. Nothing else survives the round trip, so when the
// SYN carried timestamps Linux hides wscale/SACK/ECN in the low 6 bits of the SYN-ACK's TSval and
// reads them back from the ACK's TSecr; without timestamps they are lost (row 14).

import { seqAdd, seqDiff } from '../../../../../shared/wire';
import type { TcpSecrets } from './isn';
import { siphash32 } from './siphash';
import { HZ, NS_PER_MS, NS_PER_S, nsToJiffies } from './units';

/** msstab[]: the four MSS values a cookie can carry (2 bits), sorted. */
export const SYNCOOKIE_MSS_TABLE = [536, 1300, 1440, 1460] as const;
/** COOKIEBITS: the low 24 bits carry hash + data, the high 8 the minute counter. */
export const COOKIEBITS = 24;
const COOKIEMASK = (1 << COOKIEBITS) - 1;
/** MAX_SYNCOOKIE_AGE: counter values accepted (current and previous minute). */
export const MAX_SYNCOOKIE_AGE = 2;
/** TCP_SYNCOOKIE_PERIOD: 60 s. */
export const TCP_SYNCOOKIE_PERIOD_NS = 60 * NS_PER_S;
/** TCP_SYNCOOKIE_VALID: 2 minutes. */
export const TCP_SYNCOOKIE_VALID_NS = MAX_SYNCOOKIE_AGE * TCP_SYNCOOKIE_PERIOD_NS;

/** TS option bits hidden in the SYN-ACK's TSval: | ... | ECN | SACK | WScale(4) |. */
export const TS_OPT_WSCALE_MASK = 0xf;
export const TS_OPT_SACK = 1 << 4;
export const TS_OPT_ECN = 1 << 5;
export const TSBITS = 6;

/** The client's segment as the server sees it (SYN, or the final ACK). */
export interface CookieTuple {
  /** Client (segment source) address and port. */
  readonly srcAddr: number;
  readonly srcPort: number;
  /** Server (segment destination) address and port. */
  readonly dstAddr: number;
  readonly dstPort: number;
}

/** tcp_cookie_time(): the minute counter, jiffies / (60 * HZ), as u32. */
export function tcpCookieTime(nowNs: number): number {
  return Math.floor(nsToJiffies(nowNs) / (60 * HZ)) >>> 0;
}

// cookie_hash(): siphash_4u32(saddr, daddr, sport << 16 | dport, count, &syncookie_secret[c]).
function cookieHash(secrets: TcpSecrets, t: CookieTuple, count: number, c: 0 | 1): number {
  return siphash32(secrets.cookie[c], [t.srcAddr >>> 0, t.dstAddr >>> 0, ((((t.srcPort & 0xffff) << 16) | (t.dstPort & 0xffff)) >>> 0), count >>> 0]);
}

/** The MSS-table index for a peer MSS: the largest entry not above it (index 0 if below 536). */
export function cookieMssIndex(mss: number): number {
  let i = SYNCOOKIE_MSS_TABLE.length - 1;
  for (; i > 0; i--) if (mss >= SYNCOOKIE_MSS_TABLE[i]!) break;
  return i;
}

/**
 * __cookie_v4_init_sequence(): the SYN-ACK's ISN for a cookie, and the peer MSS it encodes (the
 * peer's MSS rounded down to the table; the SYN-ACK still advertises our own MSS).
 */
export function cookieInitSequence(
  secrets: TcpSecrets,
  syn: CookieTuple & { readonly seq: number },
  peerMss: number,
  nowNs: number,
): { isn: number; mss: number; mssIndex: number } {
  const mssIndex = cookieMssIndex(peerMss);
  const count = tcpCookieTime(nowNs);
  // secure_tcp_syn_cookie(); all arithmetic mod 2^32.
  let isn = seqAdd(cookieHash(secrets, syn, 0, 0), syn.seq);
  isn = seqAdd(isn, (count << COOKIEBITS) >>> 0);
  isn = seqAdd(isn, (cookieHash(secrets, syn, count, 1) + mssIndex) & COOKIEMASK);
  return { isn, mss: SYNCOOKIE_MSS_TABLE[mssIndex]!, mssIndex };
}

export type CookieCheck =
  | { readonly valid: true; readonly mss: number }
  /** 'expired': the minute counter is 2 or more minutes old; 'mismatch': the hash part is wrong. */
  | { readonly valid: false; readonly reason: 'expired' | 'mismatch' };

/**
 * __cookie_v4_check(): is this ACK (to a listener, no request sock) the answer to one of our
 * cookies? cookie = ack - 1, client ISN = seq - 1. Linux returns the MSS or 0 (SyncookiesFailed);
 * we also say why it failed.
 */
export function cookieCheck(secrets: TcpSecrets, ack: CookieTuple & { readonly seq: number; readonly ack: number }, nowNs: number): CookieCheck {
  const sseq = seqAdd(ack.seq, -1);
  let cookie = seqAdd(ack.ack, -1);
  const count = tcpCookieTime(nowNs);
  // Strip H0 + sseq: what is left is (count << 24) + (H1 + data) mod 2^24.
  cookie = seqAdd(cookie, -seqAdd(cookieHash(secrets, ack, 0, 0), sseq));
  const diff = (count - (cookie >>> COOKIEBITS)) & (0xffff_ffff >>> COOKIEBITS);
  if (diff >= MAX_SYNCOOKIE_AGE) return { valid: false, reason: 'expired' };
  const data = seqDiff(cookie, cookieHash(secrets, ack, (count - diff) >>> 0, 1)) & COOKIEMASK;
  if (data >= SYNCOOKIE_MSS_TABLE.length) return { valid: false, reason: 'mismatch' };
  return { valid: true, mss: SYNCOOKIE_MSS_TABLE[data]! };
}

/** The SYN's options a cookie SYN-ACK can remember. */
export interface CookieSynOptions {
  /** The peer's window-scale shift; undefined = no window-scale option. */
  readonly wscale?: number;
  readonly sackOk: boolean;
  readonly ecnOk: boolean;
}

/**
 * cookie_init_timestamp(): the SYN-ACK's TS clock value (before the connection's ts offset is
 * added) carrying the options in its low 6 bits, never ahead of the real clock (later TSvals use
 * the normal clock and must not go backwards). `monotonicNs` = the TS clock source (tcpTimestampMs).
 */
export function cookieInitTimestamp(monotonicNs: number, o: CookieSynOptions): number {
  const tsNow = Math.floor(monotonicNs / NS_PER_MS);
  let options = o.wscale !== undefined ? o.wscale & TS_OPT_WSCALE_MASK : TS_OPT_WSCALE_MASK;
  if (o.sackOk) options |= TS_OPT_SACK;
  if (o.ecnOk) options |= TS_OPT_ECN;
  let ts = Math.floor(tsNow / 2 ** TSBITS) * 2 ** TSBITS + options;
  if (ts > tsNow) ts -= 2 ** TSBITS;
  return ts % 0x1_0000_0000;
}

export interface CookieDecodedOptions {
  readonly tstampOk: boolean;
  readonly sackOk: boolean;
  /** The peer's shift, or undefined if its SYN had no window-scale option. */
  readonly sndWscale?: number;
  /** The ECN bit was set (cookie_ecn_ok also needs tcp_ecn or the route's ECN feature). */
  readonly ecnBit: boolean;
}

/**
 * cookie_timestamp_decode() (after cookie_v4_check subtracts the ts offset from TSecr): recover
 * the SYN's options from the ACK. No timestamp on the ACK: no SACK, no window scaling (row 14).
 * Returns undefined (drop the ACK) if the cookie claims an option this host has disabled.
 */
export function cookieTimestampDecode(
  ack: { readonly sawTstamp: boolean; readonly tsEcr: number; readonly tsOff: number },
  sysctls: { readonly timestamps: boolean; readonly sack: boolean; readonly windowScaling: boolean } = {
    timestamps: true,
    sack: true,
    windowScaling: true,
  },
): CookieDecodedOptions | undefined {
  if (!ack.sawTstamp) return { tstampOk: false, sackOk: false, ecnBit: false };
  if (!sysctls.timestamps) return undefined;
  // cookie_v4_check only strips the offset when TSecr is non-zero.
  const options = ack.tsEcr !== 0 ? seqAdd(ack.tsEcr, -ack.tsOff) : 0;
  const sackOk = (options & TS_OPT_SACK) !== 0;
  const ecnBit = (options & TS_OPT_ECN) !== 0;
  if (sackOk && !sysctls.sack) return undefined;
  if ((options & TS_OPT_WSCALE_MASK) === TS_OPT_WSCALE_MASK) return { tstampOk: true, sackOk, ecnBit };
  if (!sysctls.windowScaling) return undefined;
  return { tstampOk: true, sackOk, sndWscale: options & TS_OPT_WSCALE_MASK, ecnBit };
}

/**
 * tcp_synq_overflow(): remember when the listener last had to send a cookie (rx_opt.ts_recent_stamp),
 * refreshed at most once a second. Returns the new stamp.
 */
export function synqOverflowStamp(lastNs: number | undefined, nowNs: number): number {
  if (lastNs !== undefined && nowNs >= lastNs && nowNs <= lastNs + NS_PER_S) return lastNs;
  return nowNs;
}

/**
 * !tcp_synq_no_recent_overflow(): cookies are only checked on a listener that overflowed within
 * the last TCP_SYNCOOKIE_VALID (with 1 s of slack before the stamp); otherwise a stray ACK to the
 * listener is not a cookie candidate and gets the usual RST.
 */
export function synqRecentOverflow(lastNs: number | undefined, nowNs: number): boolean {
  if (lastNs === undefined) return false;
  return nowNs >= lastNs - NS_PER_S && nowNs <= lastNs + TCP_SYNCOOKIE_VALID_NS;
}
