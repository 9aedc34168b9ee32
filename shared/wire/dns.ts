// DNS messages (RFC 1035 §4): a 12-octet header, then the question, answer, authority and additional
// sections, as many entries as the header's four counts say (RFC 1035 §4.1.1).
//
//   header    id(2) flags(2) qdcount(2) ancount(2) nscount(2) arcount(2)
//             flags: QR(1) OPCODE(4) AA(1) TC(1) RD(1) | RA(1) Z(1) AD(1) CD(1) RCODE(4)
//             (AD and CD were Z bits in RFC 1035; RFC 4035 §3.2 gave them to DNSSEC)
//   question  QNAME QTYPE(2) QCLASS(2)                                (RFC 1035 §4.1.2)
//   record    NAME TYPE(2) CLASS(2) TTL(4) RDLENGTH(2) RDATA          (RFC 1035 §4.1.3)
//
// Names are compressed with pointers (dns-name.ts). RDATA is decoded for A (an IPv4 u32, as in
// address.ts), and NS, CNAME and PTR (a name, which may be compressed: RFC 1035 §3.3); other types
// keep their raw octets (RFC 3597 §4: only RFC 1035's types may hold compressed names, so raw octets
// of newer types stand alone; MX and SOA octets may hold pointers into the message they came from).
//
// Parsing never throws: every read is bounds-checked, and a name, a count that runs past the end or
// RDATA that disagrees with its type is an error naming what and the absolute byte offset. Bytes
// after the last record are not part of the message (`length` says where it ended); Wireshark and
// resolvers ignore them too. Writing (writeDns) is for messages we build: it throws a RangeError on
// a name that cannot be encoded; check input names first with checkDnsName.

import { formatIpv4 } from './address';
import { readU16, readU32, writeU16, writeU32 } from './bytes';
import { dnsNameLabels, DnsNameWriter, readDnsName } from './dns-name';
import { dnsDisplayName, dnsOpcodeName, dnsRcodeName, dnsTypeName, formatIpv6 } from './dns-text';
import { hex } from './names';
import { fail, ok, type Parsed } from './result';

export { checkDnsName, DNS_MAX_LABEL, DNS_MAX_NAME, DNS_MAX_POINTER_JUMPS } from './dns-name';
export { dnsClassName, dnsDisplayName, dnsOpcodeName, dnsRcodeName, dnsTypeLongName, dnsTypeName } from './dns-text';

export const DNS_PORT = 53;
export const DNS_HEADER_LEN = 12;

/** Resource record types (RFC 1035 §3.2.2; AAAA: RFC 3596 §2.1). */
export const DnsType = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  MX: 15,
  TXT: 16,
  AAAA: 28,
} as const;

export const DnsClass = {
  IN: 1,
  CH: 3,
  HS: 4,
  ANY: 255,
} as const;

/** Header OPCODE (RFC 1035 §4.1.1; NOTIFY RFC 1996, UPDATE RFC 2136). */
export const DnsOpcode = {
  QUERY: 0,
  IQUERY: 1,
  STATUS: 2,
  NOTIFY: 4,
  UPDATE: 5,
} as const;

/** Header RCODE (RFC 1035 §4.1.1). */
export const DnsRcode = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
} as const;

/** Byte ranges of the header fields (the flags share bytes 2-3). */
export const DnsFields = {
  id: [0, 2],
  flags: [2, 4],
  qdcount: [4, 6],
  ancount: [6, 8],
  nscount: [8, 10],
  arcount: [10, 12],
} as const;

/** Flag bits inside the 16-bit flags word. */
export const DnsFlag = {
  QR: 0x8000,
  AA: 0x0400,
  TC: 0x0200,
  RD: 0x0100,
  RA: 0x0080,
  Z: 0x0040,
  AD: 0x0020,
  CD: 0x0010,
} as const;

export interface DnsQuestion {
  /** Presentation form, no trailing dot ('' is the root): see dns-name.ts. */
  name: string;
  type: number;
  class: number;
}

/**
 * RDATA: A -> IPv4 as a u32; NS, CNAME, PTR -> a name; anything else -> the raw octets. When writing,
 * a number is 4 octets, a string a name (compressed for NS/CNAME/PTR), a Uint8Array as is.
 */
export type DnsRData = number | string | Uint8Array;

export interface DnsRecord {
  name: string;
  type: number;
  class: number;
  /** Seconds (RFC 1035 §3.2.1: u32; RFC 2181 §8 treats values above 2^31 - 1 as 0). */
  ttl: number;
  data: DnsRData;
}

export interface DnsMessage {
  id: number;
  /** true: a response. */
  qr: boolean;
  opcode: number;
  /** Authoritative answer. */
  aa: boolean;
  /** Truncated (the answer did not fit in 512 octets of UDP: RFC 1035 §4.2.1). */
  tc: boolean;
  /** Recursion desired. */
  rd: boolean;
  /** Recursion available. */
  ra: boolean;
  /** Authentic data / checking disabled (RFC 4035 §3.2); false when absent. */
  ad?: boolean;
  cd?: boolean;
  rcode: number;
  questions: DnsQuestion[];
  answers: DnsRecord[];
  authority: DnsRecord[];
  additional: DnsRecord[];
}

/** A parsed question and where it lies (absolute offsets in the parsed array). */
export interface DnsQuestionAt extends DnsQuestion {
  offset: number;
  length: number;
  /** Octets of the expanded name, length octets and root included. */
  nameWireLength: number;
}

/** A parsed record and where it lies: the record is [offset, offset + length), RDATA [rdataOffset, + rdlength). */
export interface DnsRecordAt extends DnsRecord {
  offset: number;
  length: number;
  rdataOffset: number;
  rdlength: number;
  /**
   * MX and SOA keep raw data, which may point into this message: their Info text decoded here with
   * the message at hand ('10 mail' for MX, the primary server for SOA).
   */
  text?: string;
}

export interface DnsParsed extends DnsMessage {
  ad: boolean;
  cd: boolean;
  /** The reserved Z bit (0x0040), which must be zero (RFC 1035 §4.1.1). */
  z: boolean;
  /** The flags word as sent. */
  flags: number;
  questions: DnsQuestionAt[];
  answers: DnsRecordAt[];
  authority: DnsRecordAt[];
  additional: DnsRecordAt[];
  /** The header's counts: equal to the sections' lengths when the parse succeeded. */
  qdcount: number;
  ancount: number;
  nscount: number;
  arcount: number;
  /** The message is bytes[offset, offset + length). */
  offset: number;
  length: number;
}

/** The section names used in error messages and the details tree. */
export const dnsSectionNames = ['question', 'answer', 'authority record', 'additional record'] as const;

/** Parses the DNS message in bytes[off, end). Never throws. */
export function parseDns(bytes: Uint8Array, off: number, end = bytes.length): Parsed<DnsParsed> {
  const r = walkDns(bytes, off, end);
  if (r.error) return fail(r.error.error, r.error.at);
  return ok(r.message!);
}

/**
 * The walk behind parseDns. `message` is null when the header itself is truncated; otherwise it holds
 * every entry read before the first error (for the details tree), and `error` says what stopped it.
 */
export function walkDns(bytes: Uint8Array, off: number, end = bytes.length): { message: DnsParsed | null; error: { error: string; at: number } | null } {
  if (end > bytes.length) end = bytes.length;
  if (off < 0) return { message: null, error: { error: `DNS message offset ${off} is before the buffer`, at: 0 } };
  if (end - off < DNS_HEADER_LEN) {
    return { message: null, error: { error: `DNS header truncated: ${Math.max(0, end - off)} of ${DNS_HEADER_LEN} bytes`, at: Math.max(0, off) } };
  }
  const flags = readU16(bytes, off + 2);
  const m: DnsParsed = {
    id: readU16(bytes, off),
    flags,
    qr: (flags & DnsFlag.QR) !== 0,
    opcode: (flags >>> 11) & 15,
    aa: (flags & DnsFlag.AA) !== 0,
    tc: (flags & DnsFlag.TC) !== 0,
    rd: (flags & DnsFlag.RD) !== 0,
    ra: (flags & DnsFlag.RA) !== 0,
    z: (flags & DnsFlag.Z) !== 0,
    ad: (flags & DnsFlag.AD) !== 0,
    cd: (flags & DnsFlag.CD) !== 0,
    rcode: flags & 15,
    qdcount: readU16(bytes, off + 4),
    ancount: readU16(bytes, off + 6),
    nscount: readU16(bytes, off + 8),
    arcount: readU16(bytes, off + 10),
    questions: [],
    answers: [],
    authority: [],
    additional: [],
    offset: off,
    length: DNS_HEADER_LEN,
  };
  let pos = off + DNS_HEADER_LEN;
  for (let i = 0; i < m.qdcount; i++) {
    const q = readQuestion(bytes, pos, off, end, `DNS question ${i + 1} of ${m.qdcount}`);
    if (!q.ok) return { message: m, error: { error: q.error, at: q.at } };
    m.questions.push(q.value);
    pos += q.value.length;
  }
  const sections = [
    [m.answers, m.ancount, 1],
    [m.authority, m.nscount, 2],
    [m.additional, m.arcount, 3],
  ] as const;
  for (const [list, count, s] of sections) {
    for (let i = 0; i < count; i++) {
      const r = readRecord(bytes, pos, off, end, `DNS ${dnsSectionNames[s]} ${i + 1} of ${count}`);
      if (!r.ok) return { message: m, error: { error: r.error, at: r.at } };
      list.push(r.value);
      pos += r.value.length;
    }
  }
  m.length = pos - off;
  return { message: m, error: null };
}

function readQuestion(bytes: Uint8Array, pos: number, msg: number, end: number, what: string): Parsed<DnsQuestionAt> {
  const n = readDnsName(bytes, pos, msg, end);
  if (!n.ok) return fail(`${what}: ${n.error}`, n.at);
  const p = n.value.next;
  if (end - p < 4) return fail(`${what} truncated: QTYPE and QCLASS need 4 bytes, ${Math.max(0, end - p)} left`, p);
  return ok({ name: n.value.name, type: readU16(bytes, p), class: readU16(bytes, p + 2), offset: pos, length: p + 4 - pos, nameWireLength: n.value.wireLength });
}

function readRecord(bytes: Uint8Array, pos: number, msg: number, end: number, what: string): Parsed<DnsRecordAt> {
  const n = readDnsName(bytes, pos, msg, end);
  if (!n.ok) return fail(`${what}: ${n.error}`, n.at);
  const p = n.value.next;
  if (end - p < 10) return fail(`${what} truncated: TYPE, CLASS, TTL and RDLENGTH need 10 bytes, ${Math.max(0, end - p)} left`, p);
  const type = readU16(bytes, p);
  const rdlength = readU16(bytes, p + 8);
  const rdataOffset = p + 10;
  if (rdlength > end - rdataOffset) return fail(`${what}: RDLENGTH ${rdlength} exceeds the ${end - rdataOffset} bytes left in the message`, p + 8);
  const rdEnd = rdataOffset + rdlength;
  let data: DnsRData;
  if (type === DnsType.A) {
    if (rdlength !== 4) return fail(`${what}: A record RDLENGTH ${rdlength} is not 4`, p + 8);
    data = readU32(bytes, rdataOffset);
  } else if (type === DnsType.NS || type === DnsType.CNAME || type === DnsType.PTR) {
    // The name may point anywhere earlier in the message, but its own octets stay inside RDATA.
    const t = readDnsName(bytes, rdataOffset, msg, end);
    if (!t.ok) return fail(`${what}: ${dnsTypeName(type)} data: ${t.error}`, t.at);
    if (t.value.next !== rdEnd) return fail(`${what}: ${dnsTypeName(type)} name takes ${t.value.next - rdataOffset} bytes, RDLENGTH says ${rdlength}`, p + 8);
    data = t.value.name;
  } else {
    data = bytes.slice(rdataOffset, rdEnd);
  }
  const rec: DnsRecordAt = { name: n.value.name, type, class: readU16(bytes, p + 2), ttl: readU32(bytes, p + 4), data, offset: pos, length: rdEnd - pos, rdataOffset, rdlength };
  if (type === DnsType.MX || type === DnsType.SOA) {
    const t = type === DnsType.MX ? mxText(bytes, rdataOffset, rdEnd, msg) : soaText(bytes, rdataOffset, rdEnd, msg);
    if (!t.ok) return fail(`${what}: ${t.error}`, t.at);
    rec.text = t.value;
  }
  return ok(rec);
}

/** MX data: PREFERENCE(2) EXCHANGE (RFC 1035 §3.3.9), exactly filling RDATA. */
function mxText(bytes: Uint8Array, rd: number, rdEnd: number, msg: number): Parsed<string> {
  if (rdEnd - rd < 3) return fail(`MX data of ${rdEnd - rd} bytes is below 3`, rd);
  const x = readDnsName(bytes, rd + 2, msg, rdEnd);
  if (!x.ok) return fail(`MX exchange: ${x.error}`, x.at);
  if (x.value.next !== rdEnd) return fail(`MX data ends at byte ${x.value.next}, RDATA at ${rdEnd}`, x.value.next);
  return ok(`${readU16(bytes, rd)} ${dnsDisplayName(x.value.name)}`);
}

/** SOA data: MNAME RNAME SERIAL REFRESH RETRY EXPIRE MINIMUM (RFC 1035 §3.3.13), exactly filling RDATA. */
function soaText(bytes: Uint8Array, rd: number, rdEnd: number, msg: number): Parsed<string> {
  const m = readDnsName(bytes, rd, msg, rdEnd);
  if (!m.ok) return fail(`SOA MNAME: ${m.error}`, m.at);
  const r = readDnsName(bytes, m.value.next, msg, rdEnd);
  if (!r.ok) return fail(`SOA RNAME: ${r.error}`, r.at);
  if (rdEnd - r.value.next !== 20) return fail(`SOA data after the names is ${rdEnd - r.value.next} bytes, not 20`, r.value.next);
  return ok(dnsDisplayName(m.value.name));
}

function labelsOrThrow(name: string): number[][] {
  const l = dnsNameLabels(name);
  if (typeof l === 'string') throw new RangeError(l);
  return l;
}

/** The most octets a name can take (its presentation form never encodes to more than length + 2). */
function nameBound(name: string): number {
  return name.length + 2;
}

function rdataBound(d: DnsRData): number {
  return typeof d === 'number' ? 4 : typeof d === 'string' ? nameBound(d) : d.length;
}

/**
 * The message as bytes, names compressed (RFC 1035 §4.1.4): owner names, question names and the
 * names in NS/CNAME/PTR data point at earlier copies of their longest repeated suffix. Throws a
 * RangeError on a name that cannot be encoded (checkDnsName says why beforehand) or on a section
 * longer than 65535 entries.
 */
export function writeDns(msg: DnsMessage): Uint8Array {
  let bound = DNS_HEADER_LEN;
  for (const q of msg.questions) bound += nameBound(q.name) + 4;
  for (const list of [msg.answers, msg.authority, msg.additional]) for (const r of list) bound += nameBound(r.name) + 10 + rdataBound(r.data);
  const buf = new Uint8Array(bound);
  const names = new DnsNameWriter(buf, 0);
  writeU16(buf, 0, msg.id);
  writeU16(buf, 2, dnsFlags(msg));
  const counts = [msg.questions.length, msg.answers.length, msg.authority.length, msg.additional.length];
  counts.forEach((c, i) => {
    if (c > 0xffff) throw new RangeError(`DNS ${dnsSectionNames[i]} count ${c} is over 65535`);
    writeU16(buf, 4 + 2 * i, c);
  });
  let pos = DNS_HEADER_LEN;
  for (const q of msg.questions) {
    pos = names.write(labelsOrThrow(q.name), pos, true);
    writeU16(buf, pos, q.type);
    writeU16(buf, pos + 2, q.class);
    pos += 4;
  }
  for (const list of [msg.answers, msg.authority, msg.additional]) {
    for (const r of list) {
      pos = names.write(labelsOrThrow(r.name), pos, true);
      writeU16(buf, pos, r.type);
      writeU16(buf, pos + 2, r.class);
      writeU32(buf, pos + 4, r.ttl);
      const rd = pos + 10;
      let rdEnd: number;
      if (typeof r.data === 'number') {
        writeU32(buf, rd, r.data);
        rdEnd = rd + 4;
      } else if (typeof r.data === 'string') {
        const compress = r.type === DnsType.NS || r.type === DnsType.CNAME || r.type === DnsType.PTR;
        rdEnd = names.write(labelsOrThrow(r.data), rd, compress);
      } else {
        buf.set(r.data, rd);
        rdEnd = rd + r.data.length;
      }
      if (rdEnd - rd > 0xffff) throw new RangeError(`DNS record data of ${rdEnd - rd} bytes is over 65535`);
      writeU16(buf, pos + 8, rdEnd - rd);
      pos = rdEnd;
    }
  }
  return buf.slice(0, pos);
}

/** The 16-bit flags word of a message (RFC 1035 §4.1.1). */
export function dnsFlags(m: DnsMessage): number {
  return (
    (m.qr ? DnsFlag.QR : 0) |
    ((m.opcode & 15) << 11) |
    (m.aa ? DnsFlag.AA : 0) |
    (m.tc ? DnsFlag.TC : 0) |
    (m.rd ? DnsFlag.RD : 0) |
    (m.ra ? DnsFlag.RA : 0) |
    (m.ad ? DnsFlag.AD : 0) |
    (m.cd ? DnsFlag.CD : 0) |
    (m.rcode & 15)
  );
}

/** A standard query for one name (what dig, nslookup and a stub resolver send: RD set). */
export function dnsQuery(id: number, name: string, type: number, rd = true): DnsMessage {
  return { id, qr: false, opcode: DnsOpcode.QUERY, aa: false, tc: false, rd, ra: false, rcode: DnsRcode.NOERROR, questions: [{ name, type, class: DnsClass.IN }], answers: [], authority: [], additional: [] };
}

/** The response to `query`: same id, opcode, RD and questions (RFC 1035 §4.1.1), with the given records. */
export function dnsResponse(
  query: DnsMessage,
  r: { rcode?: number; aa?: boolean; ra?: boolean; answers?: DnsRecord[]; authority?: DnsRecord[]; additional?: DnsRecord[] },
): DnsMessage {
  return {
    id: query.id,
    qr: true,
    opcode: query.opcode,
    aa: r.aa ?? true,
    tc: false,
    rd: query.rd,
    ra: r.ra ?? false,
    rcode: r.rcode ?? DnsRcode.NOERROR,
    questions: query.questions.map((q) => ({ name: q.name, type: q.type, class: q.class })),
    answers: r.answers ?? [],
    authority: r.authority ?? [],
    additional: r.additional ?? [],
  };
}

/** The PTR owner name of an IPv4 address (RFC 1035 §3.5): 10.0.0.2 -> '2.0.0.10.in-addr.arpa'. */
export function reverseName(ipv4: number): string {
  return `${ipv4 & 255}.${(ipv4 >>> 8) & 255}.${(ipv4 >>> 16) & 255}.${(ipv4 >>> 24) & 255}.in-addr.arpa`;
}

/**
 * The address a full in-addr.arpa name stands for ('2.0.0.10.in-addr.arpa' -> 10.0.0.2), or null
 * for any other name (including the shorter zone names like '0.10.in-addr.arpa'). Case-insensitive,
 * trailing dot allowed (RFC 4343).
 */
export function parseReverseName(name: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.in-addr\.arpa\.?$/i.exec(name);
  if (!m) return null;
  let n = 0;
  for (let i = 4; i >= 1; i--) {
    const p = m[i]!;
    if (p.length > 1 && p[0] === '0') return null;
    const v = Number(p);
    if (v > 255) return null;
    n = n * 256 + v;
  }
  return n;
}

/** The text after a record's type in the Info column: the address or name for the types we decode. */
export function dnsRDataText(r: DnsRecord | DnsRecordAt): string {
  if ('text' in r && r.text !== undefined) return r.text;
  if (typeof r.data === 'number') return formatIpv4(r.data);
  if (typeof r.data === 'string') return dnsDisplayName(r.data);
  if (r.type === DnsType.AAAA && r.data.length === 16) return formatIpv6(r.data);
  return '';
}

/**
 * Wireshark's Info column for a DNS message (packet-dns.c): "<opcode>[ response] 0x<id>", the rcode
 * text of an unsuccessful response, then " <TYPE> <name>" per question and " <TYPE>[ <data>]" per
 * record of every section.
 */
export function dnsSummary(msg: DnsMessage): string {
  let s = `${dnsOpcodeName(msg.opcode)}${msg.qr ? ' response' : ''} ${hex(msg.id, 4)}`;
  if (msg.qr && msg.rcode !== DnsRcode.NOERROR) s += ` ${dnsRcodeName(msg.rcode)}`;
  for (const q of msg.questions) s += ` ${dnsTypeName(q.type)} ${dnsDisplayName(q.name)}`;
  for (const list of [msg.answers, msg.authority, msg.additional]) {
    for (const r of list) {
      const d = dnsRDataText(r);
      s += ` ${dnsTypeName(r.type)}${d ? ' ' + d : ''}`;
    }
  }
  return s;
}
