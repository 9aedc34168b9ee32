// mail (Heirloom mailx's reader and sender) and sendmail (the MTA's command line), both speaking
// SMTP (RFC 5321) straight to the recipient's machine, port 25, as mailx does with `smtp` set:
//
//   mail [-H] [-e] [-f FILE]                    read /var/mail/$USER (or FILE); -H: headers only;
//                                               -e: exit 0 if there is mail
//   mail [-v] [-s SUBJECT] [-c CC] [-b BCC] [-r FROM] ADDR...
//                                               send: the body is read up to "." or Ctrl-D
//   sendmail [-v] [-t] [-i] [-f FROM] [ADDR...] send a whole message (header and body) from stdin;
//                                               -v prints the SMTP dialogue, -t takes the
//                                               recipients from To/Cc/Bcc, -i: "." does not end it
//
// An address without a host goes to this machine (127.0.0.1); a dotted address is written as an
// address literal in the envelope and header (user@[10.0.0.2], RFC 5321 §4.1.3). Where mailx would
// queue through a local MTA, these connect themselves and, when the message cannot be sent, keep
// it in ~/dead.letter, as mailx and sendmail do.
import { LAB_DOMAIN } from '../../fs';
import { formatIpv4, parseIpv4 } from '../../../../shared/wire';
import { isErr, O_TRUNC, O_WRONLY, POLLIN, sys, type Passwd, type Sys } from '../../process';
import { decodeUtf8, encodeUtf8 } from '../../process/utf8';
import { civil, mailDate } from '../lib/clock';
import { readFile, writeFile } from '../lib/files';
import { LineReader, TOO_LONG, writeAll } from '../lib/lineio';
import { resolveHost } from '../lib/net';
import { getopt } from '../getopt';
import { err, out } from '../stdio';

const SMTP_PORT = 25;
const MAIL_SPOOL = '/var/mail';
/** The lab's DNS domain (fs/default-tree.ts LAB_DOMAIN). */
const DOMAIN = LAB_DOMAIN;
/** RFC 5321 §4.5.3.2: the client waits minutes, not forever, for each reply. */
const REPLY_TIMEOUT_NS = 300e9;
// sysexits.h, what sendmail exits with.
const EX_USAGE = 64;
const EX_NOUSER = 67;
const EX_NOHOST = 68;
const EX_UNAVAILABLE = 69;
const EX_TEMPFAIL = 75;

interface Me {
  pw: Passwd;
  host: string;
  fqdn: string;
}

function* whoami(): Sys<Me | null> {
  const { uid } = yield* sys.getuid();
  const pw = yield* sys.getpwuid(uid);
  if (isErr(pw)) {
    yield* err(`mail: cannot find the user of uid ${uid}\n`);
    return null;
  }
  const host = (yield* sys.gethostname()).toLowerCase();
  return { pw, host, fqdn: `${host}.${DOMAIN}` };
}

// ---------------------------------------------------------------- addresses

interface Rcpt {
  /** The address for RCPT TO and the header: user@host, user@[10.0.0.2] or user@HOSTNAME.lab. */
  address: string;
  /** Where to connect: a host name, a dotted address, or '127.0.0.1' for this machine. */
  server: string;
}

/** "Name <a@b>" or "a@b" -> the address; null if it is not one. */
export function addrSpec(text: string): string | null {
  const m = /<([^<>]*)>/.exec(text);
  const a = (m ? m[1]! : text).trim();
  return a && !/[\s<>,;]/.test(a) ? a : null;
}

/** The envelope address and the server for what the user typed. */
export function recipient(typed: string, me: { host: string; fqdn: string }): Rcpt | null {
  const a = addrSpec(typed);
  if (!a) return null;
  const at = a.lastIndexOf('@');
  if (at < 0) return { address: `${a}@${me.fqdn}`, server: '127.0.0.1' };
  const user = a.slice(0, at);
  const host = a.slice(at + 1).toLowerCase();
  if (!user || !host) return null;
  const lit = /^\[(.*)\]$/.exec(host)?.[1] ?? host;
  const ip = parseIpv4(lit);
  if (ip !== null) return { address: `${user}@[${formatIpv4(ip)}]`, server: formatIpv4(ip) };
  if (host === 'localhost' || host === me.host || host === me.fqdn) return { address: `${user}@${host}`, server: '127.0.0.1' };
  return { address: `${user}@${host}`, server: host };
}

/** Addresses of To/Cc/Bcc header values ("a@b, Name <c@d>"). */
function headerAddresses(value: string): string[] {
  return value.split(',').map((x) => addrSpec(x)).filter((x): x is string => x !== null);
}

// ---------------------------------------------------------------- the SMTP client

interface Reply {
  code: number;
  lines: string[];
}

interface Conn {
  fd: number;
  r: LineReader;
  verbose: boolean;
  ext: Map<string, string>;
}

/** One reply, single or multi-line ("250-" continues, "250 " ends: RFC 5321 §4.2.1). */
function* readReply(c: Conn): Sys<Reply> {
  const lines: string[] = [];
  for (;;) {
    if (c.r.buffered === 0) {
      const ready = yield* sys.poll([{ fd: c.fd, events: POLLIN }], REPLY_TIMEOUT_NS);
      if (!isErr(ready) && ready.length === 0) return { code: 421, lines: [...lines, '421 timeout waiting for the server'] };
    }
    const line = yield* c.r.line();
    if (line === null || isErr(line)) return { code: 421, lines: [...lines, '421 connection closed by the server'] };
    if (line === TOO_LONG) continue;
    if (c.verbose) yield* out(`${line}\n`);
    lines.push(line);
    const m = /^(\d{3})([ -]|$)/.exec(line);
    if (!m) return { code: 500, lines };
    if (m[2] !== '-') return { code: Number(m[1]), lines };
  }
}

function* command(c: Conn, line: string): Sys<Reply> {
  if (c.verbose) yield* out(`>>> ${line}\n`);
  const w = yield* writeAll(c.fd, `${line}\r\n`);
  if (isErr(w)) return { code: 421, lines: [`421 ${w.message}`] };
  return yield* readReply(c);
}

const isAscii = (lines: string[]) => lines.every((l) => /^[\x00-\x7f]*$/.test(l));

/** The message as it goes after DATA: CRLF line ends, dot-stuffed (RFC 5321 §4.5.2), then ".". */
export function dataBytes(lines: string[]): string {
  return lines.map((l) => `${l.startsWith('.') ? '.' : ''}${l}\r\n`).join('') + '.\r\n';
}

interface Outcome {
  rcpt: string;
  /** null: accepted by the server; otherwise why not (a reply line or a connect error). */
  error: string | null;
  /** The reply code of the failure (0 for connect and name errors). */
  code: number;
}

/** One SMTP transaction with one server for its recipients: EHLO, MAIL, RCPT..., DATA, QUIT. */
function* transact(server: string, rcpts: string[], from: string, lines: string[], me: Me, verbose: boolean): Sys<Outcome[]> {
  const fail = (error: string, code = 0) => rcpts.map((rcpt) => ({ rcpt, error, code }));
  const label = parseIpv4(server) !== null ? `[${server}]` : server;
  if (verbose) yield* out(`${rcpts.join(', ')}... Connecting to ${label} via esmtp...\n`);
  const where = yield* resolveHost(server);
  if ('error' in where) return fail(`${server}: ${where.error}`);
  const fd = yield* sys.socket('stream', 'tcp');
  if (isErr(fd)) return fail(`socket: ${fd.message}`);
  const k = yield* sys.connect(fd, where.addr, SMTP_PORT);
  if (isErr(k)) {
    yield* sys.close(fd);
    return fail(`connect to ${label} port ${SMTP_PORT}: ${k.message}`);
  }
  const c: Conn = { fd, r: new LineReader(fd, 4096), verbose, ext: new Map() };
  const result = yield* dialogue(c, rcpts, from, lines, me, label);
  yield* sys.close(fd);
  return result;
}

function* dialogue(c: Conn, rcpts: string[], from: string, lines: string[], me: Me, label: string): Sys<Outcome[]> {
  const fail = (r: Reply) => rcpts.map((rcpt) => ({ rcpt, error: r.lines[r.lines.length - 1] ?? `${r.code}`, code: r.code }));
  const hello = yield* readReply(c);
  if (hello.code !== 220) return fail(hello);
  let ehlo = yield* command(c, `EHLO ${me.fqdn}`);
  if (ehlo.code === 250) {
    for (const l of ehlo.lines.slice(1)) {
      const [kw, ...rest] = l.slice(4).split(' ');
      c.ext.set(kw!.toUpperCase(), rest.join(' '));
    }
  } else ehlo = yield* command(c, `HELO ${me.fqdn}`);
  if (ehlo.code !== 250) return fail(ehlo);
  const size = lines.reduce((n, l) => n + encodeUtf8(l).length + 2, 0);
  // RFC 1870: announce the size; RFC 6152: declare 8-bit text where the server takes it.
  const params = `${c.ext.has('SIZE') ? ` SIZE=${size}` : ''}${c.ext.has('8BITMIME') && !isAscii(lines) ? ' BODY=8BITMIME' : ''}`;
  const mail = yield* command(c, `MAIL FROM:<${from}>${params}`);
  if (mail.code !== 250) {
    yield* quit(c, label);
    return fail(mail);
  }
  const outcomes: Outcome[] = [];
  for (const rcpt of rcpts) {
    const r = yield* command(c, `RCPT TO:<${rcpt}>`);
    outcomes.push({ rcpt, error: r.code === 250 || r.code === 251 ? null : r.lines[r.lines.length - 1]!, code: r.code });
  }
  if (outcomes.every((o) => o.error !== null)) {
    yield* quit(c, label);
    return outcomes;
  }
  const go = yield* command(c, 'DATA');
  if (go.code !== 354) {
    yield* quit(c, label);
    return fail(go);
  }
  const w = yield* writeAll(c.fd, dataBytes(lines));
  if (c.verbose) yield* out('>>> .\n');
  const done = isErr(w) ? { code: 421, lines: [`421 ${w.message}`] } : yield* readReply(c);
  if (done.code !== 250) {
    yield* quit(c, label);
    return fail(done);
  }
  if (c.verbose) {
    const text = done.lines[done.lines.length - 1]!.replace(/^\d{3} (\d\.\d+\.\d+ )?/, '');
    for (const o of outcomes) if (o.error === null) yield* out(`${o.rcpt}... Sent (${text})\n`);
  }
  yield* quit(c, label);
  return outcomes;
}

function* quit(c: Conn, label: string): Sys<void> {
  if (c.verbose) yield* out(`Closing connection to ${label}\n`);
  yield* command(c, 'QUIT');
}

/** Send to every recipient, one connection per server; the failures. */
function* deliver(rcpts: Rcpt[], from: string, lines: string[], me: Me, verbose: boolean): Sys<Outcome[]> {
  const byServer = new Map<string, string[]>();
  for (const r of rcpts) {
    const list = byServer.get(r.server) ?? [];
    if (!list.includes(r.address)) list.push(r.address);
    byServer.set(r.server, list);
  }
  const failed: Outcome[] = [];
  for (const [server, list] of byServer) {
    for (const o of yield* transact(server, list, from, lines, me, verbose)) if (o.error !== null) failed.push(o);
  }
  return failed;
}

/** Keep an unsent message in ~/dead.letter (appended, as mailx and sendmail do); its path, or an error line. */
function* deadLetter(me: Me, lines: string[]): Sys<{ path: string; size: string } | { error: string }> {
  const path = `${me.pw.home === '/' ? '' : me.pw.home}/dead.letter`;
  const text = lines.map((l) => `${l}\n`).join('');
  const w = yield* writeFile(path, text, true, 0o600);
  return isErr(w) ? { error: `${path}: ${w.message}` } : { path, size: `${lines.length}/${encodeUtf8(text).length}` };
}

// ---------------------------------------------------------------- composing

/** sendmail's and mailx's Message-ID: <YYYYMMDDhhmmss.PID@host.lab>, the same on every run. */
function messageId(now: number, pid: number, fqdn: string): string {
  const c = civil(now);
  const p = (n: number) => String(n).padStart(2, '0');
  return `<${c.year}${p(c.month)}${p(c.day)}${p(c.hour)}${p(c.minute)}${p(c.second)}.${pid}@${fqdn}>`;
}

function* readBody(input: LineReader, dotEnds: boolean): Sys<string[]> {
  const lines: string[] = [];
  for (;;) {
    const l = yield* input.line();
    if (l === null || isErr(l)) break;
    if (l === TOO_LONG) continue;
    if (dotEnds && l === '.') break;
    lines.push(l);
  }
  return lines;
}

function* send(me: Me, o: { subject: string | null; to: string[]; cc: string[]; bcc: string[]; from: string | null; verbose: boolean }): Sys<number> {
  const all = [...o.to, ...o.cc, ...o.bcc].map((t) => ({ t, r: recipient(t, me) }));
  const bad = all.find((x) => x.r === null);
  if (bad) {
    yield* err(`mail: ${bad.t}: invalid address\n`);
    return 1;
  }
  const input = new LineReader(0, 65536);
  let subject = o.subject;
  if (subject === null) {
    yield* out('Subject: ');
    const l = yield* input.line();
    subject = typeof l === 'string' ? l : '';
  }
  const body = yield* readBody(input, true);
  yield* out('EOT\n');
  if (body.length === 0) yield* err("Null message body; hope that's ok\n");
  const now = yield* sys.now();
  const from = o.from ?? `${me.pw.name}@${me.fqdn}`;
  const addr = (list: string[]) => list.map((t) => recipient(t, me)!.address).join(', ');
  const head = [`Date: ${mailDate(now)}`, `From: ${from}`, `To: ${addr(o.to)}`, ...(o.cc.length ? [`Cc: ${addr(o.cc)}`] : []), `Subject: ${subject}`, `Message-ID: ${messageId(now, yield* sys.getpid(), me.fqdn)}`];
  if (!isAscii([subject, ...body])) head.push('MIME-Version: 1.0', 'Content-Type: text/plain; charset=UTF-8', 'Content-Transfer-Encoding: 8bit');
  const lines = [...head, '', ...body];
  const failed = yield* deliver(all.map((x) => x.r!), addrSpec(from) ?? from, lines, me, o.verbose);
  if (failed.length === 0) return 0;
  for (const f of failed) yield* err(f.code ? `smtp-server: ${f.error}\n` : `mail: ${f.error}\n`);
  const dead = yield* deadLetter(me, lines);
  yield* err(`${'error' in dead ? dead.error : `"${dead.path}" ${dead.size}`}\n. . . message not sent.\n`);
  return 1;
}

export function* mail(argv: string[]): Sys<number> {
  const g = getopt('mail', argv, 'vHes:c:b:r:f:');
  if ('error' in g) {
    yield* err(`${g.error}Usage: mail [-v] [-s subject] [-c cc] [-b bcc] [-r from] to-addr ...\n       mail [-H] [-e] [-f file]\n`);
    return 1;
  }
  const has = (k: string) => g.opts.some((x) => x.key === k);
  const vals = (k: string) => g.opts.filter((x) => x.key === k).flatMap((x) => x.value!.split(',').map((v) => v.trim()).filter(Boolean));
  const me = yield* whoami();
  if (!me) return 1;
  if (g.args.length === 0 && ['s', 'c', 'b', 'r', 'v'].some(has)) {
    yield* err('mail: no recipients specified\n');
    return 1;
  }
  if (g.args.length === 0) {
    const file = g.opts.find((x) => x.key === 'f')?.value ?? `${MAIL_SPOOL}/${me.pw.name}`;
    return yield* reader(me, file, has('H') ? 'headers' : has('e') ? 'check' : 'interactive');
  }
  const subject = g.opts.find((x) => x.key === 's')?.value ?? null;
  return yield* send(me, { subject, to: g.args, cc: vals('c'), bcc: vals('b'), from: g.opts.find((x) => x.key === 'r')?.value ?? null, verbose: has('v') });
}

/** Split a message into its header fields (unfolded) and body; none when it does not start with one. */
function splitMessage(lines: string[]): { head: string[]; body: string[] } {
  const head: string[] = [];
  let i = 0;
  for (; i < lines.length; i++) {
    const l = lines[i]!;
    if (l === '') {
      i++;
      break;
    }
    if (/^[ \t]/.test(l) && head.length) head[head.length - 1] += `\n${l}`;
    else if (/^[!-9;-~]+:/.test(l)) head.push(l);
    else break;
  }
  return { head, body: lines.slice(i) };
}

export function* sendmail(argv: string[]): Sys<number> {
  const g = getopt('sendmail', argv, 'vtif:F:o:');
  if ('error' in g) {
    yield* err(`${g.error}Usage: sendmail [-v] [-t] [-i] [-f from] [address ...]\n`);
    return EX_USAGE;
  }
  const has = (k: string) => g.opts.some((x) => x.key === k);
  const me = yield* whoami();
  if (!me) return EX_UNAVAILABLE;
  const ignoreDots = has('i') || g.opts.some((x) => x.key === 'o' && x.value === 'i');
  const input = new LineReader(0, 65536);
  const { head, body } = splitMessage(yield* readBody(input, !ignoreDots));
  const field = (name: string) => head.filter((h) => h.toLowerCase().startsWith(`${name.toLowerCase()}:`)).map((h) => h.slice(name.length + 1).trim());
  const typed = [...g.args];
  if (has('t')) for (const f of ['To', 'Cc', 'Bcc']) for (const v of field(f)) typed.push(...headerAddresses(v.replace(/\n/g, ' ')));
  if (typed.length === 0) {
    yield* err('sendmail: no recipients\n');
    return EX_USAGE;
  }
  const rcpts: Rcpt[] = [];
  for (const t of typed) {
    const r = recipient(t, me);
    if (!r) {
      yield* err(`${t}... Bad address syntax\n`);
      return EX_USAGE;
    }
    rcpts.push(r);
  }
  const from = g.opts.find((x) => x.key === 'f')?.value ?? `${me.pw.name}@${me.fqdn}`;
  const now = yield* sys.now();
  // sendmail adds what the message lacks (Date, From, Message-ID; To when it has no recipient field) and drops Bcc.
  const headers = head.filter((h) => !/^bcc:/i.test(h));
  if (!field('Date').length) headers.push(`Date: ${mailDate(now)}`);
  if (!field('From').length) headers.push(`From: ${from}`);
  if (!field('To').length && !field('Cc').length) headers.push(`To: ${rcpts.map((r) => r.address).join(', ')}`);
  if (!field('Message-ID').length) headers.push(`Message-ID: ${messageId(now, yield* sys.getpid(), me.fqdn)}`);
  const lines = [...headers.flatMap((h) => h.split('\n')), '', ...body];
  const failed = yield* deliver(rcpts, from, lines, me, has('v'));
  if (failed.length === 0) return 0;
  for (const f of failed) yield* err(`${f.rcpt}... ${f.error}\n`);
  const dead = yield* deadLetter(me, lines);
  yield* err('error' in dead ? `${dead.error}\n` : `${dead.path}... Saved message in ${dead.path}\n`);
  const codes = failed.map((f) => f.code);
  if (codes.some((c) => c === 0)) return failed.some((f) => /Name or service/.test(f.error ?? '')) ? EX_NOHOST : EX_TEMPFAIL;
  if (codes.some((c) => c >= 500)) return codes.some((c) => c === 550) ? EX_NOUSER : EX_UNAVAILABLE;
  return EX_TEMPFAIL;
}

// ---------------------------------------------------------------- reading a mailbox

export interface MboxMessage {
  /** The message as stored: its "From " line through the blank line that ends it. */
  raw: string;
  from: string;
  /** ctime of the "From " line: "Thu Jan  1 00:00:02 2026". */
  date: string;
  subject: string;
  lines: number;
  octets: number;
  /** N new, U seen before but unread (Status: O), R read (Status: RO). */
  status: 'N' | 'U' | 'R';
}

/** An mbox file (mboxo: a message starts at "From " at the top or after a blank line). */
export function parseMbox(text: string): MboxMessage[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const starts: number[] = [];
  lines.forEach((l, i) => {
    if (l.startsWith('From ') && (i === 0 || lines[i - 1] === '')) starts.push(i);
  });
  return starts.map((start, k) => {
    const part = lines.slice(start, starts[k + 1] ?? lines.length);
    const raw = part.map((l) => `${l}\n`).join('');
    const fromLine = part[0]!;
    const sender = fromLine.slice(5).split(' ')[0]!;
    const { head } = splitMessage(part.slice(1));
    const field = (name: string) => head.find((h) => h.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).replace(/\n[ \t]*/g, ' ').trim();
    const status = field('status') ?? '';
    return {
      raw,
      from: addrSpec(field('from') ?? '') ?? sender,
      date: fromLine.slice(5 + sender.length).trim(),
      subject: field('subject') ?? '',
      lines: part.length,
      octets: encodeUtf8(raw).length,
      status: status.includes('R') ? 'R' : status.includes('O') ? 'U' : 'N',
    };
  });
}

/** The message with its Status field set (mailx writes it when it leaves a folder). */
export function withStatus(raw: string, status: string): string {
  const end = raw.indexOf('\n\n');
  const headEnd = end < 0 ? raw.length : end + 1;
  const head = raw.slice(0, headEnd).replace(/^Status:.*\n(?:[ \t].*\n)*/im, '');
  return `${head}Status: ${status}\n${raw.slice(headEnd)}`;
}

interface Box {
  path: string;
  original: string;
  msgs: MboxMessage[];
  deleted: Set<number>;
  /** Read in this session. */
  read: Set<number>;
  /** 1-based current message. */
  cur: number;
  shown: boolean;
}

function headline(b: Box, n: number): string {
  const m = b.msgs[n - 1]!;
  const flag = b.read.has(n) ? 'R' : m.status === 'R' ? ' ' : m.status;
  return `${n === b.cur ? '>' : ' '}${flag}${String(n).padStart(3)} ${m.from.slice(0, 18).padEnd(18)} ${m.date.slice(0, 16).padEnd(16)} ${String(m.lines).padStart(4)}/${String(m.octets).padEnd(5)} ${m.subject}`;
}

function* headers(b: Box): Sys<void> {
  for (let n = 1; n <= b.msgs.length; n++) if (!b.deleted.has(n)) yield* out(`${headline(b, n)}\n`);
}

function* printMessage(b: Box, n: number): Sys<void> {
  const raw = b.msgs[n - 1]!.raw;
  // The Status field is the reader's own bookkeeping: not shown (only the header is searched).
  const end = raw.indexOf('\n\n');
  const headEnd = end < 0 ? raw.length : end + 1;
  const shown = (raw.slice(0, headEnd).replace(/^Status:.*\n/im, '') + raw.slice(headEnd)).replace(/\n$/, '');
  yield* out(`Message ${n}:\n${shown}\n`);
  b.read.add(n);
  b.cur = n;
  b.shown = true;
}

/** A message list: "3", "1-4", "*", "$", "." (the current one when empty). Null with an error printed. */
function* messageList(b: Box, arg: string, includeDeleted = false): Sys<number[] | null> {
  const list: number[] = [];
  const words = arg.split(/[\s,]+/).filter(Boolean);
  if (words.length === 0) words.push('.');
  for (const w of words) {
    const range = /^(\d+)-(\d+)$/.exec(w);
    let ns: number[];
    if (w === '*') ns = b.msgs.map((_, i) => i + 1);
    else if (w === '.') ns = [b.cur];
    else if (w === '$') ns = [b.msgs.length];
    else if (w === '^') ns = [1];
    else if (range) ns = Array.from({ length: Math.max(0, Number(range[2]) - Number(range[1]) + 1) }, (_, i) => Number(range[1]) + i);
    else if (/^\d+$/.test(w)) ns = [Number(w)];
    else {
      yield* err(`Unknown message specification: "${w}"\n`);
      return null;
    }
    for (const n of ns) {
      if (n < 1 || n > b.msgs.length) {
        yield* err(`${n}: Invalid message number\n`);
        return null;
      }
      if (b.deleted.has(n) && !includeDeleted && w !== '*') {
        yield* err(`${n}: Inappropriate message\n`);
        return null;
      }
      if (!(b.deleted.has(n) && !includeDeleted) && !list.includes(n)) list.push(n);
    }
  }
  return list;
}

const nextUndeleted = (b: Box, from: number, step = 1) => {
  for (let n = from; n >= 1 && n <= b.msgs.length; n += step) if (!b.deleted.has(n)) return n;
  return 0;
};

const HELP_TEXT = `               Mail   Commands
t <message list>                type messages
n                               goto and type next message
h                               print out active message headers
d <message list>                delete messages
u <message list>                undelete messages
q                               quit and save changes (read messages stay here: hold)
x                               quit, discarding changes
<message number>                type that message
=                               print the current message number
`;

function summary(b: Box): string {
  const count = (s: MboxMessage['status']) => b.msgs.filter((m) => m.status === s).length;
  const [n, u] = [count('N'), count('U')];
  return `"${b.path}": ${b.msgs.length} message${b.msgs.length === 1 ? '' : 's'}${n ? ` ${n} new` : ''}${u ? ` ${u} unread` : ''}\n`;
}

function* reader(me: Me, path: string, mode: 'interactive' | 'headers' | 'check'): Sys<number> {
  const data = yield* readFile(path);
  const text = isErr(data) ? '' : decodeUtf8(data);
  const msgs = parseMbox(text);
  if (mode === 'check') return msgs.length ? 0 : 1;
  if (msgs.length === 0) {
    if (!isErr(data) || data.name === 'ENOENT') yield* out(`No mail for ${me.pw.name}\n`);
    else yield* err(`mail: ${path}: ${data.message}\n`);
    return 1;
  }
  const firstNew = msgs.findIndex((m) => m.status !== 'R');
  const b: Box = { path, original: text, msgs, deleted: new Set(), read: new Set(), cur: firstNew >= 0 ? firstNew + 1 : 1, shown: false };
  if (mode === 'headers') {
    yield* headers(b);
    return 0;
  }
  yield* out('PacketLab mail 1.0 (Heirloom mailx style).  Type ? for help.\n');
  yield* out(summary(b));
  yield* headers(b);
  const input = new LineReader(0, 4096);
  for (;;) {
    yield* out('? ');
    const line = yield* input.line();
    if (line === null || isErr(line)) return yield* quitReader(b);
    if (line === TOO_LONG) continue;
    const m = /^\s*(\d+|[a-zA-Z]+|[?=+\-!]?)\s*(.*?)\s*$/.exec(line)!;
    const verb = m[1]!;
    const arg = m[2]!;
    if (/^\d+$/.test(verb)) {
      const list = yield* messageList(b, verb);
      if (list) for (const n of list) yield* printMessage(b, n);
      continue;
    }
    switch (verb) {
      case '':
      case 'n':
      case 'next':
      case '+':
      case '-': {
        const n = verb === '-' ? nextUndeleted(b, b.cur - 1, -1) : !b.shown && !b.deleted.has(b.cur) ? b.cur : nextUndeleted(b, b.cur + 1);
        if (n) yield* printMessage(b, n);
        else yield* out(verb === '-' ? 'Referencing before 1\n' : 'At EOF\n');
        break;
      }
      case 'p':
      case 'print':
      case 't':
      case 'type': {
        const list = yield* messageList(b, arg);
        if (list) for (const n of list) yield* printMessage(b, n);
        break;
      }
      case 'd':
      case 'delete': {
        const list = yield* messageList(b, arg);
        if (!list) break;
        for (const n of list) b.deleted.add(n);
        // mailx moves on from a deleted current message.
        if (b.deleted.has(b.cur)) {
          b.cur = nextUndeleted(b, b.cur + 1) || nextUndeleted(b, b.cur - 1, -1) || b.cur;
          b.shown = false;
        }
        break;
      }
      case 'u':
      case 'undelete': {
        const list = yield* messageList(b, arg, true);
        if (list) for (const n of list) b.deleted.delete(n);
        break;
      }
      case 'h':
      case 'headers':
      case 'f':
      case 'from':
        yield* headers(b);
        break;
      case '=':
        yield* out(`${b.cur}\n`);
        break;
      case '?':
      case 'help':
        yield* out(HELP_TEXT);
        break;
      case 'q':
      case 'quit':
        return yield* quitReader(b);
      case 'x':
      case 'xit':
      case 'ex':
      case 'exit':
        return 0;
      default:
        yield* err(`Unknown command: "${verb || line.trim()}"\n`);
    }
  }
}

/** q (and end of input): write the folder back without the deleted messages, read ones marked. */
function* quitReader(b: Box): Sys<number> {
  const kept = b.msgs.map((m, i) => ({ m, n: i + 1 })).filter(({ n }) => !b.deleted.has(n));
  const text = kept.map(({ m, n }) => withStatus(m.raw, b.read.has(n) || m.status === 'R' ? 'RO' : 'O')).join('');
  // New mail may have been appended while we read: keep it (mailx does the same).
  const now = yield* readFile(b.path);
  const current = isErr(now) ? '' : decodeUtf8(now);
  if (!current.startsWith(b.original)) {
    yield* err(`mail: ${b.path}: changed by another program; not updated\n`);
    return 1;
  }
  const arrived = current.slice(b.original.length);
  const fd = yield* sys.open(b.path, O_WRONLY | O_TRUNC);
  if (isErr(fd)) {
    yield* err(`mail: ${b.path}: ${fd.message}\n`);
    return 1;
  }
  const w = yield* writeAll(fd, text + arrived);
  yield* sys.close(fd);
  if (isErr(w)) {
    yield* err(`mail: ${b.path}: ${w.message}\n`);
    return 1;
  }
  if (kept.length) yield* out(`Held ${kept.length} message${kept.length === 1 ? '' : 's'} in ${b.path}\n`);
  if (arrived) yield* out(`New mail has arrived.\n`);
  return 0;
}
