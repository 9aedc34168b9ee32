// Addresses are numbers inside the engine (IPv4 as u32, MAC as u48) and strings only at the edges.

export const BROADCAST_MAC = 0xffff_ffff_ffff;
export const IPV4_ANY = 0;
export const IPV4_BROADCAST = 0xffff_ffff;

/** Parse dotted-quad IPv4 ("10.0.0.1") to a u32, or null when it is not exactly four 0..255 parts. */
export function parseIpv4(s: string): number | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return null;
    const v = Number(p);
    if (v > 255) return null;
    n = n * 256 + v;
  }
  return n;
}

/** Dotted quads already made: a lab has few addresses and the kernel names them for every segment it explains. */
const ipv4Texts = new Map<number, string>();
const IPV4_TEXTS_MAX = 4096;

export function formatIpv4(n: number): string {
  n >>>= 0;
  let s = ipv4Texts.get(n);
  if (s === undefined) {
    if (ipv4Texts.size >= IPV4_TEXTS_MAX) ipv4Texts.clear();
    s = `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
    ipv4Texts.set(n, s);
  }
  return s;
}

/** Parse "10.0.0.1/24" to address and prefix length, or null. */
export function parseCidr(s: string): { addr: number; prefix: number } | null {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(s);
  if (!m) return null;
  const addr = parseIpv4(m[1]!);
  const prefix = Number(m[2]);
  if (addr === null || prefix > 32) return null;
  return { addr, prefix };
}

export function prefixMask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffff_ffff << (32 - prefix)) >>> 0;
}

export function sameSubnet(a: number, b: number, prefix: number): boolean {
  const m = prefixMask(prefix);
  return ((a & m) >>> 0) === ((b & m) >>> 0);
}

/** The subnet `addr` is in, as "a.b.c.d/p" ("10.0.0.0/24" for 10.0.0.7 and 24). */
export function formatSubnet(addr: number, prefix: number): string {
  return `${formatIpv4((addr & prefixMask(prefix)) >>> 0)}/${prefix}`;
}

/**
 * Whether `addr` is the network or the broadcast address of its /`prefix` subnet, or neither. Only
 * prefixes up to /30 have them: a /31 (RFC 3021) or /32 uses every address.
 */
export function subnetEdge(addr: number, prefix: number): 'network' | 'broadcast' | null {
  if (prefix > 30) return null;
  const mask = prefixMask(prefix);
  const net = (addr & mask) >>> 0;
  if (addr === net) return 'network';
  if (addr === (net | ~mask) >>> 0) return 'broadcast';
  return null;
}

/** Parse "02:00:00:00:01:01" (or with '-') to a u48, or null. */
export function parseMac(s: string): number | null {
  const parts = s.split(/[:-]/);
  if (parts.length !== 6) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^[0-9a-fA-F]{2}$/.test(p)) return null;
    n = n * 256 + parseInt(p, 16);
  }
  return n;
}

const HEX2: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** u48 to "02:00:00:00:01:01". Table-driven: it runs for every captured frame (summarize). */
export function formatMac(n: number): string {
  const hi = Math.floor(n / 2 ** 32);
  const lo = n >>> 0;
  return `${HEX2[(hi >>> 8) & 255]}:${HEX2[hi & 255]}:${HEX2[lo >>> 24]}:${HEX2[(lo >>> 16) & 255]}:${HEX2[(lo >>> 8) & 255]}:${HEX2[lo & 255]}`;
}

export function readMac(b: Uint8Array, off: number): number {
  // Parenthesised: `x + y >>> 0` would be `(x + y) >>> 0`, dropping the top 16 bits.
  return ((b[off]! << 8) | b[off + 1]!) * 2 ** 32 + (((b[off + 2]! << 24) | (b[off + 3]! << 16) | (b[off + 4]! << 8) | b[off + 5]!) >>> 0);
}

export function writeMac(b: Uint8Array, off: number, mac: number): void {
  const hi = Math.floor(mac / 2 ** 32);
  const lo = mac >>> 0;
  b[off] = (hi >>> 8) & 255;
  b[off + 1] = hi & 255;
  b[off + 2] = lo >>> 24;
  b[off + 3] = (lo >>> 16) & 255;
  b[off + 4] = (lo >>> 8) & 255;
  b[off + 5] = lo & 255;
}

export function isMulticastMac(mac: number): boolean {
  return (Math.floor(mac / 2 ** 40) & 1) === 1;
}
