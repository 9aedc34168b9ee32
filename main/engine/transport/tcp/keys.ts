// The keyed secrets of one machine's TCP (Linux net/core/secure_seq.c, net/ipv4/syncookies.c,
// inet_hashtables.c): ISNs, timestamp offsets, SYN cookies and ephemeral-port offsets, all from
// SipHash with keys drawn once from the machine's seeded stream, so runs are reproducible.
import type { Rng } from '../../sim';
import { siphash32, sipKeyFrom, type SipKey } from './kernels/siphash';

/** MSS values a cookie can carry (msstab in syncookies.c). */
const MSS_TABLE = [536, 1300, 1440, 1460];
const COOKIEBITS = 24;
const COOKIEMASK = (1 << COOKIEBITS) - 1;
const MAX_SYNCOOKIE_AGE = 2; // minutes
const TSBITS = 6;
const TSMASK = (1 << TSBITS) - 1;
const PERTURB_SIZE = 256;

export class TcpKeys {
  private readonly isnKey: SipKey;
  private readonly tsKey: SipKey;
  private readonly cookieKey: [SipKey, SipKey];
  private readonly portKey: SipKey;
  private readonly perturb = new Uint32Array(PERTURB_SIZE);

  constructor(private readonly rng: Rng) {
    const r = () => rng.u32();
    this.isnKey = sipKeyFrom(r);
    this.tsKey = sipKeyFrom(r);
    this.cookieKey = [sipKeyFrom(r), sipKeyFrom(r)];
    this.portKey = sipKeyFrom(r);
  }

  /** secure_tcp_seq: a keyed hash of the 4-tuple plus a clock ticking every 64 ns (ktime >> 6). */
  isn(saddr: number, sport: number, daddr: number, dport: number, nowNs: number): number {
    const h = siphash32(this.isnKey, [saddr, daddr, ((sport << 16) | dport) >>> 0]);
    return (h + Math.floor(nowNs / 64)) >>> 0;
  }

  /** secure_tcp_ts_off: a random-looking offset per address pair for the TS clock. */
  tsOffset(saddr: number, daddr: number): number {
    return siphash32(this.tsKey, [saddr, daddr]);
  }

  cookieMssIndex(mss: number): number {
    let i = MSS_TABLE.length - 1;
    while (i > 0 && mss < MSS_TABLE[i]!) i--;
    return i;
  }

  cookieMss(index: number): number {
    return MSS_TABLE[index]!;
  }

  private cookieHash(saddr: number, sport: number, daddr: number, dport: number, count: number, c: 0 | 1): number {
    return siphash32(this.cookieKey[c], [saddr, daddr, ((sport << 16) | dport) >>> 0, count >>> 0]);
  }

  /** __cookie_v4_init_sequence: the SYN-ACK's ISN encodes the minute and the MSS index. */
  cookie(saddr: number, sport: number, daddr: number, dport: number, sseq: number, mssIndex: number, nowNs: number): number {
    const count = Math.floor(nowNs / 60e9);
    return (
      this.cookieHash(saddr, sport, daddr, dport, 0, 0) +
      sseq +
      ((count << COOKIEBITS) >>> 0) +
      ((this.cookieHash(saddr, sport, daddr, dport, count, 1) + mssIndex) & COOKIEMASK)
    ) >>> 0;
  }

  /** __cookie_v4_check: the MSS index, or null when the cookie is forged or older than 2 minutes. */
  checkCookie(saddr: number, sport: number, daddr: number, dport: number, sseq: number, cookie: number, nowNs: number): number | null {
    const count = Math.floor(nowNs / 60e9);
    const c = (cookie - this.cookieHash(saddr, sport, daddr, dport, 0, 0) - sseq) >>> 0;
    const diff = (count - (c >>> COOKIEBITS)) & (0xffffffff >>> COOKIEBITS);
    if (diff >= MAX_SYNCOOKIE_AGE) return null;
    const data = (c - this.cookieHash(saddr, sport, daddr, dport, count - diff, 1)) & COOKIEMASK;
    return data < MSS_TABLE.length ? data : null;
  }

  /** cookie_init_timestamp: wscale (4 bits, 0xf = none) and SACK (bit 4) in the TS value's low bits. */
  cookieTs(tsNow: number, wscale: number | undefined, sack: boolean): number {
    const opts = (wscale ?? 0xf) | (sack ? 1 << 4 : 0);
    let ts = ((tsNow & ~TSMASK) | opts) >>> 0;
    if (ts > tsNow) ts = (ts - (1 << TSBITS)) >>> 0;
    return ts;
  }

  cookieTsDecode(tsEcr: number): { wscale?: number; sack: boolean } {
    const ws = tsEcr & 0xf;
    return { wscale: ws === 0xf ? undefined : ws, sack: ((tsEcr >>> 4) & 1) === 1 };
  }

  /**
   * __inet_hash_connect: start at hash(saddr, daddr, dport) + a perturbation, scan ports with the
   * range start's parity (even) first, in steps of 2, then the others; advance the perturbation
   * so the next connect to the same place starts a little further on.
   */
  connectPort([low, high]: [number, number], saddr: number, daddr: number, dport: number, inUse: (p: number) => boolean): number | null {
    const remaining = high - low + 1;
    const h = siphash32(this.portKey, [saddr, daddr, dport]);
    const index = h & (PERTURB_SIZE - 1);
    let offset = ((h + this.perturb[index]!) % remaining) & ~1;
    for (const parity of [0, 1]) {
      for (let i = 0; i < remaining; i += 2) {
        const port = low + ((offset + i + parity) % remaining);
        if (port > high || inUse(port)) continue;
        this.perturb[index] = (this.perturb[index]! + i + 2 + 2 * this.rng.int(1, 6)) >>> 0;
        return port;
      }
      offset = (offset + 1) % remaining;
    }
    return null;
  }

  /** inet_csk_find_open_port for bind(0): a random odd port first (offset |= 1). */
  bindPort([low, high]: [number, number], inUse: (p: number) => boolean): number | null {
    const remaining = high - low + 1;
    const start = this.rng.int(0, remaining - 1) | 1;
    for (const parity of [1, 0]) {
      for (let i = 0; i < remaining; i += 2) {
        const port = low + ((start + i - (1 - parity)) % remaining);
        if (port < low || port > high || inUse(port)) continue;
        return port;
      }
    }
    return null;
  }
}
