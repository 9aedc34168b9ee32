// An SMTP server (RFC 5321) for local delivery, in the manner of a small Postfix: its reply texts
// and enhanced status codes (RFC 3463), its checks (unknown users 550 5.1.1, relaying refused 554
// 5.7.1, bad sequence 503 5.5.1) and its mbox delivery to /var/mail/USER.
//
//   smtpd [-p PORT] [-s BYTES]      -s: message_size_limit (default 10240000, what EHLO's SIZE says)
//
// Per connection (daemon.ts forks it) one process reads commands a line at a time and answers each
// in order, so pipelined commands (RFC 2920) need nothing more than the buffered reader. Where
// Postfix hands a message to cleanup, the queue and local(8), this session delivers it itself,
// synchronously, before it answers the final "." (the reply still says "queued as", as Postfix's).
// So the session keeps root, as local(8) does, where Postfix's smtpd(8) runs as the postfix user;
// it reads only the client's commands and writes only /var/mail and its log.
import { LAB_DOMAIN } from '../../fs';
import { formatIpv4, parseIpv4 } from '../../../../shared/wire';
import type { AddrInfo } from '../../net/netlink';
import { Errno, isErr, O_APPEND, O_CREAT, O_EXCL, O_WRONLY, POLLIN, sys, type Passwd, type Sys } from '../../process';
import { encodeUtf8 } from '../../process/utf8';
import { ctime, mailDate } from '../lib/clock';
import { serveTcp, type Peer } from '../lib/daemon';
import { LineReader, TOO_LONG, writeAll } from '../lib/lineio';
import type { DaemonLog } from '../lib/log';
import { err } from '../stdio';
import { portArg } from './args';

export const MAIL_SPOOL = '/var/mail';
/** The lab's DNS domain (fs/default-tree.ts LAB_DOMAIN): `server` is `server.lab`. */
export const MAIL_DOMAIN = LAB_DOMAIN;
export const DEFAULT_MAX_SIZE = 10_240_000; // Postfix message_size_limit
/** RFC 5321 §4.5.3.1.4: a command line is at most 512 octets with its CRLF. */
export const MAX_COMMAND_LINE = 510;
/** RFC 5321 §4.5.3.1.6: a text line is at most 1000 octets with its CRLF. */
export const MAX_TEXT_LINE = 998;
const MAX_RCPT = 100; // RFC 5321 §4.5.3.1.8: at least 100 recipients must be buffered
const IDLE_NS = 300e9; // RFC 5321 §4.5.3.2.7 server timeout; Postfix smtpd_timeout
const HARD_ERROR_LIMIT = 20; // Postfix smtpd_hard_error_limit
const TIMEOUT: unique symbol = Symbol('timeout');

/** /etc/aliases as Debian ships it: RFC 5321 §4.5.1 requires a postmaster. */
const ALIASES: Record<string, string> = { postmaster: 'root', 'mailer-daemon': 'postmaster', abuse: 'root' };

const KNOWN = new Set(['HELO', 'EHLO', 'MAIL', 'RCPT', 'DATA', 'RSET', 'NOOP', 'VRFY', 'HELP', 'QUIT']);
const NOT_IMPLEMENTED = new Set(['EXPN', 'TURN', 'ETRN', 'ATRN', 'BDAT', 'AUTH', 'STARTTLS', 'SEND', 'SOML', 'SAML']);

interface Rcpt {
  /** The address as the client gave it (without the angle brackets). */
  address: string;
  user: Passwd;
}

interface Envelope {
  /** The reverse-path; '' is the null sender <> of bounces (RFC 5321 §4.5.5). */
  from: string;
  rcpts: Rcpt[];
}

interface Session {
  peer: Peer;
  log: DaemonLog;
  r: LineReader;
  /** Our name: the host name qualified with the lab's domain. */
  fqdn: string;
  host: string;
  client: string;
  /** The local addresses ([10.0.0.2] names this machine). */
  local: Set<number>;
  maxSize: number;
  helo: string | null;
  esmtp: boolean;
  env: Envelope | null;
  errors: number;
  /** Postfix's disconnect statistics: "ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5". */
  counts: Map<string, number>;
  last: string;
}

// ---------------------------------------------------------------- replies and input

/** One reply line; every 4xx/5xx counts towards the hard error limit. */
function* reply(s: Session, text: string): Sys<void> {
  if (text[0] === '4' || text[0] === '5') s.errors++;
  yield* writeAll(s.peer.fd, `${text}\r\n`);
}

/** A multi-line reply (RFC 5321 §4.2.1): "250-" on every line but the last. */
function* replyLines(s: Session, code: number, lines: string[]): Sys<void> {
  yield* writeAll(s.peer.fd, lines.map((l, i) => `${code}${i < lines.length - 1 ? '-' : ' '}${l}\r\n`).join(''));
}

/** The next line, or null when the client went away, or TIMEOUT after IDLE_NS of silence. */
function* nextLine(s: Session): Sys<string | null | typeof TOO_LONG | typeof TIMEOUT> {
  if (s.r.buffered === 0) {
    const ready = yield* sys.poll([{ fd: s.peer.fd, events: POLLIN }], IDLE_NS);
    if (!isErr(ready) && ready.length === 0) return TIMEOUT;
  }
  const line = yield* s.r.line();
  return line === null || isErr(line) ? null : line;
}

// ---------------------------------------------------------------- addresses

/** "FROM:<a@b> SIZE=12" -> the path (brackets, source route removed) and the parameters. */
export function parsePath(arg: string, keyword: 'FROM' | 'TO'): { path: string; params: string[] } | null {
  // Postfix (strict_rfc821_envelopes = no) also takes "FROM: <a@b>" and "FROM:a@b".
  const m = new RegExp(`^${keyword}:\\s*(<[^<>]*>|[^\\s<>]+)(?:\\s+(.*))?$`, 'i').exec(arg.trim());
  if (!m) return null;
  let path = m[1]!;
  if (path.startsWith('<')) path = path.slice(1, -1);
  // RFC 5321 §4.1.2 and appendix C: a source route "@a,@b:user@c" is accepted and ignored.
  path = path.replace(/^@[^:]*:/, '');
  return { path, params: (m[2] ?? '').split(/\s+/).filter(Boolean) };
}

const LOCAL_PART = /^(?:"(?:[^"\\]|\\.)*"|[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*)$/;
const DOMAIN = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.?|\[\d{1,3}(?:\.\d{1,3}){3}\])$/;

/** RFC 5321 §4.1.2 Mailbox: Local-part ["@" Domain / address-literal] (the domain may be left out). */
export function splitAddress(a: string): { local: string; domain: string | null } | null {
  const at = a.lastIndexOf('@');
  const local = at < 0 ? a : a.slice(0, at);
  const domain = at < 0 ? null : a.slice(at + 1);
  if (!LOCAL_PART.test(local) || (domain !== null && !DOMAIN.test(domain))) return null;
  return { local, domain };
}

/** Is `domain` this machine: its name, NAME.lab, localhost, or one of its addresses ([10.0.0.2]; bare 10.0.0.2 too)? */
function isLocalDomain(s: Session, domain: string): boolean {
  const d = domain.toLowerCase().replace(/\.$/, '');
  if (d === s.host || d === s.fqdn || d === 'localhost' || d === `localhost.${MAIL_DOMAIN}`) return true;
  const addr = parseIpv4(d.replace(/^\[(.*)\]$/, '$1'));
  return addr !== null && s.local.has(addr);
}

// ---------------------------------------------------------------- commands

function* hello(s: Session, verb: 'HELO' | 'EHLO', arg: string): Sys<void> {
  if (!arg) return yield* reply(s, `501 Syntax: ${verb} hostname`);
  // RFC 5321 §4.1.4: EHLO/HELO in the middle of a transaction resets it, as RSET does.
  s.helo = arg.split(/\s+/)[0]!;
  s.esmtp = verb === 'EHLO';
  s.env = null;
  const greet = `${s.fqdn} Hello ${s.helo} [${s.client}]`;
  if (verb === 'HELO') return yield* reply(s, `250 ${greet}`);
  // Only what this server implements: PIPELINING (RFC 2920), SIZE (RFC 1870), 8BITMIME (RFC 6152),
  // ENHANCEDSTATUSCODES (RFC 2034) and HELP.
  yield* replyLines(s, 250, [greet, 'PIPELINING', `SIZE ${s.maxSize}`, '8BITMIME', 'ENHANCEDSTATUSCODES', 'HELP']);
}

function* mailFrom(s: Session, arg: string): Sys<void> {
  if (!s.helo) return yield* reply(s, '503 5.5.1 Error: send HELO/EHLO first');
  if (s.env) return yield* reply(s, '503 5.5.1 Error: nested MAIL command');
  const p = parsePath(arg, 'FROM');
  if (!p) return yield* reply(s, '501 5.5.4 Syntax: MAIL FROM:<address>');
  if (p.path !== '' && !splitAddress(p.path)) return yield* reply(s, '501 5.1.7 Bad sender address syntax');
  for (const param of p.params) {
    const [key, value] = [param.split('=')[0]!.toUpperCase(), param.includes('=') ? param.slice(param.indexOf('=') + 1) : null];
    if (!s.esmtp) return yield* reply(s, `555 5.5.4 Unsupported option: ${param}`);
    if (key === 'SIZE') {
      // RFC 1870 §6: a declared size over the limit is refused before any data is sent.
      if (value === null || !/^\d{1,20}$/.test(value)) return yield* reply(s, '501 5.5.4 Bad message size syntax');
      if (Number(value) > s.maxSize) return yield* reply(s, '552 5.3.4 Message size exceeds fixed limit');
    } else if (key === 'BODY') {
      if (value === null || !/^(7BIT|8BITMIME)$/i.test(value)) return yield* reply(s, '501 5.5.4 Unsupported BODY parameter');
    } else return yield* reply(s, `555 5.5.4 Unsupported option: ${param}`);
  }
  s.env = { from: p.path, rcpts: [] };
  yield* reply(s, '250 2.1.0 Ok');
}

function* rcptTo(s: Session, arg: string): Sys<void> {
  if (!s.env) return yield* reply(s, '503 5.5.1 Error: need MAIL command');
  const p = parsePath(arg, 'TO');
  if (!p) return yield* reply(s, '501 5.5.4 Syntax: RCPT TO:<address>');
  const a = splitAddress(p.path);
  if (!a) return yield* reply(s, '501 5.1.3 Bad recipient address syntax');
  if (p.params.length) return yield* reply(s, `555 5.5.4 Unsupported option: ${p.params[0]}`);
  if (s.env.rcpts.length >= MAX_RCPT) return yield* reply(s, '452 4.5.3 Error: too many recipients');
  // Only mail for this machine; nothing is relayed (Postfix's reject_unauth_destination).
  if (a.domain !== null && !isLocalDomain(s, a.domain)) return yield* reply(s, `554 5.7.1 <${p.path}>: Relay access denied`);
  let name = a.local.toLowerCase();
  for (let hops = 0; hops < 5 && Object.hasOwn(ALIASES, name); hops++) name = ALIASES[name]!;
  const user = yield* sys.getpwnam(name);
  if (isErr(user)) return yield* reply(s, `550 5.1.1 <${p.path}>: Recipient address rejected: User unknown in local recipient table`);
  // The same mailbox twice gets one copy (Postfix's duplicate_filter).
  if (!s.env.rcpts.some((r) => r.user.uid === user.uid)) s.env.rcpts.push({ address: p.path, user });
  yield* reply(s, '250 2.1.5 Ok');
}

/** DATA: 354, then text lines up to "." (RFC 5321 §4.1.1.4), dot-unstuffed (§4.5.2). False: the client went away. */
function* data(s: Session, arg: string): Sys<boolean> {
  if (arg) {
    yield* reply(s, '501 5.5.4 Syntax: DATA');
    return true;
  }
  if (!s.env) {
    yield* reply(s, '503 5.5.1 Error: need RCPT command');
    return true;
  }
  if (s.env.rcpts.length === 0) {
    yield* reply(s, '554 5.5.1 Error: no valid recipients');
    return true;
  }
  const env = s.env;
  yield* reply(s, '354 End data with <CR><LF>.<CR><LF>');
  const lines: string[] = [];
  let size = 0;
  let tooLong = false;
  // Only <CR><LF>.<CR><LF> ends the data (RFC 5321 §4.1.1.4; Postfix 3.9's smtpd_forbid_bare_newline
  // = normalize): a "." line next to a bare LF is text, which closes the SMTP smuggling hole.
  let afterCrlf = true;
  for (;;) {
    const line = yield* nextLine(s);
    const wasAfterCrlf = afterCrlf;
    afterCrlf = s.r.lastEnding === 'crlf';
    if (line === null || line === TIMEOUT) {
      // Nothing is delivered from an unfinished message.
      if (line === TIMEOUT) yield* reply(s, `421 4.4.2 ${s.fqdn} Error: timeout exceeded`);
      yield* s.log.line(`${line === TIMEOUT ? 'timeout' : 'lost connection'} after DATA (${size} bytes) from unknown[${s.client}]`);
      return false;
    }
    if (line === TOO_LONG) {
      tooLong = true;
      continue;
    }
    if (line === '.' && wasAfterCrlf && s.r.lastEnding === 'crlf') break;
    const text = line.startsWith('.') ? line.slice(1) : line;
    const n = encodeUtf8(text).length;
    if (n > MAX_TEXT_LINE) tooLong = true;
    size += n + 2;
    // Past the limit the rest is read and dropped: the reply comes after the final dot (§4.5.3.1.10).
    if (size <= s.maxSize) lines.push(text);
  }
  s.env = null;
  if (size > s.maxSize) {
    yield* s.log.line(`reject: message from unknown[${s.client}]: size=${size} exceeds limit ${s.maxSize}`);
    yield* reply(s, '552 5.3.4 Error: message file too big');
  } else if (tooLong) {
    yield* s.log.line(`reject: message from unknown[${s.client}]: text line longer than ${MAX_TEXT_LINE + 2} octets`);
    yield* reply(s, `500 5.5.2 Error: text line too long (RFC 5321 limit is ${MAX_TEXT_LINE + 2} octets)`);
  } else {
    const id = yield* deliverAll(s, env, lines, size);
    yield* reply(s, id ? `250 2.0.0 Ok: queued as ${id}` : '451 4.3.0 Error: local delivery failed');
  }
  return true;
}

function* command(s: Session, line: string): Sys<boolean> {
  const m = /^\s*(\S+)\s*(.*?)\s*$/.exec(line);
  if (!m) {
    yield* reply(s, '500 5.5.2 Error: bad syntax');
    return true;
  }
  const verb = m[1]!.toUpperCase();
  const arg = m[2]!;
  s.last = verb;
  const key = KNOWN.has(verb) ? verb.toLowerCase() : 'unknown';
  s.counts.set(key, (s.counts.get(key) ?? 0) + 1);
  switch (verb) {
    case 'HELO':
    case 'EHLO':
      yield* hello(s, verb, arg);
      return true;
    case 'MAIL':
      yield* mailFrom(s, arg);
      return true;
    case 'RCPT':
      yield* rcptTo(s, arg);
      return true;
    case 'DATA':
      return yield* data(s, arg);
    case 'RSET':
      if (arg) yield* reply(s, '501 5.5.4 Syntax: RSET');
      else {
        s.env = null;
        yield* reply(s, '250 2.0.0 Ok');
      }
      return true;
    case 'NOOP':
      yield* reply(s, '250 2.0.0 Ok');
      return true;
    case 'VRFY':
      // RFC 5321 §3.5.3: 252 neither confirms nor denies (no user enumeration).
      yield* reply(s, arg ? '252 2.0.0 Cannot VRFY user, but will accept message and attempt delivery' : '501 5.5.4 Syntax: VRFY address');
      return true;
    case 'HELP':
      yield* replyLines(s, 214, ['2.0.0 Commands supported:', '2.0.0   HELO EHLO MAIL RCPT DATA', '2.0.0   RSET NOOP VRFY HELP QUIT', '2.0.0 See RFC 5321']);
      return true;
    case 'QUIT':
      yield* reply(s, '221 2.0.0 Bye');
      return false;
    default:
      // RFC 5321 §4.2.4: 502 for a command we know of but do not do, 500 for one we do not know.
      yield* reply(s, NOT_IMPLEMENTED.has(verb) ? '502 5.5.1 Error: command not implemented' : '500 5.5.2 Error: command not recognized');
      return true;
  }
}

// ---------------------------------------------------------------- delivery

/** Postfix-like queue id: the microseconds and the pid in hex, so every run names it the same. */
function queueId(now: number, pid: number): string {
  return `${(Math.floor(now / 1000) % 0x10000000).toString(16)}${pid.toString(16).padStart(3, '0')}`.toUpperCase();
}

/** RFC 5321 §4.4 trace header, Postfix's layout; "for" only with a single recipient. */
function receivedHeader(s: Session, env: Envelope, id: string, now: number): string {
  const via = `by ${s.fqdn} (PacketLab smtpd) with ${s.esmtp ? 'ESMTP' : 'SMTP'} id ${id}`;
  const tail = env.rcpts.length === 1 ? `\n\tfor <${env.rcpts[0]!.address}>; ${mailDate(now)}` : `;\n\t${mailDate(now)}`;
  // No reverse DNS in the lab: the client's address is "unknown", as Postfix writes it without a PTR.
  return `Received: from ${s.helo} (unknown [${s.client}])\n\t${via}${tail}\n`;
}

/** Deliver to every recipient; the queue id, or null if any mailbox could not be written. */
function* deliverAll(s: Session, env: Envelope, lines: string[], size: number): Sys<string | null> {
  const now = yield* sys.now();
  const id = queueId(now, yield* sys.getpid());
  // mbox ("mboxo"): a "From " line opens each message, so one inside it becomes ">From ".
  const body = lines.map((l) => (l.startsWith('From ') ? `>${l}\n` : `${l}\n`)).join('');
  const head = `From ${env.from || 'MAILER-DAEMON'}  ${ctime(now)}\nReturn-Path: <${env.from}>\n${receivedHeader(s, env, id, now)}`;
  let ok = true;
  for (const rcpt of env.rcpts) {
    const path = `${MAIL_SPOOL}/${rcpt.user.name}`;
    const r = yield* appendMailbox(path, rcpt.user, `${head}${body}\n`);
    ok &&= !isErr(r);
    const status = isErr(r) ? `status=deferred (cannot append to ${path}: ${r.message})` : `status=sent (delivered to mailbox ${path})`;
    yield* s.log.line(`${id}: from=<${env.from}> to=<${rcpt.address}> size=${size} ${status}`);
  }
  return ok ? id : null;
}

/**
 * Append to the mailbox, creating it (owned by the user, mode 0600) when missing. Postfix's local(8)
 * creates it as root and fchown()s it; the lab has no chown(2), so a child made the user creates an
 * empty file in /tmp and root moves it into /var/mail (rename keeps the owner). Between the second
 * stat and the rename nothing blocks, so two sessions cannot both install a new mailbox.
 */
function* appendMailbox(path: string, user: Passwd, text: string): Sys<number | Errno> {
  const st = yield* sys.stat(path);
  if (isErr(st) && st.name !== 'ENOENT') return st;
  if (!isErr(st) && st.type !== 'file') return new Errno('EISDIR');
  if (isErr(st)) {
    const child = yield* sys.fork(function* () {
      if (isErr(yield* sys.setuid(user.uid))) return 1;
      const fd = yield* sys.open(`/tmp/.smtpd.${yield* sys.getpid()}`, O_WRONLY | O_CREAT | O_EXCL, 0o600);
      if (isErr(fd)) return 1;
      yield* sys.close(fd);
      return 0;
    });
    if (isErr(child)) return child;
    yield* sys.waitpid(child);
    const tmp = `/tmp/.smtpd.${child}`;
    const made = yield* sys.stat(tmp);
    if (!isErr(made) && made.uid === user.uid) {
      if (isErr(yield* sys.stat(path))) yield* sys.rename(tmp, path);
      else yield* sys.unlink(tmp);
    }
  }
  // Still missing (no /tmp?): create it as root rather than lose the message.
  const fd = yield* sys.open(path, O_WRONLY | O_APPEND | O_CREAT, 0o600);
  if (isErr(fd)) return fd;
  const w = yield* writeAll(fd, text);
  yield* sys.close(fd);
  return w;
}

// ---------------------------------------------------------------- the session

function* connection(peer: Peer, log: DaemonLog, maxSize: number): Sys<number> {
  const client = formatIpv4(peer.addr);
  yield* sys.setproctitle(`smtpd: ${client}`);
  const host = (yield* sys.gethostname()).toLowerCase();
  const addrs = yield* sys.netlink<AddrInfo[]>('addrs');
  const s: Session = {
    peer, log, client, host, maxSize,
    r: new LineReader(peer.fd, MAX_TEXT_LINE),
    fqdn: `${host}.${MAIL_DOMAIN}`,
    local: new Set([...addrs.map((a) => a.addr), peer.localAddr]),
    helo: null, esmtp: false, env: null, errors: 0, counts: new Map(), last: 'CONNECT',
  };
  yield* reply(s, `220 ${s.fqdn} ESMTP PacketLab`);
  let end = 'disconnect';
  for (;;) {
    const line = yield* nextLine(s);
    if (line === TIMEOUT) {
      yield* reply(s, `421 4.4.2 ${s.fqdn} Error: timeout exceeded`);
      end = `timeout after ${s.last}`;
      break;
    }
    if (line === null) {
      end = `lost connection after ${s.last}`;
      break;
    }
    if (line === TOO_LONG || encodeUtf8(line).length > MAX_COMMAND_LINE) yield* reply(s, '500 5.5.2 Error: command line too long');
    else if (!(yield* command(s, line))) break;
    if (s.errors >= HARD_ERROR_LIMIT) {
      yield* reply(s, `421 4.7.0 ${s.fqdn} Error: too many errors`);
      end = `too many errors after ${s.last}`;
      break;
    }
  }
  const stats = [...s.counts].filter(([, n]) => n > 0).map(([k, n]) => `${k}=${n}`);
  const total = [...s.counts.values()].reduce((a, b) => a + b, 0);
  yield* log.line(`${end} from unknown[${client}] ${[...stats, `commands=${total}`].join(' ')}`);
  yield* sys.close(peer.fd);
  return 0;
}

export function* smtpd(argv: string[]): Sys<number> {
  const port = yield* portArg(argv, 25);
  if (port === null) return 2;
  let maxSize = DEFAULT_MAX_SIZE;
  const i = argv.indexOf('-s');
  if (i >= 0) {
    maxSize = Number(argv[i + 1]);
    if (!Number.isSafeInteger(maxSize) || maxSize < 1) {
      yield* err(`smtpd: -s ${argv[i + 1] ?? ''}: not a size in bytes\n`);
      return 2;
    }
  }
  return yield* serveTcp('smtpd', port, (peer, log) => connection(peer, log, maxSize));
}
