// dnsd: the lab's authoritative DNS server, a small BIND/dnsmasq. `dnsd [-p PORT]` (53 by default)
// answers on UDP and on TCP (RFC 1035 §4.2: the same messages, behind a two-octet length on TCP;
// one process per TCP connection, as the other daemons here) from /etc/dnsd/zone, a hosts-style file:
//
//   # comment
//   domain lab                 (optional; `lab` by default)
//   10.0.0.2   server www      ADDRESS NAME [NAME...]
//
// Names are short names of the domain: a query for `server` or `server.lab` (any case, RFC 4343)
// gets the A record (TTL 3600); `2.0.0.10.in-addr.arpa` gets a PTR to the first name of 10.0.0.2,
// with the domain (`server.lab`). The file is read again for every query, so an edit takes effect
// at once (BIND would need `rndc reload`; dnsmasq re-reads its hosts files on SIGHUP).
//
// Answers (RFC 1035 §4.1.1 RCODEs; AA set on the authoritative ones, RA never: no recursion):
//   NOERROR + records    a known name, type A (or ANY); a PTR for a zone address
//   NOERROR, no records  a known name asked for another type (AAAA, MX...): "NODATA" (RFC 2308 §2.2)
//   NXDOMAIN             an unknown name of the zone (one label, or ending in the domain), or an
//                        in-addr.arpa name of no zone address
//   REFUSED              names outside the zone and in-addr.arpa, classes other than IN/ANY, zone
//                        transfers (AXFR/IXFR)
//   FORMERR              a message whose header parses but whose question does not, a QDCOUNT other
//                        than 1, or an EDNS OPT record (RFC 6891 §7: a server without EDNS answers
//                        FORMERR and no OPT); no reply at all to fewer than 12 octets or to a response
//   NOTIMP               opcodes other than QUERY
//   SERVFAIL             the zone file cannot be read
// Negative answers carry no SOA record (RFC 2308 §3 asks for one; dnsmasq's local names do without).
// A UDP answer over 512 octets is sent empty with TC set (RFC 1035 §4.2.1), so the client asks over TCP.
import { LAB_DOMAIN } from '../../fs';
import { checkDnsName, DnsClass, DnsOpcode, DnsRcode, DnsType, dnsResponse, dnsTypeName, formatIpv4, parseIpv4, parseReverseName, walkDns, writeDns, type DnsMessage, type DnsRecord } from '../../../../shared/wire';
import { isErr, POLLIN, sys, type Sys } from '../../process';
import { decodeUtf8 } from '../../process/utf8';
import { serveTcp, type Peer } from '../lib/daemon';
import { readFile } from '../lib/files';
import { writeAll } from '../lib/lineio';
import { DaemonLog } from '../lib/log';
import { portArg } from './args';

export const ZONE_FILE = '/etc/dnsd/zone';
export const ZONE_TTL = 3600;
export const DEFAULT_DOMAIN = LAB_DOMAIN;
/** The largest UDP message without EDNS (RFC 1035 §2.3.4, §4.2.1). */
export const UDP_MAX = 512;
/** BIND's tcp-idle-timeout (30 s): a TCP client that sends nothing for this long is dropped. */
const TCP_IDLE_NS = 30e9;
const OPT = 41;
const AXFR = 252;
const IXFR = 251;
const ANY = 255;

export interface ZoneHost {
  addr: number;
  /** As written (trailing dot removed); compared without case. */
  names: string[];
}

export interface Zone {
  /** Lower case, no trailing dot. */
  domain: string;
  hosts: ZoneHost[];
  /** Lines that were skipped, for the log: "line 3: 10.0.0.300: not an IPv4 address". */
  errors: string[];
}

/** The zone file: `domain NAME` and hosts(5)-style lines; '#' starts a comment. */
export function parseZone(text: string): Zone {
  const zone: Zone = { domain: DEFAULT_DOMAIN, hosts: [], errors: [] };
  text.split('\n').forEach((raw, i) => {
    const words = raw.replace(/#.*/, '').trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) return;
    const [first, ...rest] = words as [string, ...string[]];
    const where = `line ${i + 1}`;
    if (first.toLowerCase() === 'domain') {
      const d = (rest[0] ?? '').replace(/\.$/, '').toLowerCase();
      const bad = d === '' ? 'empty name' : checkDnsName(d);
      if (bad !== null || rest.length !== 1) zone.errors.push(`${where}: domain ${rest.join(' ')}: ${bad ?? 'one name expected'}`);
      else zone.domain = d;
      return;
    }
    const addr = parseIpv4(first);
    if (addr === null) {
      zone.errors.push(`${where}: ${first}: not an IPv4 address`);
      return;
    }
    const names: string[] = [];
    for (const n of rest) {
      const name = n.replace(/\.$/, '');
      const bad = name === '' ? 'empty name' : checkDnsName(name);
      if (bad !== null) zone.errors.push(`${where}: ${n}: ${bad}`);
      else names.push(name);
    }
    if (names.length) zone.hosts.push({ addr, names });
    else if (rest.length === 0) zone.errors.push(`${where}: ${first}: no name`);
  });
  return zone;
}

/** A zone name without the domain ('server.lab' -> 'server'), lower case; the apex is ''. */
function relative(zone: Zone, name: string): string {
  const n = name.replace(/\.$/, '').toLowerCase();
  if (n === zone.domain) return '';
  return n.endsWith(`.${zone.domain}`) ? n.slice(0, -zone.domain.length - 1) : n;
}

/** The full name of a zone name, as a PTR record gives it: 'server' -> 'server.lab'. */
export function fullName(zone: Zone, name: string): string {
  const rel = relative(zone, name);
  return rel === '' ? zone.domain : `${rel}.${zone.domain}`;
}

export type ZoneAnswer =
  | { kind: 'answer'; records: DnsRecord[] }
  | { kind: 'nodata' }
  | { kind: 'nxdomain' }
  | { kind: 'refused' };

/** What the zone says about (qname, qtype); the owner of each record is qname as asked. */
export function lookupZone(zone: Zone, qname: string, qtype: number): ZoneAnswer {
  const name = qname.replace(/\.$/, '');
  const lower = name.toLowerCase();
  if (lower === 'in-addr.arpa' || lower.endsWith('.in-addr.arpa')) {
    const addr = parseReverseName(lower);
    const host = addr === null ? undefined : zone.hosts.find((h) => h.addr === addr);
    if (!host) return { kind: 'nxdomain' };
    if (qtype !== DnsType.PTR && qtype !== ANY) return { kind: 'nodata' };
    return { kind: 'answer', records: [{ name, type: DnsType.PTR, class: DnsClass.IN, ttl: ZONE_TTL, data: fullName(zone, host.names[0]!) }] };
  }
  if (lower === '') return { kind: 'refused' }; // the root
  const inZone = lower === zone.domain || lower.endsWith(`.${zone.domain}`) || !lower.includes('.');
  const rel = relative(zone, lower);
  const addrs = zone.hosts.filter((h) => h.names.some((n) => relative(zone, n) === rel)).map((h) => h.addr);
  if (addrs.length === 0) {
    if (rel === '' && inZone) return { kind: 'nodata' }; // the apex exists
    return inZone ? { kind: 'nxdomain' } : { kind: 'refused' };
  }
  if (qtype !== DnsType.A && qtype !== ANY) return { kind: 'nodata' };
  const unique = [...new Set(addrs)];
  return { kind: 'answer', records: unique.map((a) => ({ name, type: DnsType.A, class: DnsClass.IN, ttl: ZONE_TTL, data: a })) };
}

/** A type's mnemonic, or TYPEnnn for one without (RFC 3597 §5). */
export function typeText(t: number): string {
  const n = dnsTypeName(t);
  return n.startsWith('Unknown') ? `TYPE${t}` : n;
}

export interface Handled {
  /** The reply to send, or null: nothing goes back. */
  reply: Uint8Array | null;
  /** For the log: "A server -> 10.0.0.2", "AAAA server -> NODATA", "dropped: ...". */
  text: string;
}

function reply(msg: DnsMessage, transport: 'udp' | 'tcp'): Uint8Array {
  const bytes = writeDns(msg);
  if (transport === 'tcp' || bytes.length <= UDP_MAX) return bytes;
  // RFC 2181 §9: when it does not fit, send what fits and set TC; we send the question only.
  return writeDns({ ...msg, tc: true, answers: [], authority: [], additional: [] });
}

/**
 * Answer one DNS message (the bytes of a UDP payload or of one TCP frame) from `zone` (null: the
 * zone file could not be read). Pure; never throws.
 */
export function handleQuery(zone: Zone | null, bytes: Uint8Array, transport: 'udp' | 'tcp'): Handled {
  try {
    return answer(zone, bytes, transport);
  } catch (e) {
    // writeDns throws only on names it cannot encode; parsed names always can. Belt and braces.
    return { reply: null, text: `dropped ${bytes.length} bytes: ${(e as Error).message}` };
  }
}

function answer(zone: Zone | null, bytes: Uint8Array, transport: 'udp' | 'tcp'): Handled {
  const w = walkDns(bytes, 0);
  const m = w.message;
  if (!m) return { reply: null, text: `dropped ${bytes.length} bytes: ${w.error?.error ?? 'not DNS'}` };
  if (m.qr) return { reply: null, text: `dropped a response (id ${m.id}), not a query` };
  const head: DnsMessage = { id: m.id, qr: false, opcode: m.opcode, aa: false, tc: false, rd: m.rd, ra: false, rcode: 0, questions: [], answers: [], authority: [], additional: [] };
  const fail = (rcode: number, why: string, withQuestion = false): Handled => {
    const q = withQuestion && !w.error ? m.questions : [];
    const r = dnsResponse({ ...head, questions: q }, { rcode, aa: false });
    return { reply: reply(r, transport), text: `${rcodeText(rcode)}: ${why}` };
  };
  if (m.opcode !== DnsOpcode.QUERY) return fail(DnsRcode.NOTIMP, `opcode ${m.opcode}`, true);
  if (w.error) return fail(DnsRcode.FORMERR, w.error.error);
  if (m.questions.length !== 1) return fail(DnsRcode.FORMERR, `${m.questions.length} questions`);
  if (m.additional.some((r) => r.type === OPT)) return fail(DnsRcode.FORMERR, 'EDNS (OPT record) not supported', true);
  const q = m.questions[0]!;
  const what = `${typeText(q.type)} ${q.name === '' ? '.' : q.name}`;
  const query: DnsMessage = { ...head, questions: [{ name: q.name, type: q.type, class: q.class }] };
  if (q.class !== DnsClass.IN && q.class !== DnsClass.ANY) return { reply: reply(dnsResponse(query, { rcode: DnsRcode.REFUSED, aa: false }), transport), text: `${what} -> REFUSED (class ${q.class})` };
  if (q.type === AXFR || q.type === IXFR) return { reply: reply(dnsResponse(query, { rcode: DnsRcode.REFUSED, aa: false }), transport), text: `${what} -> REFUSED (no zone transfers)` };
  if (!zone) return { reply: reply(dnsResponse(query, { rcode: DnsRcode.SERVFAIL, aa: false }), transport), text: `${what} -> SERVFAIL (no zone)` };
  const a = lookupZone(zone, q.name, q.type);
  let r: DnsMessage;
  let result: string;
  switch (a.kind) {
    case 'answer':
      r = dnsResponse(query, { answers: a.records });
      result = a.records.map((x) => (typeof x.data === 'number' ? formatIpv4(x.data) : String(x.data))).join(', ');
      break;
    case 'nodata':
      r = dnsResponse(query, {});
      result = 'NODATA';
      break;
    case 'nxdomain':
      r = dnsResponse(query, { rcode: DnsRcode.NXDOMAIN });
      result = 'NXDOMAIN';
      break;
    case 'refused':
      r = dnsResponse(query, { rcode: DnsRcode.REFUSED, aa: false });
      result = 'REFUSED (not authoritative)';
      break;
  }
  try {
    const out = reply(r, transport);
    const truncated = (out[2]! & 0x02) !== 0; // TC, the 0x0200 flag
    return { reply: out, text: `${what} -> ${result}${truncated ? ' (truncated: TC set)' : ''}` };
  } catch (e) {
    return { reply: reply(dnsResponse(query, { rcode: DnsRcode.SERVFAIL, aa: false }), transport), text: `${what} -> SERVFAIL (${(e as Error).message})` };
  }
}

/** RCODE mnemonics as BIND logs them. */
export function rcodeText(rcode: number): string {
  return ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET', 'NXRRSET', 'NOTAUTH', 'NOTZONE'][rcode] ?? `RCODE${rcode}`;
}

/** The zone as the file says now; logs a (re)load or a failure when the file changed. */
class ZoneReader {
  private last: string | null | undefined = undefined;
  private zone: Zone | null = null;

  constructor(private readonly log: DaemonLog | null) {}

  *read(): Sys<Zone | null> {
    const f = yield* readFile(ZONE_FILE);
    const text = isErr(f) ? null : decodeUtf8(f);
    if (text === this.last) return this.zone;
    const first = this.last === undefined;
    this.last = text;
    if (isErr(f)) {
      this.zone = null;
      if (this.log) yield* this.log.line(`zone ${ZONE_FILE}: ${f.message}; answering SERVFAIL`);
      return null;
    }
    this.zone = parseZone(text!);
    if (this.log) {
      for (const e of this.zone.errors) yield* this.log.line(`zone ${ZONE_FILE}: ${e}`);
      const names = this.zone.hosts.reduce((n, h) => n + h.names.length, 0);
      yield* this.log.line(`zone ${this.zone.domain}: ${first ? 'loaded' : 'reloaded'} ${names} name${names === 1 ? '' : 's'} from ${ZONE_FILE}`);
    }
    return this.zone;
  }
}

function* serveUdp(fd: number, log: DaemonLog, zones: ZoneReader): Sys<number> {
  for (;;) {
    const d = yield* sys.recvfrom(fd, 65535);
    if (isErr(d)) {
      if (d.name === 'EINTR' || d.name === 'ECONNREFUSED' || d.name === 'EHOSTUNREACH') continue;
      yield* log.line(`udp recvfrom: ${d.message}`);
      return 1;
    }
    const zone = yield* zones.read();
    const h = handleQuery(zone, d.data, 'udp');
    yield* log.line(logLine(h.text, formatIpv4(d.addr), 'udp'));
    if (h.reply) yield* sys.sendto(fd, h.reply, d.addr, d.port);
  }
}

/** Read exactly n bytes from a TCP connection; null on end of file, an error or the idle timeout. */
function* readN(fd: number, n: number, idleNs: number): Sys<Uint8Array | null> {
  const out = new Uint8Array(n);
  let got = 0;
  while (got < n) {
    const p = yield* sys.poll([{ fd, events: POLLIN }], idleNs);
    if (isErr(p) || p.length === 0) return null;
    const d = yield* sys.recv(fd, n - got);
    if (isErr(d) || d.length === 0) return null;
    out.set(d, got);
    got += d.length;
  }
  return out;
}

function* serveTcpConnection(peer: Peer, log: DaemonLog): Sys<number> {
  const zones = new ZoneReader(null);
  const from = formatIpv4(peer.addr);
  for (;;) {
    const len = yield* readN(peer.fd, 2, TCP_IDLE_NS);
    if (!len) break;
    const body = yield* readN(peer.fd, (len[0]! << 8) | len[1]!, TCP_IDLE_NS);
    if (!body) break;
    const zone = yield* zones.read();
    const h = handleQuery(zone, body, 'tcp');
    yield* log.line(logLine(h.text, from, 'tcp'));
    if (!h.reply) break;
    const framed = new Uint8Array(2 + h.reply.length);
    framed[0] = h.reply.length >>> 8;
    framed[1] = h.reply.length & 255;
    framed.set(h.reply, 2);
    const w = yield* writeAll(peer.fd, framed);
    if (isErr(w)) break;
  }
  yield* sys.close(peer.fd);
  return 0;
}

/** "query: A server from 10.0.0.1 -> 10.0.0.2", "query from 10.0.0.1: FORMERR: ...". */
export function logLine(text: string, from: string, transport: 'udp' | 'tcp'): string {
  const via = transport === 'tcp' ? ' (tcp)' : '';
  const arrow = text.indexOf(' -> ');
  if (arrow >= 0) return `query: ${text.slice(0, arrow)} from ${from}${via}${text.slice(arrow)}`;
  return `query from ${from}${via}: ${text}`;
}

export function* dnsd(argv: string[]): Sys<number> {
  const port = yield* portArg(argv, 53);
  if (port === null) return 2;
  const log = yield* DaemonLog.open('dnsd');
  // The UDP socket first, in this process, so that a port conflict ends dnsd at start.
  const udp = yield* sys.socket('dgram', 'udp');
  if (isErr(udp)) {
    yield* log.line(`udp socket: ${udp.message}`);
    return 1;
  }
  const b = yield* sys.bind(udp, 0, port);
  if (isErr(b)) {
    yield* log.line(`udp bind 0.0.0.0:${port}: ${b.message}`);
    return 1;
  }
  const zones = new ZoneReader(log);
  yield* zones.read();
  yield* log.line(`listening on 0.0.0.0:${port} (udp)`);
  // The forked UDP server shares this reader object (a forked generator shares the parent's JS
  // objects; a real fork would copy them, with the same effect here): it logs only changes.
  const child = yield* sys.fork(() => serveUdp(udp, log, zones));
  yield* sys.close(udp);
  const r = yield* serveTcp('dnsd', port, serveTcpConnection, log);
  if (!isErr(child)) yield* sys.kill(child, 'SIGTERM');
  return r;
}
