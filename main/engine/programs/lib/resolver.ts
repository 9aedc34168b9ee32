// The stub resolver of glibc (resolv/res_send.c, res_query.c, res_init.c; resolv.conf(5)) and the
// "hosts: files dns" order of nsswitch.conf: what getaddrinfo/gethostbyname do for every program
// that takes a host name. Also the transport pieces dig and nslookup share (one UDP or TCP
// exchange with a server).
//
//   /etc/resolv.conf   nameserver A.B.C.D (at most 3, MAXNS; none -> 127.0.0.1), search D1 D2 ...,
//                      domain D (the last of search/domain wins), options ndots:N timeout:N attempts:N rotate
//   res_send           for each attempt (options attempts, default 2), for each server: send the
//                      query from a connected UDP socket (the kernel then delivers only the server's
//                      datagrams and reports ICMP errors as ECONNREFUSED/EHOSTUNREACH), wait with poll,
//                      accept only a reply whose id and question match (res_queriesmatch); SERVFAIL,
//                      NOTIMP and REFUSED mean "try the next server"; TC means "ask the same server over TCP".
//   res_search         the search list for names with fewer than ndots dots (then the name as is),
//                      the name as is first otherwise; a trailing dot means "no search".
//
// Where we differ from glibc: only A queries (getaddrinfo with AF_INET; glibc sends A and AAAA in
// parallel for AF_UNSPEC), no EDNS, no caching, and the query id is derived from the virtual clock
// and the pid (glibc's random_bits() mixes the monotonic clock the same way; the engine has no
// other entropy for programs).
import { checkDnsName, DNS_PORT, DnsClass, DnsRcode, DnsType, dnsQuery, parseDns, parseIpv4, reverseName, writeDns, type DnsMessage, type DnsParsed } from '../../../../shared/wire';
import { isErr, POLLIN, POLLOUT, sys, type Sys } from '../../process';
import { decodeUtf8 } from '../../process/utf8';
import { readFile } from './files';

export const RESOLV_CONF = '/etc/resolv.conf';
export const HOSTS_FILE = '/etc/hosts';

/** gai_strerror texts (glibc sysdeps/posix/gai_strerror-strs.h). */
export const EAI_NONAME_TEXT = 'Name or service not known';
export const EAI_AGAIN_TEXT = 'Temporary failure in name resolution';
export const EAI_NODATA_TEXT = 'No address associated with hostname';
export const EAI_FAIL_TEXT = 'Non-recoverable failure in name resolution';

/** resolv.conf limits (resolv/resolv.h): MAXNS, RES_MAXNDOTS, RES_MAXRETRANS, RES_MAXRETRY. */
const MAXNS = 3;
const MAX_NDOTS = 15;
const MAX_TIMEOUT_S = 30;
const MAX_ATTEMPTS = 5;
const NS_PER_S = 1e9;

export interface ResolvConf {
  /** Server addresses in file order (127.0.0.1 when the file names none, as glibc does). */
  nameservers: number[];
  search: string[];
  ndots: number;
  /** Seconds to wait for the first server in an attempt (options timeout:, RES_TIMEOUT 5). */
  timeout: number;
  /** Rounds over all servers (options attempts:, RES_DFLRETRY 2). */
  attempts: number;
  rotate: boolean;
}

/** resolv.conf(5) as res_init reads it; `hostname` gives the default domain (after its first dot). */
export function parseResolvConf(text: string, hostname = ''): ResolvConf {
  const conf: ResolvConf = { nameservers: [], search: [], ndots: 1, timeout: 5, attempts: 2, rotate: false };
  let searchSet = false;
  for (const raw of text.split('\n')) {
    if (/^\s*[;#]/.test(raw)) continue;
    const [key, ...args] = raw.trim().split(/\s+/);
    if (key === 'nameserver') {
      const a = args[0] !== undefined ? parseIpv4(args[0]) : null;
      if (a !== null && conf.nameservers.length < MAXNS) conf.nameservers.push(a);
    } else if (key === 'domain' && args[0]) {
      conf.search = [args[0].replace(/\.$/, '')];
      searchSet = true;
    } else if (key === 'search' && args.length) {
      conf.search = args.map((d) => d.replace(/\.$/, '')).filter((d) => d !== '');
      searchSet = true;
    } else if (key === 'options') {
      for (const o of args) {
        const m = /^(ndots|timeout|attempts):(\d+)$/.exec(o);
        if (m) {
          const v = Number(m[2]);
          if (m[1] === 'ndots') conf.ndots = Math.min(v, MAX_NDOTS);
          else if (m[1] === 'timeout') conf.timeout = Math.max(1, Math.min(v, MAX_TIMEOUT_S));
          else conf.attempts = Math.max(1, Math.min(v, MAX_ATTEMPTS));
        } else if (o === 'rotate') conf.rotate = true;
      }
    }
  }
  if (conf.nameservers.length === 0) conf.nameservers.push(0x7f000001); // INADDR_LOOPBACK
  const dot = hostname.indexOf('.');
  if (!searchSet && dot > 0 && dot < hostname.length - 1) conf.search = [hostname.slice(dot + 1)];
  return conf;
}

export function* readResolvConf(): Sys<ResolvConf> {
  const f = yield* readFile(RESOLV_CONF);
  const host = yield* sys.gethostname();
  return parseResolvConf(isErr(f) ? '' : decodeUtf8(f), host);
}

/** MurmurHash3's fmix32: spreads every input bit over the output. */
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A 16-bit query id that looks random but is the same on every run: glibc's random_bits()
 * (tv_nsec ^ tv_sec of CLOCK_MONOTONIC, shuffled) with the pid and a per-process counter mixed in.
 */
export function queryId(nowNs: number, pid: number, n = 0): number {
  const sec = Math.floor(nowNs / NS_PER_S);
  const nsec = nowNs - sec * NS_PER_S;
  const h = fmix32((nsec ^ Math.imul(sec, 0x9e3779b1) ^ Math.imul(pid, 0x27d4eb2d) ^ Math.imul(n + 1, 0x165667b1)) >>> 0);
  return (h ^ (h >>> 16)) & 0xffff;
}

/** A query id for this process now; `n` tells apart several queries made at the same instant. */
export function* nextQueryId(n = 0): Sys<number> {
  const now = yield* sys.now();
  const pid = yield* sys.getpid();
  return queryId(now, pid, n);
}

/** Does `reply` answer `query` (res_queriesmatch + the id and QR checks of send_dg)? */
export function replyMatches(query: DnsMessage, reply: DnsParsed): boolean {
  if (!reply.qr || reply.id !== query.id || reply.opcode !== query.opcode) return false;
  if (reply.questions.length !== query.questions.length) return false;
  return query.questions.every((q, i) => {
    const r = reply.questions[i]!;
    return r.type === q.type && r.class === q.class && r.name.toLowerCase() === q.name.replace(/\.$/, '').toLowerCase();
  });
}

export type ExchangeError = 'timeout' | 'refused' | 'unreachable' | 'network' | 'interrupted';

export type Exchange =
  | {
      ok: true;
      reply: DnsParsed;
      /** The reply as received (its length is dig's "MSG SIZE rcvd"). */
      bytes: Uint8Array;
      /** When the query left and the reply arrived (virtual ns). */
      sentAt: number;
      at: number;
    }
  | {
      ok: false;
      error: ExchangeError;
      sentAt: number;
      at: number;
      /** TCP only: the connection was never established (dig says "Connection to ... failed"). */
      connecting?: boolean;
    };

/** The text dig and nslookup print for a failed exchange (isc_result_totext). */
export function exchangeErrorText(e: ExchangeError): string {
  switch (e) {
    case 'timeout':
      return 'timed out';
    case 'refused':
      return 'connection refused';
    case 'unreachable':
      return 'host unreachable';
    case 'network':
      return 'network unreachable';
    case 'interrupted':
      return 'operation canceled';
  }
}

function errnoKind(name: string): ExchangeError {
  if (name === 'ECONNREFUSED') return 'refused';
  if (name === 'EHOSTUNREACH') return 'unreachable';
  if (name === 'EINTR') return 'interrupted';
  return 'network';
}

/**
 * A connected UDP socket to server:port (what send_dg and BIND's isc_nm_udpconnect open), or the
 * error. Keep it for several sends: glibc retries from the same socket, so from the same port.
 */
export function* openUdp(server: number, port: number): Sys<number | ExchangeError> {
  const fd = yield* sys.socket('dgram', 'udp');
  if (isErr(fd)) return 'network';
  const c = yield* sys.connect(fd, server, port);
  if (isErr(c)) {
    yield* sys.close(fd);
    return errnoKind(c.name);
  }
  return fd;
}

/**
 * Send `query` on the connected UDP socket `fd` and wait up to timeoutNs for the reply that
 * matches it; datagrams that do not match (another id, another question, unparseable) are
 * ignored, as send_dg does ("goto wait").
 */
export function* udpExchange(fd: number, query: DnsMessage, timeoutNs: number): Sys<Exchange> {
  const sent = yield* sys.send(fd, writeDns(query));
  const sentAt = yield* sys.now();
  if (isErr(sent)) return { ok: false, error: errnoKind(sent.name), sentAt, at: sentAt };
  const deadline = sentAt + timeoutNs;
  for (;;) {
    const now = yield* sys.now();
    if (now >= deadline) return { ok: false, error: 'timeout', sentAt, at: now };
    const p = yield* sys.poll([{ fd, events: POLLIN }], deadline - now);
    if (isErr(p)) return { ok: false, error: errnoKind(p.name), sentAt, at: yield* sys.now() };
    if (p.length === 0) continue;
    const d = yield* sys.recv(fd, 65535);
    const at = yield* sys.now();
    if (isErr(d)) {
      if (d.name === 'EAGAIN') continue;
      return { ok: false, error: errnoKind(d.name), sentAt, at };
    }
    const r = parseDns(d, 0);
    if (r.ok && replyMatches(query, r.value)) return { ok: true, reply: r.value, bytes: d, sentAt, at };
  }
}

/** Read exactly n bytes from a non-blocking stream socket before `deadline`. */
function* readExact(fd: number, n: number, deadline: number): Sys<Uint8Array | ExchangeError | 'eof'> {
  const out = new Uint8Array(n);
  let got = 0;
  while (got < n) {
    const now = yield* sys.now();
    if (now >= deadline) return 'timeout';
    const p = yield* sys.poll([{ fd, events: POLLIN }], deadline - now);
    if (isErr(p)) return errnoKind(p.name);
    if (p.length === 0) continue;
    const d = yield* sys.recv(fd, n - got);
    if (isErr(d)) {
      if (d.name === 'EAGAIN') continue;
      return errnoKind(d.name);
    }
    if (d.length === 0) return 'eof';
    out.set(d, got);
    got += d.length;
  }
  return out;
}

/**
 * One query over TCP (RFC 1035 §4.2.2: each message behind a two-octet length): connect without
 * blocking, wait for the connection, send, read the length and the reply; all within timeoutNs.
 */
export function* tcpExchange(server: number, port: number, query: DnsMessage, timeoutNs: number): Sys<Exchange> {
  const start = yield* sys.now();
  const deadline = start + timeoutNs;
  const fail = function* (error: ExchangeError, sentAt: number, connecting = false): Sys<Exchange> {
    return { ok: false, error, sentAt, at: yield* sys.now(), ...(connecting ? { connecting } : {}) };
  };
  const fd = yield* sys.socket('stream', 'tcp');
  if (isErr(fd)) return yield* fail('network', start, true);
  try {
    yield* sys.setNonblock(fd, true);
    const c = yield* sys.connect(fd, server, port);
    if (isErr(c) && c.name !== 'EINPROGRESS') return yield* fail(errnoKind(c.name), start, true);
    if (isErr(c)) {
      const now = yield* sys.now();
      const p = yield* sys.poll([{ fd, events: POLLOUT }], Math.max(0, deadline - now));
      if (isErr(p)) return yield* fail(errnoKind(p.name), start, true);
      if (p.length === 0) return yield* fail('timeout', start, true);
      const e = yield* sys.getsockopt(fd, 'SO_ERROR');
      if (typeof e === 'number' && e !== 0) return yield* fail(e === 111 ? 'refused' : e === 113 ? 'unreachable' : 'network', start, true);
    }
    const body = writeDns(query);
    const framed = new Uint8Array(2 + body.length);
    framed[0] = body.length >>> 8;
    framed[1] = body.length & 255;
    framed.set(body, 2);
    const s = yield* sys.send(fd, framed);
    const sentAt = yield* sys.now();
    if (isErr(s)) return yield* fail(errnoKind(s.name), sentAt);
    for (;;) {
      const len = yield* readExact(fd, 2, deadline);
      if (len === 'eof') return yield* fail('refused', sentAt);
      if (typeof len === 'string') return yield* fail(len, sentAt);
      const n = (len[0]! << 8) | len[1]!;
      const msg = yield* readExact(fd, n, deadline);
      if (msg === 'eof') return yield* fail('refused', sentAt);
      if (typeof msg === 'string') return yield* fail(msg, sentAt);
      const r = parseDns(msg, 0);
      if (r.ok && replyMatches(query, r.value)) return { ok: true, reply: r.value, bytes: msg, sentAt, at: yield* sys.now() };
    }
  } finally {
    yield* sys.close(fd);
  }
}

// ---------------------------------------------------------------- res_send / res_query / res_search

/** h_errno values (netdb.h) for what a lookup ended in. */
export type HErrno = 'HOST_NOT_FOUND' | 'TRY_AGAIN' | 'NO_RECOVERY' | 'NO_DATA';

/** gai_strerror of the getaddrinfo error each h_errno becomes. */
export function herrnoText(h: HErrno): string {
  switch (h) {
    case 'HOST_NOT_FOUND':
      return EAI_NONAME_TEXT;
    case 'NO_DATA':
      return EAI_NODATA_TEXT;
    case 'TRY_AGAIN':
      return EAI_AGAIN_TEXT;
    case 'NO_RECOVERY':
      return EAI_FAIL_TEXT;
  }
}

/**
 * The wait for server number `ns` in one attempt (send_dg): retrans << ns, divided by the number
 * of servers for all but the first, at least one second. With one server: `timeout` every time.
 */
export function serverTimeoutS(conf: ResolvConf, ns: number): number {
  let s = conf.timeout << ns;
  if (ns > 0) s = Math.floor(s / conf.nameservers.length);
  return s <= 0 ? 1 : s;
}

/**
 * What res_send ends with: an answer, or nothing usable; then `rcode` is that of the last reply
 * that sent us to the next server (SERVFAIL, NOTIMP, REFUSED), null if no server answered at all.
 */
export type SendResult = Extract<Exchange, { ok: true }> | { ok: false; rcode: number | null };

/** res_send: the answer from the first server that gives one. */
export function* resSend(conf: ResolvConf, query: DnsMessage): Sys<SendResult> {
  const servers = conf.nameservers;
  const n = servers.length;
  // RES_ROTATE: start at another server each time (glibc keeps a counter; the id stands in for it).
  const first = conf.rotate ? query.id % n : 0;
  const socks = new Map<number, number>();
  let rcode: number | null = null;
  try {
    for (let attempt = 0; attempt < conf.attempts; attempt++) {
      for (let k = 0; k < n; k++) {
        const ns = (first + k) % n;
        const server = servers[ns]!;
        let fd = socks.get(ns);
        if (fd === undefined) {
          const o = yield* openUdp(server, DNS_PORT);
          if (typeof o === 'string') continue; // no route: next server
          fd = o;
          socks.set(ns, fd);
        }
        const x = yield* udpExchange(fd, query, serverTimeoutS(conf, ns) * NS_PER_S);
        if (!x.ok) {
          if (x.error === 'interrupted') return { ok: false, rcode };
          // A timeout keeps the socket (the next attempt sends from the same port); an ICMP error
          // closes it (send_dg's err_out -> __res_iclose).
          if (x.error !== 'timeout') {
            yield* sys.close(fd);
            socks.delete(ns);
          }
          continue;
        }
        const rc = x.reply.rcode;
        if (rc === DnsRcode.SERVFAIL || rc === DnsRcode.NOTIMP || rc === DnsRcode.REFUSED) {
          rcode = rc; // next_ns
          continue;
        }
        if (x.reply.tc) {
          // Truncated: the same server over TCP (send_vc).
          const t = yield* tcpExchange(server, DNS_PORT, query, conf.timeout * NS_PER_S);
          if (t.ok) return t;
          continue;
        }
        return x;
      }
    }
    return { ok: false, rcode };
  } finally {
    for (const fd of socks.values()) yield* sys.close(fd);
  }
}

/** servfail: TRY_AGAIN because a server said SERVFAIL (res_search then tries the next domain). */
export type QueryResult = { ok: true; reply: DnsParsed } | { ok: false; herrno: HErrno; servfail?: boolean };

/** res_query: one name, one type; the rcode becomes h_errno as glibc maps it. */
export function* resQuery(conf: ResolvConf, name: string, type: number): Sys<QueryResult> {
  if (checkDnsName(name) !== null) return { ok: false, herrno: 'NO_RECOVERY' };
  const q = dnsQuery(yield* nextQueryId(), name.replace(/\.$/, ''), type);
  const x = yield* resSend(conf, q);
  // res_query: res_send failing is TRY_AGAIN, whatever the last reply said.
  if (!x.ok) return { ok: false, herrno: 'TRY_AGAIN', servfail: x.rcode === DnsRcode.SERVFAIL };
  const r = x.reply;
  if (r.rcode === DnsRcode.NOERROR && r.answers.length > 0) return { ok: true, reply: r };
  switch (r.rcode) {
    case DnsRcode.NXDOMAIN:
      return { ok: false, herrno: 'HOST_NOT_FOUND' };
    case DnsRcode.SERVFAIL:
      return { ok: false, herrno: 'TRY_AGAIN', servfail: true };
    case DnsRcode.NOERROR:
      return { ok: false, herrno: 'NO_DATA' };
    default:
      return { ok: false, herrno: 'NO_RECOVERY' };
  }
}

/** The names res_search tries for `name`, in order (the search list and the name as is). */
export function searchCandidates(conf: ResolvConf, name: string): string[] {
  if (name.endsWith('.')) return [name.slice(0, -1)];
  const dots = name.split('.').length - 1;
  const out: string[] = [];
  if (dots >= conf.ndots) out.push(name);
  for (const d of conf.search) out.push(`${name}.${d}`);
  if (dots < conf.ndots) out.push(name);
  return out;
}

/**
 * res_search: each candidate until one answers. NXDOMAIN and NODATA go on to the next, as does
 * SERVFAIL; a server that does not answer at all ends the search list (glibc's "done"), but the
 * name as is is still tried. The error is the first one for an as-is name with enough dots, else
 * NODATA if any candidate had that, else TRY_AGAIN after a SERVFAIL, else the last one's.
 */
export function* resSearch(conf: ResolvConf, name: string, type: number): Sys<QueryResult & { name?: string }> {
  const trailing = name.endsWith('.');
  const bare = trailing ? name.slice(0, -1) : name;
  if (trailing) return { ...(yield* resQuery(conf, bare, type)), name: bare };
  const dots = bare.split('.').length - 1;
  let saved: HErrno | null = null;
  let gotNodata = false;
  let gotServfail = false;
  let last: HErrno = 'HOST_NOT_FOUND';
  let triedAsIs = false;
  if (dots >= conf.ndots) {
    const r = yield* resQuery(conf, bare, type);
    if (r.ok) return { ...r, name: bare };
    saved = r.herrno;
    last = r.herrno;
    triedAsIs = true;
  }
  for (const d of conf.search) {
    const full = `${bare}.${d}`;
    const r = yield* resQuery(conf, full, type);
    if (r.ok) return { ...r, name: full };
    last = r.herrno;
    if (r.herrno === 'NO_DATA') gotNodata = true;
    else if (r.herrno === 'HOST_NOT_FOUND') continue;
    else if (r.herrno === 'TRY_AGAIN' && r.servfail) gotServfail = true;
    else break; // no server answered (or NO_RECOVERY): glibc's "done
  }
  if (!triedAsIs) {
    const r = yield* resQuery(conf, bare, type);
    if (r.ok) return { ...r, name: bare };
    last = r.herrno;
  }
  const herrno = saved ?? (gotNodata ? 'NO_DATA' : gotServfail ? 'TRY_AGAIN' : last);
  return { ok: false, herrno };
}

// ---------------------------------------------------------------- the lookups programs use

export type HostLookup = { addr: number; name: string; addrs?: number[]; canonical?: string } | { error: string };

/** A records of a reply for `name`, following CNAMEs in the answer section (getanswer_r). */
export function addressesOf(reply: DnsParsed, name: string): { addrs: number[]; canonical: string } {
  let want = name.replace(/\.$/, '').toLowerCase();
  let canonical = name.replace(/\.$/, '');
  const addrs: number[] = [];
  for (let hops = 0; hops < 16; hops++) {
    const cname = reply.answers.find((r) => r.type === DnsType.CNAME && r.name.toLowerCase() === want);
    for (const r of reply.answers) if (r.type === DnsType.A && r.class === DnsClass.IN && r.name.toLowerCase() === want && typeof r.data === 'number') addrs.push(r.data);
    if (addrs.length || !cname || typeof cname.data !== 'string') break;
    canonical = cname.data;
    want = cname.data.toLowerCase();
  }
  return { addrs, canonical };
}

/** gethostbyname over DNS only: the A records of `name` after the search list. */
export function* resolveA(name: string, conf?: ResolvConf): Sys<HostLookup> {
  const c = conf ?? (yield* readResolvConf());
  const r = yield* resSearch(c, name, DnsType.A);
  if (!r.ok) return { error: herrnoText(r.herrno) };
  const { addrs, canonical } = addressesOf(r.reply, r.name ?? name);
  if (addrs.length === 0) return { error: EAI_NODATA_TEXT };
  return { addr: addrs[0]!, addrs, name, canonical };
}

/** gethostbyaddr over DNS only: the PTR record of the address's in-addr.arpa name (no search list). */
export function* resolvePtr(addr: number, conf?: ResolvConf): Sys<{ name: string } | { error: string }> {
  const c = conf ?? (yield* readResolvConf());
  const owner = reverseName(addr);
  const r = yield* resQuery(c, owner, DnsType.PTR);
  if (!r.ok) return { error: herrnoText(r.herrno) };
  const ptr = r.reply.answers.find((a) => a.type === DnsType.PTR && a.name.toLowerCase() === owner && typeof a.data === 'string');
  return ptr ? { name: ptr.data as string } : { error: EAI_NODATA_TEXT };
}

/** /etc/hosts lines: ADDRESS NAME [ALIAS...], '#' starts a comment (hosts(5)). */
export function parseHosts(text: string): { addr: number; names: string[] }[] {
  const out: { addr: number; names: string[] }[] = [];
  for (const line of text.split('\n')) {
    const [addr, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    const a = addr ? parseIpv4(addr) : null;
    if (a !== null && names.length) out.push({ addr: a, names });
  }
  return out;
}

/** The "files" source of nsswitch: /etc/hosts, names compared without case, a trailing dot ignored. */
export function* hostsLookup(name: string): Sys<number | null> {
  const wanted = name.toLowerCase().replace(/\.$/, '');
  const f = yield* readFile(HOSTS_FILE);
  if (isErr(f)) return null;
  for (const h of parseHosts(decodeUtf8(f))) if (h.names.some((n) => n.toLowerCase() === wanted)) return h.addr;
  return null;
}

/**
 * getaddrinfo for IPv4 with nsswitch "hosts: files dns": a dotted address as is, then /etc/hosts,
 * then DNS (the resolver above). Errors are gai_strerror texts.
 *
 * The lab's convention: a machine without /etc/resolv.conf has no DNS configured, and the dns
 * source is skipped (as if nsswitch.conf said "hosts: files"). glibc would ask 127.0.0.1 and,
 * with nobody there, fail with "Temporary failure in name resolution"; resolveA and dig still do.
 */
export function* lookupHost(name: string): Sys<HostLookup> {
  const lit = parseIpv4(name);
  if (lit !== null) return { addr: lit, name };
  if (name === '' || checkDnsName(name) !== null) return { error: EAI_NONAME_TEXT };
  const h = yield* hostsLookup(name);
  if (h !== null) return { addr: h, name };
  if (isErr(yield* sys.stat(RESOLV_CONF))) return { error: EAI_NONAME_TEXT };
  return yield* resolveA(name);
}

/** gethostbyaddr with "files dns": the first /etc/hosts name of the address, then its PTR record. */
export function* lookupAddr(addr: number): Sys<{ name: string } | { error: string }> {
  const f = yield* readFile(HOSTS_FILE);
  if (!isErr(f)) {
    const h = parseHosts(decodeUtf8(f)).find((e) => e.addr === addr);
    if (h) return { name: h.names[0]! };
  }
  return yield* resolvePtr(addr);
}
