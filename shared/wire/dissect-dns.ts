// The DNS layer of the details tree, laid out like Wireshark's (packet-dns.c): header fields, the
// flag bits, then "Queries", "Answers", "Authoritative nameservers" and "Additional records", every
// entry and field with its byte range. What was read before damage stays; the damage ends the layer
// in a "[Malformed: ...]" node. Never throws.

import { readU16, readU32 } from './bytes';
import { dataNode, malformed, node, shortHex } from './dissect-node';
import type { DissectNode } from './dissect-types';
import {
  dnsClassName,
  dnsDisplayName,
  dnsOpcodeName,
  dnsRcodeName,
  dnsRDataText,
  DnsFlag,
  DnsType,
  dnsTypeLongName,
  dnsTypeName,
  walkDns,
  type DnsParsed,
  type DnsQuestionAt,
  type DnsRecordAt,
} from './dns';
import { readDnsName } from './dns-name';
import { bitPicture, hex } from './names';

/** Wireshark's unsigned_time_secs_to_str: "1 hour, 2 minutes, 3 seconds"; 0 is "0 seconds". */
export function durationText(secs: number): string {
  const parts: string[] = [];
  const units: ReadonlyArray<readonly [number, string]> = [
    [86400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  let rest = secs;
  for (const [size, name] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
  }
  return parts.length > 0 ? parts.join(', ') : '0 seconds';
}

/** The DNS message in bytes[start, end) (a UDP payload) as one layer node. */
export function dissectDns(bytes: Uint8Array, start: number, end: number): DissectNode {
  const r = walkDns(bytes, start, end);
  const m = r.message;
  if (!m) return node('Domain Name System', start, end, [malformed(r.error!.error, r.error!.at, end)]);
  const kids: DissectNode[] = [
    node(`Transaction ID: ${hex(m.id, 4)}`, start, start + 2),
    flagsNode(m, start + 2),
    node(`Questions: ${m.qdcount}`, start + 4, start + 6),
    node(`Answer RRs: ${m.ancount}`, start + 6, start + 8),
    node(`Authority RRs: ${m.nscount}`, start + 8, start + 10),
    node(`Additional RRs: ${m.arcount}`, start + 10, start + 12),
  ];
  if (m.questions.length > 0) {
    const last = m.questions[m.questions.length - 1]!;
    kids.push(node('Queries', m.questions[0]!.offset, last.offset + last.length, m.questions.map((q) => questionNode(bytes, q, start, end))));
  }
  const sections: ReadonlyArray<readonly [DnsRecordAt[], string]> = [
    [m.answers, 'Answers'],
    [m.authority, 'Authoritative nameservers'],
    [m.additional, 'Additional records'],
  ];
  for (const [list, title] of sections) {
    if (list.length === 0) continue;
    const last = list[list.length - 1]!;
    kids.push(node(title, list[0]!.offset, last.offset + last.length, list.map((rec) => recordNode(bytes, rec, start, end))));
  }
  let layerEnd = end;
  if (r.error) kids.push(malformed(r.error.error, r.error.at, end));
  else {
    layerEnd = start + m.length;
    if (layerEnd < end) kids.push(node(`[Extraneous data: ${shortHex(bytes, layerEnd, end)}]`, layerEnd, end));
  }
  return node(`Domain Name System (${m.qr ? 'response' : 'query'})`, start, Math.max(layerEnd, start + 12), kids);
}

function flagsNode(m: DnsParsed, at: number): DissectNode {
  const f = m.flags;
  const bit = (mask: number, text: string): DissectNode => node(`${bitPicture(f, 16, mask)} = ${text}`, at, at + 2);
  const kids = [bit(DnsFlag.QR, `Response: Message is a ${m.qr ? 'response' : 'query'}`), bit(0x7800, `Opcode: ${dnsOpcodeName(m.opcode)} (${m.opcode})`)];
  if (m.qr) kids.push(bit(DnsFlag.AA, `Authoritative: Server is ${m.aa ? '' : 'not '}an authority for domain`));
  kids.push(
    bit(DnsFlag.TC, `Truncated: Message is ${m.tc ? '' : 'not '}truncated`),
    bit(DnsFlag.RD, `Recursion desired: ${m.rd ? 'Do' : "Don't do"} query recursively`),
  );
  if (m.qr) kids.push(bit(DnsFlag.RA, `Recursion available: Server ${m.ra ? 'can' : "can't"} do recursive queries`));
  kids.push(bit(DnsFlag.Z, m.z ? 'Z: reserved - incorrect!' : 'Z: reserved (0)'));
  if (m.qr) kids.push(bit(DnsFlag.AD, `Answer authenticated: Answer/authority portion was ${m.ad ? '' : 'not '}authenticated by the server`));
  else if (m.ad) kids.push(bit(DnsFlag.AD, 'AD bit: Set'));
  kids.push(bit(DnsFlag.CD, `Non-authenticated data: ${m.cd ? 'Acceptable' : 'Unacceptable'}`));
  if (m.qr) kids.push(bit(0x000f, `Reply code: ${dnsRcodeName(m.rcode)} (${m.rcode})`));
  const text = m.qr ? `${dnsOpcodeName(m.opcode)} response, ${dnsRcodeName(m.rcode)}` : dnsOpcodeName(m.opcode);
  return node(`Flags: ${hex(f, 4)} ${text}`, at, at + 2, kids);
}

/** The end of the (already validated) name at `off`, and its label count. */
function nameExtent(bytes: Uint8Array, off: number, msg: number, end: number): { next: number; labels: number } {
  const n = readDnsName(bytes, off, msg, end);
  return n.ok ? { next: n.value.next, labels: n.value.labelCount } : { next: off, labels: 0 };
}

function typeNode(type: number, at: number): DissectNode {
  return node(`Type: ${dnsTypeLongName(type)} (${type})`, at, at + 2);
}

function classNode(c: number, at: number): DissectNode {
  return node(`Class: ${dnsClassName(c)} (${hex(c, 4)})`, at, at + 2);
}

function questionNode(bytes: Uint8Array, q: DnsQuestionAt, msg: number, end: number): DissectNode {
  const { next, labels } = nameExtent(bytes, q.offset, msg, end);
  const name = dnsDisplayName(q.name);
  return node(`${name}: type ${dnsTypeName(q.type)}, class ${dnsClassName(q.class)}`, q.offset, q.offset + q.length, [
    node(`Name: ${name}`, q.offset, next),
    node(`[Name Length: ${q.name.length}]`, q.offset, next),
    node(`[Label Count: ${labels}]`, q.offset, next),
    typeNode(q.type, next),
    classNode(q.class, next + 2),
  ]);
}

function recordNode(bytes: Uint8Array, rec: DnsRecordAt, msg: number, end: number): DissectNode {
  const p = rec.rdataOffset - 10;
  const name = dnsDisplayName(rec.name);
  const data = rdataNodes(bytes, rec, msg, end);
  const summary = data.summary ? `, ${data.summary}` : '';
  return node(`${name}: type ${dnsTypeName(rec.type)}, class ${dnsClassName(rec.class)}${summary}`, rec.offset, rec.offset + rec.length, [
    node(`Name: ${name}`, rec.offset, p),
    typeNode(rec.type, p),
    classNode(rec.class, p + 2),
    node(`Time to live: ${rec.ttl} (${durationText(rec.ttl)})`, p + 4, p + 8),
    node(`Data length: ${rec.rdlength}`, p + 8, p + 10),
    ...data.nodes,
  ]);
}

/** The RDATA fields of the types Wireshark spells out, and the text after "class IN" in the entry. */
function rdataNodes(bytes: Uint8Array, rec: DnsRecordAt, msg: number, end: number): { nodes: DissectNode[]; summary: string } {
  const s = rec.rdataOffset;
  const e = s + rec.rdlength;
  const text = dnsRDataText(rec);
  switch (rec.type) {
    case DnsType.A:
      return { nodes: [node(`Address: ${text}`, s, e)], summary: `addr ${text}` };
    case DnsType.AAAA:
      if (rec.rdlength === 16) return { nodes: [node(`AAAA Address: ${text}`, s, e)], summary: `addr ${text}` };
      break;
    case DnsType.NS:
      return { nodes: [node(`Name Server: ${text}`, s, e)], summary: `ns ${text}` };
    case DnsType.CNAME:
      return { nodes: [node(`CNAME: ${text}`, s, e)], summary: `cname ${text}` };
    case DnsType.PTR:
      return { nodes: [node(`Domain Name: ${text}`, s, e)], summary: text };
    case DnsType.MX: {
      // Validated by the parser: PREFERENCE(2) EXCHANGE, filling RDATA (RFC 1035 §3.3.9).
      const pref = readU16(bytes, s);
      const x = readDnsName(bytes, s + 2, msg, end);
      const mx = x.ok ? dnsDisplayName(x.value.name) : '';
      return { nodes: [node(`Preference: ${pref}`, s, s + 2), node(`Mail Exchange: ${mx}`, s + 2, e)], summary: `preference ${pref}, mx ${mx}` };
    }
    case DnsType.SOA:
      return soaNodes(bytes, s, e, msg, end);
    case DnsType.TXT:
      return { nodes: txtNodes(bytes, s, e), summary: '' };
  }
  return { nodes: rec.rdlength > 0 ? [node(`Data: ${shortHex(bytes, s, e)}`, s, e)] : [], summary: '' };
}

function soaNodes(bytes: Uint8Array, s: number, e: number, msg: number, end: number): { nodes: DissectNode[]; summary: string } {
  const m = readDnsName(bytes, s, msg, end);
  const r = m.ok ? readDnsName(bytes, m.value.next, msg, end) : m;
  if (!m.ok || !r.ok || e - r.value.next !== 20) return { nodes: [dataNode(bytes, s, e)], summary: '' };
  const t = r.value.next;
  const mname = dnsDisplayName(m.value.name);
  const u32 = (label: string, at: number, duration: boolean): DissectNode => {
    const v = readU32(bytes, at);
    return node(`${label}: ${v}${duration ? ` (${durationText(v)})` : ''}`, at, at + 4);
  };
  return {
    nodes: [
      node(`Primary name server: ${mname}`, s, m.value.next),
      node(`Responsible authority's mailbox: ${dnsDisplayName(r.value.name)}`, m.value.next, t),
      u32('Serial Number', t, false),
      u32('Refresh Interval', t + 4, true),
      u32('Retry Interval', t + 8, true),
      u32('Expire limit', t + 12, true),
      u32('Minimum TTL', t + 16, true),
    ],
    summary: `mname ${mname}`,
  };
}

/** TXT data: one or more <character-string>s, a length octet and that many octets (RFC 1035 §3.3.14). */
function txtNodes(bytes: Uint8Array, s: number, e: number): DissectNode[] {
  const out: DissectNode[] = [];
  let i = s;
  while (i < e) {
    const n = bytes[i]!;
    if (i + 1 + n > e) {
      out.push(malformed(`TXT string of ${n} octets runs past the record data`, i, e));
      break;
    }
    let t = '';
    for (let j = i + 1; j < i + 1 + n; j++) {
      const c = bytes[j]!;
      t += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`;
    }
    out.push(node(`TXT Length: ${n}`, i, i + 1), node(`TXT: ${t}`, i + 1, i + 1 + n));
    i += 1 + n;
  }
  return out;
}
