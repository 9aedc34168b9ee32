// TCP options (RFC 9293 §3.2, §3.7.1 MSS; RFC 7323 window scale and timestamps; RFC 2018 SACK).
// Kinds 0 (End of Option List) and 1 (No-Operation) are one byte; every other option is
// kind, length (counting kind and length), data. Unknown kinds are skipped by their length
// (RFC 9293 §3.2: "must be prepared to handle an illegal option length ... without crashing";
// RFC 1122 §4.2.2.5 / RFC 9293 MUST-6: ignore options not implemented).
//
// Two parsers:
// - parseTcpOptions (dissection, tests) is strict: a length below 2, past the end of the options
//   area, or wrong for a known kind (MSS 4, window scale 3, SACK-permitted 2, timestamps 10,
//   SACK 2 + 8n) is an error result (never a throw).
// - parseTcpOptionValues (the stack) follows Linux tcp_parse_options (net/ipv4/tcp_input.c): it stops
//   at a "silly" length (< 2 or past the end) keeping what it had, and skips a known kind whose length
//   is wrong. It never fails; `malformed` records the first problem for tracing.
// After End of Option List the rest of the area is padding (RFC 9293 §3.2) and is not parsed.
//
// Writing: writeTcpOptions(buf, offset, options) encodes the list at offset, zero-pads it to a
// multiple of 4 and returns that length; writeTcp calls it. linuxOptionLayout builds Linux's lists.

import { readU16, readU32, writeU16, writeU32 } from './bytes';
import { fail, ok, type Parsed } from './result';

export const TcpOptionKind = {
  EOL: 0,
  NOP: 1,
  MSS: 2,
  WSCALE: 3,
  SACK_PERM: 4,
  SACK: 5,
  TIMESTAMP: 8,
} as const;

/** RFC 7323 §2.3: a shift above 14 is used as 14. */
export const TCP_MAX_WSCALE = 14;
/** RFC 9293 §3.7.1 / RFC 1122: MSS assumed when the SYN carries none (Linux TCP_MSS_DEFAULT). */
export const TCP_DEFAULT_MSS = 536;

export type TcpOption =
  | { kind: 'eol' }
  | { kind: 'nop' }
  | { kind: 'mss'; mss: number }
  | { kind: 'wscale'; shift: number }
  | { kind: 'sackPerm' }
  | { kind: 'sack'; blocks: ReadonlyArray<readonly [number, number]> }
  | { kind: 'timestamp'; tsVal: number; tsEcr: number }
  | { kind: 'unknown'; type: number; data: Uint8Array };

/** A parsed option with its absolute byte offset and length (1 for EOL/NOP). */
export type TcpOptionAt = TcpOption & { offset: number; length: number };

/** The values a TCP endpoint acts on, without the layout. */
export interface TcpOptionValues {
  mss?: number;
  /** Shift count as sent (may exceed 14; clamp with TCP_MAX_WSCALE when using it). */
  wscale?: number;
  sackPermitted: boolean;
  tsVal?: number;
  tsEcr?: number;
  sackBlocks?: Array<[number, number]>;
  /** The first malformed option (what and at which absolute byte), when there was one. */
  malformed?: { error: string; at: number };
}

const expectedLength: Record<number, number> = { 2: 4, 3: 3, 4: 2, 8: 10 };

/** Kind name for messages and labels. */
export function tcpOptionName(kind: number): string {
  switch (kind) {
    case 0: return 'End of Option List';
    case 1: return 'No-Operation';
    case 2: return 'Maximum Segment Size';
    case 3: return 'Window Scale';
    case 4: return 'SACK Permitted';
    case 5: return 'SACK';
    case 8: return 'Timestamps';
    default: return `kind ${kind}`;
  }
}

/** Length of the option at i (kind >= 2), or what is wrong with it and at which byte. */
export function tcpOptionLength(bytes: Uint8Array, i: number, end: number): number | { error: string; at: number } {
  const kind = bytes[i]!;
  if (i + 1 >= end) return { error: `TCP option ${tcpOptionName(kind)} has no length byte`, at: i };
  const len = bytes[i + 1]!;
  if (len < 2) return { error: `TCP option ${tcpOptionName(kind)} length ${len} is below 2`, at: i + 1 };
  if (i + len > end) return { error: `TCP option ${tcpOptionName(kind)} length ${len} runs past the end of the options (${end - i} bytes left)`, at: i + 1 };
  const want = expectedLength[kind];
  if (want !== undefined && len !== want) return { error: `TCP option ${tcpOptionName(kind)} length ${len} should be ${want}`, at: i + 1 };
  if (kind === TcpOptionKind.SACK && (len < 10 || (len - 2) % 8 !== 0)) return { error: `TCP option SACK length ${len} is not 2 + 8n`, at: i + 1 };
  return len;
}

/** The [left, right] edges of the SACK option at i, of length `len` (2 + 8n, checked by tcpOptionLength). */
function readSackBlocks(bytes: Uint8Array, i: number, len: number): Array<[number, number]> {
  const blocks: Array<[number, number]> = [];
  for (let j = i + 2; j < i + len; j += 8) blocks.push([readU32(bytes, j), readU32(bytes, j + 4)]);
  return blocks;
}

/** Parse the options area bytes[offset, end) (from TcpHeader: optionsOffset .. payloadOffset). */
export function parseTcpOptions(bytes: Uint8Array, offset: number, end: number): Parsed<TcpOptionAt[]> {
  const out: TcpOptionAt[] = [];
  const err = walkTcpOptions(bytes, offset, end, out);
  return err ? fail(err.error, err.at) : ok(out);
}

/**
 * The walk behind parseTcpOptions: appends the options to `out` until the end, an EOL, or the first
 * malformed option, which it returns (the options before it stay in `out`, for the details tree).
 */
export function walkTcpOptions(bytes: Uint8Array, offset: number, end: number, out: TcpOptionAt[]): { error: string; at: number } | null {
  if (end > bytes.length) end = bytes.length;
  let i = offset < 0 ? 0 : offset;
  while (i < end) {
    const kind = bytes[i]!;
    if (kind === TcpOptionKind.EOL) {
      out.push({ kind: 'eol', offset: i, length: 1 });
      break;
    }
    if (kind === TcpOptionKind.NOP) {
      out.push({ kind: 'nop', offset: i, length: 1 });
      i++;
      continue;
    }
    const len = tcpOptionLength(bytes, i, end);
    if (typeof len !== 'number') return len;
    switch (kind) {
      case TcpOptionKind.MSS:
        out.push({ kind: 'mss', mss: readU16(bytes, i + 2), offset: i, length: len });
        break;
      case TcpOptionKind.WSCALE:
        out.push({ kind: 'wscale', shift: bytes[i + 2]!, offset: i, length: len });
        break;
      case TcpOptionKind.SACK_PERM:
        out.push({ kind: 'sackPerm', offset: i, length: len });
        break;
      case TcpOptionKind.TIMESTAMP:
        out.push({ kind: 'timestamp', tsVal: readU32(bytes, i + 2), tsEcr: readU32(bytes, i + 6), offset: i, length: len });
        break;
      case TcpOptionKind.SACK:
        out.push({ kind: 'sack', blocks: readSackBlocks(bytes, i, len), offset: i, length: len });
        break;
      default:
        out.push({ kind: 'unknown', type: kind, data: bytes.subarray(i + 2, i + len), offset: i, length: len });
    }
    i += len;
  }
  return null;
}

/**
 * The option values, Linux style (see the top of this file): the last occurrence wins, bad lengths
 * stop the walk (< 2 or past the end) or skip the option (wrong length for its kind).
 */
export function parseTcpOptionValues(bytes: Uint8Array, offset: number, end: number): TcpOptionValues {
  if (end > bytes.length) end = bytes.length;
  const v: TcpOptionValues = { sackPermitted: false };
  let i = offset < 0 ? 0 : offset;
  while (i < end) {
    const kind = bytes[i]!;
    if (kind === TcpOptionKind.EOL) break;
    if (kind === TcpOptionKind.NOP) {
      i++;
      continue;
    }
    const len = tcpOptionLength(bytes, i, end);
    if (typeof len !== 'number') {
      v.malformed = len;
      // Silly or partial length: Linux returns here. A wrong length for a known kind is skipped.
      const n = i + 1 < end ? bytes[i + 1]! : 0;
      if (n < 2 || i + n > end) break;
      i += n;
      continue;
    }
    if (kind === TcpOptionKind.MSS) v.mss = readU16(bytes, i + 2);
    else if (kind === TcpOptionKind.WSCALE) v.wscale = bytes[i + 2]!;
    else if (kind === TcpOptionKind.SACK_PERM) v.sackPermitted = true;
    else if (kind === TcpOptionKind.TIMESTAMP) {
      v.tsVal = readU32(bytes, i + 2);
      v.tsEcr = readU32(bytes, i + 6);
    } else if (kind === TcpOptionKind.SACK) {
      v.sackBlocks = readSackBlocks(bytes, i, len);
    }
    i += len;
  }
  return v;
}

function rawLength(o: TcpOption): number {
  switch (o.kind) {
    case 'eol':
    case 'nop':
      return 1;
    case 'mss':
      return 4;
    case 'wscale':
      return 3;
    case 'sackPerm':
      return 2;
    case 'sack':
      return 2 + 8 * o.blocks.length;
    case 'timestamp':
      return 10;
    case 'unknown':
      return 2 + o.data.length;
    default:
      return assertNever(o);
  }
}

function assertNever(x: never): never {
  throw new Error(`unexpected TCP option ${JSON.stringify(x)}`);
}

/** Bytes the options take in the header: their sum, rounded up to a multiple of 4. */
export function tcpOptionsLength(options: readonly TcpOption[]): number {
  let n = 0;
  for (const o of options) n += rawLength(o);
  return (n + 3) & ~3;
}

/**
 * Writes the options at offset and zero-fills up to a multiple of 4 (zeros = End of Option List,
 * RFC 9293 §3.1 "Padding"). Returns the padded length. The caller keeps it within 40 bytes.
 */
export function writeTcpOptions(buf: Uint8Array, offset: number, options: readonly TcpOption[]): number {
  let i = offset;
  for (const o of options) {
    switch (o.kind) {
      case 'eol':
        buf[i] = TcpOptionKind.EOL;
        break;
      case 'nop':
        buf[i] = TcpOptionKind.NOP;
        break;
      case 'mss':
        buf[i] = TcpOptionKind.MSS;
        buf[i + 1] = 4;
        writeU16(buf, i + 2, o.mss);
        break;
      case 'wscale':
        buf[i] = TcpOptionKind.WSCALE;
        buf[i + 1] = 3;
        buf[i + 2] = o.shift;
        break;
      case 'sackPerm':
        buf[i] = TcpOptionKind.SACK_PERM;
        buf[i + 1] = 2;
        break;
      case 'sack': {
        buf[i] = TcpOptionKind.SACK;
        buf[i + 1] = 2 + 8 * o.blocks.length;
        let j = i + 2;
        for (const [left, right] of o.blocks) {
          writeU32(buf, j, left);
          writeU32(buf, j + 4, right);
          j += 8;
        }
        break;
      }
      case 'timestamp':
        buf[i] = TcpOptionKind.TIMESTAMP;
        buf[i + 1] = 10;
        writeU32(buf, i + 2, o.tsVal);
        writeU32(buf, i + 6, o.tsEcr);
        break;
      case 'unknown':
        buf[i] = o.type;
        buf[i + 1] = 2 + o.data.length;
        buf.set(o.data, i + 2);
        break;
      default:
        assertNever(o);
    }
    i += rawLength(o);
  }
  const padded = offset + ((i - offset + 3) & ~3);
  buf.fill(0, i, padded);
  return padded - offset;
}

export interface LinuxOptionRequest {
  mss?: number;
  /** Advertise SACK-permitted (SYN and SYN-ACK only). */
  sackPerm?: boolean;
  ts?: { val: number; ecr: number };
  /** Window scale shift (SYN and SYN-ACK only). */
  wscale?: number;
  sackBlocks?: ReadonlyArray<readonly [number, number]>;
}

/**
 * The option list in Linux's layout (tcp_options_write, net/ipv4/tcp_output.c): MSS; then timestamps
 * preceded by SACK_PERM if advertised, else by NOP,NOP; or, without timestamps, NOP,NOP,SACK_PERM;
 * then NOP,WSCALE; then NOP,NOP,SACK blocks. Every group is 32-bit aligned. A Linux SYN is
 * `mss,sackOK,TS,nop,wscale` (20 bytes); an established segment `nop,nop,TS` (12 bytes).
 */
export function linuxOptionLayout(r: LinuxOptionRequest): TcpOption[] {
  const out: TcpOption[] = [];
  if (r.mss !== undefined) out.push({ kind: 'mss', mss: r.mss });
  if (r.ts) {
    if (r.sackPerm) out.push({ kind: 'sackPerm' });
    else out.push({ kind: 'nop' }, { kind: 'nop' });
    out.push({ kind: 'timestamp', tsVal: r.ts.val, tsEcr: r.ts.ecr });
  } else if (r.sackPerm) {
    out.push({ kind: 'nop' }, { kind: 'nop' }, { kind: 'sackPerm' });
  }
  if (r.wscale !== undefined) out.push({ kind: 'nop' }, { kind: 'wscale', shift: r.wscale });
  if (r.sackBlocks && r.sackBlocks.length > 0) out.push({ kind: 'nop' }, { kind: 'nop' }, { kind: 'sack', blocks: r.sackBlocks });
  return out;
}
