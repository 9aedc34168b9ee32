// DNS domain names on the wire (RFC 1035 §3.1, §4.1.4) and in presentation form (RFC 1035 §5.1).
//
// Wire form: a sequence of labels, each a length octet (1..63) and that many octets, ended by the
// zero-length root label, or cut short by a compression pointer: two octets 11xxxxxx xxxxxxxx whose
// 14 low bits are an offset from the start of the message (RFC 1035 §4.1.4). Length octets 01xxxxxx
// and 10xxxxxx are the extended label types of RFC 6891 §5 (none in use): an error here. The whole
// name, length octets and root label included, is at most 255 octets (RFC 1035 §2.3.4) — counted
// on the expanded name, so a pointer chain cannot build a longer one.
//
// Presentation form (how names are strings in the lab): labels joined by '.', no trailing dot, the
// root is ''. Octets that would be ambiguous are escaped as in master files (RFC 1035 §5.1): '.' as
// '\.', '\' as '\\', and octets outside printable ASCII as '\DDD' (three decimal digits). Writers accept
// the same escapes, and a trailing dot. No TextEncoder: shared/ is ES2022 without DOM or Node.

import { fail, ok, type Parsed } from './result';

export const DNS_MAX_LABEL = 63;
export const DNS_MAX_NAME = 255;
/**
 * Compression pointers followed while reading one name before it counts as a loop. A pointer loop
 * made of pointers only adds no octets, so the 255-octet limit alone would not end it; real
 * messages chain one or two. (glibc's ns_name_unpack bounds the bytes checked instead.)
 */
export const DNS_MAX_POINTER_JUMPS = 32;

const BACKSLASH = 0x5c;
const DOT = 0x2e;

/** The presentation form of one label's octets bytes[start, start + len). */
export function labelText(bytes: Uint8Array, start: number, len: number): string {
  let s = '';
  for (let i = start; i < start + len; i++) {
    const c = bytes[i]!;
    if (c === DOT || c === BACKSLASH) s += '\\' + String.fromCharCode(c);
    else if (c > 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else s += '\\' + String(c).padStart(3, '0');
  }
  return s;
}

export interface DnsNameRead {
  /** Presentation form ('' for the root). */
  name: string;
  /** Offset just after the name where it starts (after its pointer, if it ends in one). */
  next: number;
  /** Octets of the expanded wire name (length octets and root label included), <= 255. */
  wireLength: number;
  labelCount: number;
}

/**
 * Reads the name at bytes[off]; the message is bytes[msgStart, end) (pointers are relative to
 * msgStart and must land inside it). Never throws: every read is bounds-checked, and pointer loops,
 * reserved label types and over-long names are errors naming the byte where they are.
 */
export function readDnsName(bytes: Uint8Array, off: number, msgStart: number, end: number): Parsed<DnsNameRead> {
  if (end > bytes.length) end = bytes.length;
  let pos = off;
  let next = -1;
  let jumps = 0;
  let wireLength = 0;
  let labelCount = 0;
  let name = '';
  for (;;) {
    if (pos < msgStart || pos >= end) return fail('DNS name runs past the end of the message', Math.max(0, Math.min(pos, end)));
    const len = bytes[pos]!;
    const kind = len & 0xc0;
    if (kind === 0xc0) {
      if (pos + 1 >= end) return fail('DNS compression pointer truncated', pos);
      const target = msgStart + (((len & 0x3f) << 8) | bytes[pos + 1]!);
      if (target >= end) return fail(`DNS compression pointer to offset ${target - msgStart} is outside the ${end - msgStart}-byte message`, pos);
      if (++jumps > DNS_MAX_POINTER_JUMPS) return fail(`DNS compression pointers loop (more than ${DNS_MAX_POINTER_JUMPS} jumps)`, pos);
      if (next < 0) next = pos + 2;
      pos = target;
      continue;
    }
    if (kind !== 0) return fail(`DNS label type 0x${kind.toString(16)} is reserved (RFC 6891 §5); a label length is at most ${DNS_MAX_LABEL}`, pos);
    wireLength += 1 + len;
    if (wireLength > DNS_MAX_NAME) return fail(`DNS name is longer than ${DNS_MAX_NAME} octets`, pos);
    if (len === 0) {
      if (next < 0) next = pos + 1;
      return ok({ name, next, wireLength, labelCount });
    }
    if (pos + 1 + len > end) return fail(`DNS label of ${len} octets runs past the end of the message`, pos);
    name += (labelCount > 0 ? '.' : '') + labelText(bytes, pos + 1, len);
    labelCount++;
    pos += 1 + len;
  }
}

/**
 * The labels of a presentation-form name as octets, or what is wrong with it: an empty label, a
 * label over 63 octets, a name over 255, a non-ASCII character or a bad escape.
 */
export function dnsNameLabels(name: string): number[][] | string {
  if (name === '' || name === '.') return [];
  const labels: number[][] = [];
  let cur: number[] = [];
  let wire = 1;
  const n = name.length;
  for (let i = 0; i < n; i++) {
    let c = name.charCodeAt(i);
    if (c === DOT) {
      if (cur.length === 0) return `empty label in DNS name "${name}"`;
      labels.push(cur);
      wire += 1 + cur.length;
      cur = [];
      continue;
    }
    if (c === BACKSLASH) {
      if (i + 1 >= n) return `DNS name "${name}" ends in a lone backslash`;
      const d = name.slice(i + 1, i + 4);
      if (/^[0-9]{3}$/.test(d)) {
        c = Number(d);
        if (c > 255) return `escape \\${d} in DNS name "${name}" is above 255`;
        i += 3;
      } else {
        c = name.charCodeAt(++i);
      }
    }
    if (c > 0x7e) return `DNS name "${name}" has a non-ASCII character (write it as \\DDD octets)`;
    cur.push(c);
    if (cur.length > DNS_MAX_LABEL) return `label longer than ${DNS_MAX_LABEL} octets in DNS name "${name}"`;
  }
  if (cur.length > 0) {
    labels.push(cur);
    wire += 1 + cur.length;
  }
  if (wire > DNS_MAX_NAME) return `DNS name "${name}" is ${wire} octets on the wire, over ${DNS_MAX_NAME}`;
  return labels;
}

/** null when `name` can be written (see dnsNameLabels), else why not. For validating lab input. */
export function checkDnsName(name: string): string | null {
  const l = dnsNameLabels(name);
  return typeof l === 'string' ? l : null;
}

/** Writes DNS names into one message, compressing repeated suffixes (RFC 1035 §4.1.4). */
export class DnsNameWriter {
  /** Wire form of each suffix written so far -> its offset from the message start. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly buf: Uint8Array,
    private readonly msgStart: number,
  ) {}

  /**
   * Writes `labels` at `pos` and returns the offset after them. With `compress`, the longest suffix
   * already written becomes a pointer, and the suffixes written out as labels are remembered for
   * later names when a pointer can reach them (offset < 0x4000). Without it (a name inside the data
   * of a type other than RFC 1035's, RFC 3597 §4) the name is written whole and nothing points into it.
   */
  write(labels: readonly number[][], pos: number, compress: boolean): number {
    for (let i = 0; i < labels.length; i++) {
      const key = compress ? suffixKey(labels, i) : '';
      const at = compress ? this.seen.get(key) : undefined;
      if (at !== undefined) {
        this.buf[pos] = 0xc0 | (at >>> 8);
        this.buf[pos + 1] = at & 255;
        return pos + 2;
      }
      const rel = pos - this.msgStart;
      if (compress && rel < 0x4000) this.seen.set(key, rel);
      const label = labels[i]!;
      this.buf[pos++] = label.length;
      this.buf.set(label, pos);
      pos += label.length;
    }
    this.buf[pos] = 0;
    return pos + 1;
  }
}

/** The wire form of labels[i..] (without the root octet): unique per suffix, case-sensitive. */
function suffixKey(labels: readonly number[][], i: number): string {
  let k = '';
  for (let j = i; j < labels.length; j++) k += String.fromCharCode(labels[j]!.length, ...labels[j]!);
  return k;
}
