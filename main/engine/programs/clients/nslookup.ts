// nslookup of BIND 9.18 (bin/dig/nslookup.c), non-interactive:
//   nslookup [-type=T] [-port=N] [-timeout=S] [-retry=N] [-[no]vc] [-[no]search] [-domain=D] NAME [SERVER]
// A name gets an A lookup and then an AAAA lookup of the name that answered (that is what prints
// both address families); an IPv4 address gets a PTR lookup of its in-addr.arpa name. The search
// list of resolv.conf is used for names with fewer than ndots dots, then the name as is. Output:
//
//   Server:		10.0.0.2              (the server as given)
//   Address:	10.0.0.2#53
//
//   Name:	server.lab
//   Address: 10.0.0.2
//
// or "** server can't find NAME: NXDOMAIN"; the exit status is 1 when a lookup failed.
// Interactive mode (no NAME) is not provided in the lab.
import { DnsClass, DnsRcode, DnsType, dnsQuery, formatIpv4, parseIpv4, readDnsName, readU32, reverseName, type DnsParsed } from '../../../../shared/wire';
import { type Sys } from '../../process';
import { readResolvConf } from '../lib/resolver';
import { err, out } from '../stdio';
import { chooseServers, digCandidates, parseType, rcodeMnemonic, rdataText, runLookup, type Server } from './dig';

/** nslookup's rtypetext: what follows the owner name for each type outside the Name/Address form. */
const RTYPE_TEXT: Record<number, string> = {
  1: 'internet address = ',
  2: 'nameserver = ',
  5: 'canonical name = ',
  12: 'name = ',
  13: 'hinfo = ',
  15: 'mail exchanger = ',
  16: 'text = ',
  28: 'has AAAA address ',
  33: 'service = ',
};

interface Opts {
  type: number | null;
  port: number;
  timeoutS: number;
  tries: number;
  tcp: boolean;
  search: boolean;
  recurse: boolean;
  domain?: string;
}

/** -option as nslookup's setoption() matches them (prefixes included). */
function* setOption(o: Opts, opt: string): Sys<void> {
  const kv = /^([a-z]+)=(.*)$/i.exec(opt);
  const key = (kv ? kv[1]! : opt).toLowerCase();
  const value = kv ? kv[2]! : '';
  if (kv && ['type', 'ty', 'querytype', 'query', 'qu', 'q'].includes(key)) {
    const t = parseType(value);
    if (t === null) yield* out(`unknown query type: ${value}\n`);
    else o.type = t;
  } else if (kv && ['port', 'po'].includes(key) && /^\d+$/.test(value) && Number(value) <= 65535) o.port = Number(value);
  else if (kv && ['timeout', 't'].includes(key) && /^\d+$/.test(value)) o.timeoutS = Math.max(1, Number(value));
  else if (kv && ['retry', 'ret'].includes(key) && /^\d+$/.test(value)) o.tries = Math.max(1, Number(value));
  else if (kv && ['domain', 'do'].includes(key)) {
    o.domain = value.replace(/\.$/, '');
    o.search = true;
  } else if (!kv && key === 'vc') o.tcp = true;
  else if (!kv && key === 'novc') o.tcp = false;
  else if (!kv && (key.startsWith('nosea') || key.startsWith('nodef'))) o.search = false;
  else if (!kv && (key.startsWith('sea') || key.startsWith('def'))) o.search = true;
  else if (!kv && key.startsWith('norec')) o.recurse = false;
  else if (!kv && key.startsWith('rec')) o.recurse = true;
  else yield* out(`*** Invalid option: ${opt}\n`);
}

/** printsection(): Name/Address for A and AAAA answers, "owner<TAB>what = data" for the rest. */
function sectionLines(records: DnsParsed['answers'], bytes: Uint8Array, answer: boolean): string {
  let s = '';
  for (const rec of records) {
    if (answer && (rec.type === DnsType.A || rec.type === DnsType.AAAA)) {
      s += `Name:\t${rec.name}\nAddress: ${rdataText(rec, bytes)}\n`;
    } else if (rec.type === DnsType.SOA) {
      const m = readDnsName(bytes, rec.rdataOffset, 0, rec.rdataOffset + rec.rdlength);
      const rn = m.ok ? readDnsName(bytes, m.value.next, 0, rec.rdataOffset + rec.rdlength) : null;
      if (m.ok && rn?.ok) {
        const n = [0, 4, 8, 12, 16].map((o) => readU32(bytes, rn.value.next + o));
        s += `${rec.name}\n\torigin = ${m.value.name}\n\tmail addr = ${rn.value.name}\n\tserial = ${n[0]}\n\trefresh = ${n[1]}\n\tretry = ${n[2]}\n\texpire = ${n[3]}\n\tminimum = ${n[4]}\n`;
      }
    } else {
      s += `${rec.name}\t${RTYPE_TEXT[rec.type] ?? `rdata_${rec.type} = `}${rdataText(rec, bytes)}\n`;
    }
  }
  return s;
}

export function* nslookup(argv: string[]): Sys<number> {
  const o: Opts = { type: null, port: 53, timeoutS: 5, tries: 3, tcp: false, search: true, recurse: true };
  let name: string | undefined;
  let serverArg: string | undefined;
  for (const a of argv.slice(1)) {
    if (a.startsWith('-') && a.length > 1) {
      if (/^-ver/i.test(a)) {
        yield* err('nslookup 9.18.28-1~deb12u2-Debian\n');
        return 0;
      }
      yield* setOption(o, a.slice(1));
    } else if (name === undefined) name = a;
    else serverArg = a;
  }
  if (name === undefined || name === '-') {
    yield* err('nslookup: interactive mode is not available in the lab; give a name: nslookup NAME [SERVER]\n');
    return 1;
  }
  const conf = yield* readResolvConf();
  if (o.domain !== undefined) conf.search = [o.domain];
  const servers = yield* chooseServers(serverArg, conf);
  if ('error' in servers) {
    yield* err(`nslookup: ${servers.error}\n`);
    return 1;
  }
  const addr = parseIpv4(name);
  // default_lookups: a plain name gets A then AAAA; -type or an address turns that off.
  const defaultLookups = o.type === null && addr === null;
  const say = function* (line: string): Sys<void> {
    yield* out(line);
  };
  let printError = false;
  let queryError = true;
  let aNoAnswer = false;
  // The lookup list: [qtype, textname, use the search list]. An A answer appends the AAAA lookup.
  const lookups: { type: number; textname: string; search: boolean }[] = [
    addr !== null ? { type: DnsType.PTR, textname: reverseName(addr), search: false } : { type: o.type ?? DnsType.A, textname: name, search: o.search },
  ];
  for (let l = 0; l < lookups.length; l++) {
    const look = lookups[l]!;
    const candidates = look.search ? digCandidates(look.textname, conf, true) : [look.textname.replace(/\.$/, '')];
    for (let c = 0; c < candidates.length; c++) {
      const qname = candidates[c]!.replace(/\.$/, '');
      const res = yield* runLookup(servers, o.port, (id) => dnsQuery(id, qname, look.type, o.recurse), { tcp: o.tcp, timeoutS: o.timeoutS, tries: o.tries, textname: look.textname }, say);
      if (res.kind === 'failed') {
        yield* out(';; no servers could be reached\n\n');
        return 1;
      }
      const r = res.x.reply;
      if (r.rcode === DnsRcode.NXDOMAIN && c + 1 < candidates.length) continue;
      queryError = false;
      yield* out(printMessage(r, res.x.bytes, res.server, o.port, look, qname, defaultLookups, (next) => lookups.push(next), aNoAnswer));
      if (r.rcode !== DnsRcode.NOERROR) printError = true;
      else if (r.answers.length === 0 && defaultLookups && look.type === DnsType.A) aNoAnswer = true;
      break;
    }
  }
  yield* out('\n');
  return queryError || printError ? 1 : 0;
}

/** nslookup.c printmessage() for one answered lookup. */
function printMessage(
  r: DnsParsed,
  bytes: Uint8Array,
  server: Server,
  port: number,
  look: { type: number; textname: string },
  qname: string,
  defaultLookups: boolean,
  queue: (l: { type: number; textname: string; search: boolean }) => void,
  aNoAnswer: boolean,
): string {
  let s = '';
  if (!defaultLookups || look.type === DnsType.A) s += `Server:\t\t${server.userarg}\nAddress:\t${formatIpv4(server.addr)}#${port}\n\n`;
  if (r.rcode !== DnsRcode.NOERROR) return `${s}** server can't find ${qname}: ${rcodeMnemonic(r.rcode)}\n`;
  if (defaultLookups && look.type === DnsType.A) {
    // The AAAA lookup is for the name that answered, after its CNAME chain (chase_cnamechain).
    let target = qname.toLowerCase();
    for (let i = 0; i < r.answers.length; i++) {
      const c = r.answers.find((a) => a.type === DnsType.CNAME && a.class === DnsClass.IN && a.name.toLowerCase() === target && typeof a.data === 'string');
      if (!c) break;
      target = (c.data as string).toLowerCase();
    }
    queue({ type: DnsType.AAAA, textname: target === qname.toLowerCase() ? qname : target, search: false });
  }
  if (!r.aa && (!defaultLookups || look.type === DnsType.A)) s += 'Non-authoritative answer:\n';
  if (r.answers.length) s += sectionLines(r.answers, bytes, true);
  else if (!defaultLookups || (look.type === DnsType.AAAA && aNoAnswer)) s += `*** Can't find ${look.textname}: No answer\n`;
  if (!r.aa && look.type !== DnsType.A && look.type !== DnsType.AAAA) {
    s += `\nAuthoritative answers can be found from:\n${sectionLines(r.authority, bytes, false)}${sectionLines(r.additional, bytes, false)}`;
  }
  return s;
}
