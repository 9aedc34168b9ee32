// dig, the DNS lookup tool of BIND 9.18 (bin/dig/dig.c and dighost.c), in its output format:
//   dig [@server] [-p PORT] [-t TYPE] [-c CLASS] [-q NAME] [-x ADDR] [name] [type] [class] [+opt...]
//   +short  +[no]tcp (+vc)  +[no]search  +[no]recurse  +time=S  +tries=N  +retry=N  +[no]cmd
//   +[no]comments  +[no]stats  +[no]question  +[no]answer  +[no]authority  +[no]additional  +[no]edns
// Like dig: the name is sent as typed (absolute) unless +search; the server is @server or the
// nameservers of /etc/resolv.conf (127.0.0.1 without any); RD is set; each try waits 5 s and there
// are 3 tries (UDP: a new socket, so a new source port, with the same id), then the next server.
// A truncated UDP answer is asked again over TCP ("Truncated, retrying in TCP mode.").
//
// EDNS: dig 9.18 adds an OPT record (EDNS0, 1232-octet UDP size and a cookie) to every query. We
// send none, as `dig +noedns` does, so the messages stay the RFC 1035 ones the lab's server speaks
// (it answers FORMERR to an OPT record, as a server without EDNS must: RFC 6891 §7). +edns is
// accepted and ignored.
import { DnsClass, DnsFlag, DnsRcode, DnsType, dnsQuery, dnsRDataText, formatIpv4, parseIpv4, readDnsName, readU16, readU32, reverseName, type DnsMessage, type DnsParsed, type DnsRecordAt } from '../../../../shared/wire';
import { sys, type Sys } from '../../process';
import { civil } from '../lib/clock';
import { exchangeErrorText, lookupHost, nextQueryId, openUdp, readResolvConf, tcpExchange, udpExchange, type Exchange, type ResolvConf } from '../lib/resolver';
import { err, out } from '../stdio';

export const DIG_VERSION = '9.18.28-1~deb12u2-Debian';
const NS_PER_S = 1e9;
const NS_PER_MS = 1e6;

// ---------------------------------------------------------------- presentation (BIND's masterdump)

const TYPES: Record<string, number> = {
  A: 1, NS: 2, MD: 3, MF: 4, CNAME: 5, SOA: 6, MB: 7, MG: 8, MR: 9, NULL: 10, WKS: 11, PTR: 12, HINFO: 13, MINFO: 14, MX: 15, TXT: 16,
  RP: 17, AFSDB: 18, AAAA: 28, LOC: 29, SRV: 33, NAPTR: 35, DNAME: 39, OPT: 41, DS: 43, SSHFP: 44, RRSIG: 46, NSEC: 47, DNSKEY: 48,
  TLSA: 52, SVCB: 64, HTTPS: 65, SPF: 99, IXFR: 251, AXFR: 252, ANY: 255, CAA: 257,
};
const TYPE_NAMES = new Map(Object.entries(TYPES).map(([k, v]) => [v, k]));
const CLASSES: Record<string, number> = { IN: 1, CH: 3, CHAOS: 3, HS: 4, HESIOD: 4, NONE: 254, ANY: 255 };
const CLASS_NAMES = new Map([[1, 'IN'], [3, 'CH'], [4, 'HS'], [254, 'NONE'], [255, 'ANY']]);
const OPCODES = ['QUERY', 'IQUERY', 'STATUS', 'RESERVED3', 'NOTIFY', 'UPDATE'];
const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET', 'NXRRSET', 'NOTAUTH', 'NOTZONE'];

/** A type's mnemonic or TYPEnnn (RFC 3597 §5), as dns_rdatatype_totext. */
export function typeMnemonic(t: number): string {
  return TYPE_NAMES.get(t) ?? `TYPE${t}`;
}

/** A type mnemonic or TYPEnnn to its number, or null. */
export function parseType(s: string): number | null {
  const u = s.toUpperCase();
  if (Object.hasOwn(TYPES, u)) return TYPES[u]!;
  const m = /^TYPE(\d{1,5})$/.exec(u);
  return m && Number(m[1]) <= 0xffff ? Number(m[1]) : null;
}

export function classMnemonic(c: number): string {
  return CLASS_NAMES.get(c) ?? `CLASS${c}`;
}

function parseClass(s: string): number | null {
  const u = s.toUpperCase();
  if (Object.hasOwn(CLASSES, u)) return CLASSES[u]!;
  const m = /^CLASS(\d{1,5})$/.exec(u);
  return m && Number(m[1]) <= 0xffff ? Number(m[1]) : null;
}

export function rcodeMnemonic(r: number): string {
  return RCODES[r] ?? `RESERVED${r}`;
}

/** A name as master files write it: absolute, with its final dot; the root is '.'. */
export function fqdn(name: string): string {
  return name === '' ? '.' : `${name}.`;
}

/** TXT character-strings (RFC 1035 §3.3.14) in quotes, '"' and '\' escaped, other octets as \DDD. */
function txtText(b: Uint8Array, start: number, end: number): string {
  const parts: string[] = [];
  for (let p = start; p < end; ) {
    const len = b[p]!;
    let s = '';
    for (let i = p + 1; i <= p + len && i < end; i++) {
      const c = b[i]!;
      if (c === 0x22 || c === 0x5c) s += '\\' + String.fromCharCode(c);
      else if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
      else s += '\\' + String(c).padStart(3, '0');
    }
    parts.push(`"${s}"`);
    p += 1 + len;
  }
  return parts.join(' ');
}

function nameAt(bytes: Uint8Array, off: number, end: number): { name: string; next: number } | null {
  const r = readDnsName(bytes, off, 0, end);
  return r.ok ? { name: r.value.name, next: r.value.next } : null;
}

/** A record's data in presentation form (dns_rdata_totext); `msg` is the message it came in. */
export function rdataText(r: DnsRecordAt, msg: Uint8Array): string {
  const start = r.rdataOffset;
  const end = start + r.rdlength;
  switch (r.type) {
    case DnsType.A:
      return typeof r.data === 'number' ? formatIpv4(r.data) : '';
    case DnsType.NS:
    case DnsType.CNAME:
    case DnsType.PTR:
      return typeof r.data === 'string' ? fqdn(r.data) : '';
    case DnsType.AAAA:
      if (r.rdlength === 16) return dnsRDataText(r);
      break;
    case DnsType.MX: {
      const n = r.rdlength >= 3 ? nameAt(msg, start + 2, end) : null;
      if (n) return `${readU16(msg, start)} ${fqdn(n.name)}`;
      break;
    }
    case DnsType.SOA: {
      const m = nameAt(msg, start, end);
      const rn = m ? nameAt(msg, m.next, end) : null;
      if (m && rn && end - rn.next === 20) {
        const nums = [0, 4, 8, 12, 16].map((o) => readU32(msg, rn.next + o));
        return `${fqdn(m.name)} ${fqdn(rn.name)} ${nums.join(' ')}`;
      }
      break;
    }
    case DnsType.TXT:
      return txtText(msg, start, end);
  }
  // RFC 3597 §5: the generic form for data we do not decode.
  let hex = '';
  for (let i = start; i < end; i++) hex += msg[i]!.toString(16).padStart(2, '0').toUpperCase();
  return `\\# ${r.rdlength}${hex ? ` ${hex}` : ''}`;
}

/** masterdump.c's indent(): tabs (8 wide) to the column, or one space when already past it. */
function column(line: string, to: number): string {
  let cur = 0;
  for (const ch of line) cur = ch === '\t' ? (Math.floor(cur / 8) + 1) * 8 : cur + 1;
  if (cur >= to) return `${line} `;
  return line + '\t'.repeat(Math.floor(to / 8) - Math.floor(cur / 8));
}

/** One record line, dig's style: name, TTL at column 24, class at 32, type at 40, data at 48. */
export function recordLine(r: DnsRecordAt, msg: Uint8Array): string {
  let line = column(fqdn(r.name), 24) + String(r.ttl);
  line = column(line, 32) + classMnemonic(r.class);
  line = column(line, 40) + typeMnemonic(r.type);
  return column(line, 48) + rdataText(r, msg);
}

/** A question line: ';' and the name, class at column 32, type at 40. */
export function questionLine(q: { name: string; type: number; class: number }): string {
  return column(column(`;${fqdn(q.name)}`, 32) + classMnemonic(q.class), 40) + typeMnemonic(q.type);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** strftime("%a %b %d %H:%M:%S %Z %Y") in UTC: "Thu Jan 01 00:00:05 UTC 2026". */
export function digWhen(ns: number): string {
  const c = civil(ns);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[c.weekday]} ${MONTHS[c.month - 1]} ${p2(c.day)} ${p2(c.hour)}:${p2(c.minute)}:${p2(c.second)} UTC ${c.year}`;
}

// ---------------------------------------------------------------- options

interface Opts {
  server?: string;
  port: number;
  name?: string;
  type?: number;
  cls: number;
  short: boolean;
  tcp: boolean;
  search: boolean;
  recurse: boolean;
  timeoutS: number;
  tries: number;
  cmd: boolean;
  comments: boolean;
  stats: boolean;
  question: boolean;
  answer: boolean;
  authority: boolean;
  additional: boolean;
}

const USAGE =
  'Usage:  dig [@global-server] [domain] [q-type] [q-class] {q-opt}\n' +
  '            {global-d-opt} host [@local-server] {local-d-opt}\n' +
  '            [ host [@local-server] {local-d-opt} [...]]\n\n' +
  'Use "dig -h" (or "dig -h | more") for complete list of options\n';

const HELP =
  USAGE.split('\n\n')[0]! +
  '\nWhere:  domain\t  is in the Domain Name System\n' +
  '        q-class  is one of (in,hs,ch,...) [default: in]\n' +
  '        q-type   is one of (a,any,mx,ns,soa,hinfo,axfr,txt,...) [default:a]\n' +
  '        q-opt    is one of:\n' +
  '                 -c class            (specify query class)\n' +
  '                 -p port             (specify port number)\n' +
  '                 -q name             (specify query name)\n' +
  '                 -t type             (specify query type)\n' +
  '                 -x dot-notation     (shortcut for reverse lookups)\n' +
  '        d-opt    is of the form +keyword[=value], where keyword is:\n' +
  '                 +[no]additional     (Control display of additional section)\n' +
  '                 +[no]answer         (Control display of answer section)\n' +
  '                 +[no]authority      (Control display of authority section)\n' +
  '                 +[no]cmd            (Control display of command line -\n' +
  '                                      global option)\n' +
  '                 +[no]comments       (Control display of packet header\n' +
  '                                      and section name comments)\n' +
  '                 +[no]edns           (accepted; the lab sends no EDNS)\n' +
  '                 +[no]question       (Control display of question section)\n' +
  '                 +[no]recurse        (Recursive mode (+[no]rdflag))\n' +
  '                 +retry=###          (Set number of UDP retries) [2]\n' +
  '                 +[no]search         (Set whether to use searchlist)\n' +
  '                 +[no]short          (Display nothing except short\n' +
  '                                      form of answers - global option)\n' +
  '                 +[no]stats          (Control display of statistics)\n' +
  '                 +[no]tcp            (TCP mode (+[no]vc))\n' +
  '                 +time=###           (Set query timeout) [5]\n' +
  '                 +tries=###          (Set number of UDP attempts) [3]\n' +
  '        -h                           (print help and exit)\n' +
  '        -v                           (print version and exit)\n';

type Parsed = { opts: Opts; reverse?: string } | { exit: number };

function* bad(text: string): Sys<Parsed> {
  yield* err(text);
  return { exit: 1 };
}

/** +keyword[=value], by unique prefix as dig accepts them (+sh, +tc...). */
function* plusOption(o: Opts, arg: string): Sys<boolean> {
  const m = /^\+(no)?([a-z]+)(?:=(.*))?$/i.exec(arg);
  if (!m) return false;
  const on = !m[1];
  const word = m[2]!.toLowerCase();
  const value = m[3];
  const is = (full: string, min: number) => word.length >= min && full.startsWith(word);
  const num = (max: number): number | null => {
    const n = value !== undefined && /^\d+$/.test(value) ? Number(value) : NaN;
    return Number.isInteger(n) && n <= max ? n : null;
  };
  if (is('short', 2)) {
    o.short = on;
    if (on) o.cmd = o.comments = o.stats = o.question = o.authority = o.additional = false;
  } else if (is('tcp', 2) || is('vc', 2)) o.tcp = on;
  else if (is('search', 3) || is('defname', 3)) o.search = on;
  else if (is('recurse', 3) || is('rdflag', 2)) o.recurse = on;
  else if (is('cmd', 2)) o.cmd = on;
  else if (is('comments', 3)) o.comments = on;
  else if (is('stats', 3)) o.stats = on;
  else if (is('question', 2)) o.question = on;
  else if (is('answer', 2)) o.answer = on;
  else if (is('authority', 2)) o.authority = on;
  else if (is('additional', 3)) o.additional = on;
  else if (is('all', 2)) o.comments = o.stats = o.question = o.answer = o.authority = o.additional = o.cmd = on;
  else if (is('edns', 2)) {
    /* see the header: no EDNS either way */
  } else if (is('time', 2) || is('timeout', 2)) {
    const n = num(0xffffffff);
    if (n === null || !on) return false;
    o.timeoutS = Math.max(1, n);
  } else if (is('tries', 2)) {
    const n = num(0xffffffff);
    if (n === null || !on) return false;
    o.tries = Math.max(1, n);
  } else if (is('retry', 3)) {
    const n = num(0xffffffff);
    if (n === null || !on) return false;
    o.tries = n + 1;
  } else return false;
  return true;
}

/** dig.c parse_args: options, @server, and words that are a type, a class or else the name. */
function* parseArgs(argv: string[]): Sys<Parsed> {
  const o: Opts = { port: 53, cls: DnsClass.IN, short: false, tcp: false, search: false, recurse: true, timeoutS: 5, tries: 3, cmd: true, comments: true, stats: true, question: true, answer: true, authority: true, additional: true };
  let reverse: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('@') && a.length > 1) o.server = a.slice(1);
    else if (a.startsWith('+')) {
      if (!(yield* plusOption(o, a))) return yield* bad(`Invalid option: ${a}\n${USAGE}`);
    } else if (a.startsWith('-') && a.length > 1) {
      const flag = a[1]!;
      if (flag === 'h') {
        yield* out(HELP);
        return { exit: 0 };
      }
      if (flag === 'v') {
        yield* err(`DiG ${DIG_VERSION}\n`);
        return { exit: 0 };
      }
      if (flag === '4' || flag === '6' || flag === 'r' || flag === 'm') continue;
      if (!'xtcpq'.includes(flag)) return yield* bad(`Invalid option: ${a}\n${USAGE}`);
      const value = a.length > 2 ? a.slice(2) : argv[++i];
      if (value === undefined) return yield* bad(`dig: option requires an argument -- '${flag}'\n${USAGE}`);
      if (flag === 'x') {
        reverse = value;
        o.type = DnsType.PTR;
        o.cls = DnsClass.IN;
      } else if (flag === 't') {
        const t = parseType(value);
        if (t === null) return yield* bad(`dig: invalid type: ${value}\n`);
        o.type = t;
      } else if (flag === 'c') {
        const c = parseClass(value);
        if (c === null) return yield* bad(`dig: invalid class: ${value}\n`);
        o.cls = c;
      } else if (flag === 'p') {
        const p = /^\d+$/.test(value) ? Number(value) : NaN;
        if (!(p >= 0 && p <= 65535)) return yield* bad(`dig: port '${value}': out of range\n`);
        o.port = p;
      } else o.name = value;
    } else {
      const t = parseType(a);
      const c = t === null ? parseClass(a) : null;
      if (t !== null) {
        if (o.type !== undefined && reverse === undefined) yield* err(';; Warning, extra type option\n');
        o.type = t;
      } else if (c !== null) o.cls = c;
      else o.name = a;
    }
  }
  return { opts: o, reverse };
}

/** The in-addr.arpa name for -x: the octets reversed, as get_reverse does without `strict`. */
function reverseOf(text: string): string {
  const a = parseIpv4(text);
  if (a !== null) return reverseName(a);
  return `${text.split('.').reverse().join('.')}.in-addr.arpa`;
}

/** dighost's use of the search list: fewer than ndots dots -> each domain, then the name as is. */
export function digCandidates(name: string, conf: ResolvConf, search: boolean): string[] {
  if (name.endsWith('.')) return [name.slice(0, -1)];
  const dots = name.split('.').length - 1;
  if (!search || dots >= conf.ndots || name === '') return [name];
  return [...conf.search.map((d) => `${name}.${d}`), name];
}

// ---------------------------------------------------------------- the lookup

export interface Server {
  addr: number;
  /** How the user named it (dig prints it in parentheses): '10.0.0.2' or 'server'. */
  userarg: string;
}

export type Outcome =
  | { kind: 'answer'; x: Extract<Exchange, { ok: true }>; server: Server; tcp: boolean }
  | { kind: 'failed'; printCmdline: boolean };

/**
 * One lookup as dighost runs it: try the servers in turn with `tries` attempts (a failed try
 * prints "communications error" and is retried on the same server while tries remain, then the
 * next server gets one). `say` prints the warnings.
 */
export function* runLookup(
  servers: Server[],
  port: number,
  build: (id: number) => DnsMessage,
  o: { tcp: boolean; timeoutS: number; tries: number; textname: string },
  say: (line: string) => Sys<void>,
): Sys<Outcome> {
  let tcp = o.tcp;
  let retries = o.tries;
  let i = 0;
  const query = build(yield* nextQueryId());
  for (;;) {
    const s = servers[i]!;
    const where = `${formatIpv4(s.addr)}#${port}`;
    let x: Exchange;
    let setup: string | null = null;
    if (tcp) {
      x = yield* tcpExchange(s.addr, port, query, o.timeoutS * NS_PER_S);
      if (!x.ok && x.connecting) setup = `Connection to ${where}(${s.userarg}) for ${o.textname} failed: ${exchangeErrorText(x.error)}.`;
    } else {
      const fd = yield* openUdp(s.addr, port);
      if (typeof fd === 'string') {
        const now = yield* sys.now();
        x = { ok: false, error: fd, sentAt: now, at: now };
        setup = `UDP setup with ${where}(${s.userarg}) for ${o.textname} failed: ${exchangeErrorText(fd)}.`;
      } else {
        x = yield* udpExchange(fd, query, o.timeoutS * NS_PER_S);
        yield* sys.close(fd);
      }
    }
    if (x.ok) {
      if (x.reply.tc && !tcp) {
        yield* say(';; Truncated, retrying in TCP mode.\n');
        tcp = true;
        retries = o.tries;
        continue;
      }
      return { kind: 'answer', x, server: s, tcp };
    }
    if (x.error === 'interrupted') return { kind: 'failed', printCmdline: false };
    yield* say(setup ? `;; ${setup}\n` : `;; communications error to ${where}: ${exchangeErrorText(x.error)}\n`);
    if (retries > 1) {
      retries--;
      continue;
    }
    if (i + 1 < servers.length) {
      i++;
      continue;
    }
    return { kind: 'failed', printCmdline: setup === null };
  }
}

/** The servers to ask: @server (an address, or a name looked up as getaddrinfo would) or resolv.conf's. */
export function* chooseServers(arg: string | undefined, conf: ResolvConf): Sys<Server[] | { error: string }> {
  if (arg === undefined) return conf.nameservers.map((a) => ({ addr: a, userarg: formatIpv4(a) }));
  const lit = parseIpv4(arg);
  if (lit !== null) return [{ addr: lit, userarg: arg }];
  const r = yield* lookupHost(arg);
  if ('error' in r) return { error: `couldn't get address for '${arg}': not found` };
  return (r.addrs ?? [r.addr]).map((a) => ({ addr: a, userarg: arg }));
}

function flagsText(r: DnsParsed): string {
  const f: [number, string][] = [
    [DnsFlag.QR, 'qr'],
    [DnsFlag.AA, 'aa'],
    [DnsFlag.TC, 'tc'],
    [DnsFlag.RD, 'rd'],
    [DnsFlag.RA, 'ra'],
    [DnsFlag.AD, 'ad'],
    [DnsFlag.CD, 'cd'],
  ];
  return f.filter(([bit]) => (r.flags & bit) !== 0).map(([, n]) => ` ${n}`).join('');
}

/** printmessage + received: the answer as dig prints it. */
function answerText(o: Opts, a: Extract<Outcome, { kind: 'answer' }>, port: number): string {
  const { reply: r, bytes } = a.x;
  if (o.short) return r.answers.map((rec) => `${rdataText(rec, bytes)}\n`).join('');
  let s = '';
  if (o.comments) {
    s += ';; Got answer:\n';
    s += `;; ->>HEADER<<- opcode: ${OPCODES[r.opcode] ?? `RESERVED${r.opcode}`}, status: ${rcodeMnemonic(r.rcode)}, id: ${r.id}\n`;
    s += `;; flags:${flagsText(r)}; QUERY: ${r.qdcount}, ANSWER: ${r.ancount}, AUTHORITY: ${r.nscount}, ADDITIONAL: ${r.arcount}\n`;
    if (r.rd && !r.ra) s += ';; WARNING: recursion requested but not available\n';
    s += '\n';
  }
  const section = (title: string, show: boolean, lines: string[]) => {
    if (!show || lines.length === 0) return;
    if (o.comments) s += `;; ${title} SECTION:\n`;
    s += lines.map((l) => `${l}\n`).join('');
    if (o.comments) s += '\n';
  };
  section('QUESTION', o.question, r.questions.map(questionLine));
  section('ANSWER', o.answer, r.answers.map((rec) => recordLine(rec, bytes)));
  section('AUTHORITY', o.authority, r.authority.map((rec) => recordLine(rec, bytes)));
  section('ADDITIONAL', o.additional, r.additional.map((rec) => recordLine(rec, bytes)));
  if (o.stats) {
    s += `;; Query time: ${Math.floor((a.x.at - a.x.sentAt) / NS_PER_MS)} msec\n`;
    s += `;; SERVER: ${formatIpv4(a.server.addr)}#${port}(${a.server.userarg}) (${a.tcp ? 'TCP' : 'UDP'})\n`;
    s += `;; WHEN: ${digWhen(a.x.at)}\n`;
    s += `;; MSG SIZE  rcvd: ${bytes.length}\n\n`;
  }
  return s;
}

export function* dig(argv: string[]): Sys<number> {
  const p = yield* parseArgs(argv);
  if ('exit' in p) return p.exit;
  const o = p.opts;
  const conf = yield* readResolvConf();
  const servers = yield* chooseServers(o.server, conf);
  if ('error' in servers) {
    yield* err(`dig: ${servers.error}\n`);
    return 10;
  }
  let cmdline = '';
  if (o.cmd) {
    cmdline = `\n; <<>> DiG ${DIG_VERSION} <<>>${argv.slice(1).map((a) => ` ${a}`).join('')}\n`;
    if (o.server !== undefined) cmdline += `; (${servers.length} server${servers.length === 1 ? '' : 's'} found)\n`;
    cmdline += ';; global options: +cmd\n';
  }
  const textname = p.reverse !== undefined ? reverseOf(p.reverse) : (o.name ?? '');
  const type = o.type ?? (o.name === undefined && p.reverse === undefined ? DnsType.NS : DnsType.A);
  const candidates = p.reverse !== undefined ? [textname] : digCandidates(textname, conf, o.search);
  const say = function* (line: string): Sys<void> {
    yield* out(line);
  };
  for (let c = 0; c < candidates.length; c++) {
    const name = candidates[c]!.replace(/\.$/, '');
    const outcome = yield* runLookup(
      servers,
      o.port,
      (id) => {
        const q = dnsQuery(id, name, type, o.recurse);
        q.questions[0]!.class = o.cls;
        return q;
      },
      { tcp: o.tcp, timeoutS: o.timeoutS, tries: o.tries, textname: textname || '.' },
      say,
    );
    if (outcome.kind === 'failed') {
      yield* out(`${outcome.printCmdline ? cmdline : ''};; no servers could be reached\n\n`);
      return 9;
    }
    // +search: an NXDOMAIN moves on to the next name of the list without printing (next_origin).
    if (outcome.x.reply.rcode === DnsRcode.NXDOMAIN && c + 1 < candidates.length) continue;
    yield* out((o.short ? '' : cmdline) + answerText(o, outcome, o.port));
    return 0;
  }
  return 0;
}
