// ftp, the classic interactive client (netkit-ftp's commands, prompts and messages):
//   ftp [-p] [-n] [host [port]]      -p: passive mode; -n: no automatic login
// Active mode (the default, as netkit's): for each transfer the client listens on a fresh port and
// sends PORT; the server connects to it from port 20. Passive (`passive`, or -p): PASV, and the
// client connects to the port the server opened. Replies are printed as the server sent them.
import { concatBytes } from '../../../../shared/wire';
import { isErr, POLLIN, sys, type Sys } from '../../process';
import { decodeUtf8, encodeUtf8 } from '../../process/utf8';
import { readFile, writeFile } from '../lib/files';
import { getpass } from '../lib/getpass';
import { LineReader, TOO_LONG, writeAll } from '../lib/lineio';
import { resolveHost } from '../lib/net';
import { splitWords } from '../words';
import { err, out } from '../stdio';

const DATA_TIMEOUT_NS = 60e9;

interface Reply {
  code: number;
  text: string;
}

interface Client {
  ctrl: number | null;
  reader: LineReader | null;
  host: string;
  passive: boolean;
  binary: boolean;
  localUser: string;
}

const HELP = [
  'ascii', 'binary', 'bye', 'cd', 'cdup', 'close', 'delete', 'dir', 'exit', 'get', 'help', 'lcd', 'ls', 'mkdir', 'nlist',
  'open', 'passive', 'put', 'pwd', 'quit', 'quote', 'rename', 'rmdir', 'size', 'status', 'system', 'user',
];

/** One reply, single- or multi-line (RFC 959 §4.2: "123-" opens, "123 " closes); printed as it comes. */
function* getReply(c: Client, print = true): Sys<Reply> {
  if (!c.reader) return { code: 421, text: 'Not connected.' };
  let first: string | null = null;
  let code = 0;
  for (;;) {
    const line = yield* c.reader.line();
    if (line === null || isErr(line)) {
      yield* out('421 Service not available, remote server has closed connection\n');
      yield* disconnect(c);
      return { code: 421, text: 'closed' };
    }
    if (line === TOO_LONG) continue;
    if (print) yield* out(`${line}\n`);
    const m = /^(\d{3})([ -])/.exec(line);
    if (first === null) {
      first = line;
      code = m ? Number(m[1]) : 0;
      if (m && m[2] === ' ') return { code, text: line };
      continue;
    }
    if (m && Number(m[1]) === code && m[2] === ' ') return { code, text: first };
  }
}

function* command(c: Client, cmd: string, print = true): Sys<Reply> {
  if (c.ctrl === null) return { code: 421, text: 'Not connected.' };
  const w = yield* writeAll(c.ctrl, `${cmd}\r\n`);
  if (isErr(w)) {
    yield* disconnect(c);
    return { code: 421, text: 'Not connected.' };
  }
  return yield* getReply(c, print);
}

function* disconnect(c: Client): Sys<void> {
  if (c.ctrl !== null) yield* sys.close(c.ctrl);
  c.ctrl = null;
  c.reader = null;
}

function* open(c: Client, host: string, port: number, autoLogin: boolean): Sys<void> {
  if (c.ctrl !== null) {
    yield* out(`Already connected to ${c.host}, use close first.\n`);
    return;
  }
  const r = yield* resolveHost(host);
  if ('error' in r) {
    yield* err(`ftp: ${host}: ${r.error}\n`);
    return;
  }
  const fd = yield* sys.socket('stream', 'tcp');
  if (isErr(fd)) return;
  const k = yield* sys.connect(fd, r.addr, port);
  if (isErr(k)) {
    yield* err(`ftp: connect: ${k.message}\n`);
    yield* sys.close(fd);
    return;
  }
  c.ctrl = fd;
  c.reader = new LineReader(fd, 8192);
  c.host = host;
  yield* out(`Connected to ${host}.\n`);
  const hello = yield* getReply(c);
  if (hello.code !== 220 || !autoLogin) return;
  yield* out(`Name (${host}:${c.localUser}): `);
  const name = yield* sys.read(0, 4096);
  if (isErr(name)) return;
  const user = (typeof name === 'string' ? name : decodeUtf8(name)).trim() || c.localUser;
  yield* login(c, user, null);
}

function* login(c: Client, user: string, password: string | null): Sys<void> {
  let r = yield* command(c, `USER ${user}`);
  if (r.code === 331) {
    const pass = password ?? (yield* getpass('Password: ')) ?? '';
    r = yield* command(c, `PASS ${pass}`);
  }
  if (r.code !== 230) {
    yield* out('Login failed.\n');
    return;
  }
  const syst = yield* command(c, 'SYST', false);
  if (syst.code === 215 && /UNIX Type: L8/.test(syst.text)) {
    yield* out('Remote system type is UNIX.\nUsing binary mode to transfer files.\n');
    const t = yield* command(c, 'TYPE I', false);
    if (t.code === 200) c.binary = true;
  }
}

/** Set up the data connection: listen + PORT (active) or PASV + connect (passive). */
function* prepareData(c: Client): Sys<{ listen: number } | { conn: number } | null> {
  if (c.ctrl === null) return null;
  const local = yield* sys.getsockname(c.ctrl);
  if (isErr(local)) return null;
  if (c.passive) {
    const r = yield* command(c, 'PASV');
    const m = /\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)/.exec(r.text);
    if (r.code !== 227 || !m) return null;
    const n = m.slice(1).map(Number);
    const addr = ((n[0]! << 24) | (n[1]! << 16) | (n[2]! << 8) | n[3]!) >>> 0;
    const fd = yield* sys.socket('stream', 'tcp');
    if (isErr(fd)) return null;
    const k = yield* sys.connect(fd, addr, n[4]! * 256 + n[5]!);
    if (isErr(k)) {
      yield* err(`ftp: connect: ${k.message}\n`);
      yield* sys.close(fd);
      return null;
    }
    return { conn: fd };
  }
  const fd = yield* sys.socket('stream', 'tcp');
  if (isErr(fd)) return null;
  const b = yield* sys.bind(fd, local.addr, 0);
  const l = isErr(b) ? b : yield* sys.listen(fd, 1);
  const name = isErr(l) ? l : yield* sys.getsockname(fd);
  if (isErr(name)) {
    yield* sys.close(fd);
    return null;
  }
  const a = local.addr;
  const r = yield* command(c, `PORT ${a >>> 24},${(a >>> 16) & 255},${(a >>> 8) & 255},${a & 255},${name.port >> 8},${name.port & 255}`);
  if (r.code !== 200) {
    yield* sys.close(fd);
    return null;
  }
  return { listen: fd };
}

/** Send the transfer command; on a 1xx reply return the connected data socket. */
function* startTransfer(c: Client, cmd: string): Sys<number | null> {
  const plan = yield* prepareData(c);
  if (!plan) return null;
  const r = yield* command(c, cmd);
  if (r.code < 100 || r.code >= 200) {
    yield* sys.close('listen' in plan ? plan.listen : plan.conn);
    return null;
  }
  if ('conn' in plan) return plan.conn;
  const ready = yield* sys.poll([{ fd: plan.listen, events: POLLIN }], DATA_TIMEOUT_NS);
  const a = isErr(ready) || ready.length === 0 ? null : yield* sys.accept(plan.listen);
  yield* sys.close(plan.listen);
  return a && !isErr(a) ? a.fd : null;
}

function* receiveAll(fd: number): Sys<Uint8Array> {
  const parts: Uint8Array[] = [];
  for (;;) {
    const d = yield* sys.recv(fd, 65536);
    if (isErr(d) || d.length === 0) break;
    parts.push(d);
  }
  yield* sys.close(fd);
  return concatBytes(parts);
}

function* stats(what: 'received' | 'sent', bytes: number, t0: number): Sys<void> {
  const secs = ((yield* sys.now()) - t0) / 1e9;
  const kbs = bytes / 1024 / Math.max(secs, 1e-6);
  const rate = kbs >= 1024 ? `${(kbs / 1024).toFixed(4)} MB/s` : `${kbs.toFixed(4)} kB/s`;
  yield* out(`${bytes} bytes ${what} in ${secs.toFixed(2)} secs (${rate})\n`);
}

function* list(c: Client, verb: 'LIST' | 'NLST', path: string | undefined): Sys<void> {
  const fd = yield* startTransfer(c, path ? `${verb} ${path}` : verb);
  if (fd === null) return;
  const data = yield* receiveAll(fd);
  yield* out(decodeUtf8(data).replace(/\r\n/g, '\n'));
  yield* getReply(c);
}

function* get(c: Client, remote: string, local: string): Sys<void> {
  yield* out(`local: ${local} remote: ${remote}\n`);
  const t0 = yield* sys.now();
  const fd = yield* startTransfer(c, `RETR ${remote}`);
  if (fd === null) return;
  let data = yield* receiveAll(fd);
  if (!c.binary) data = encodeUtf8(decodeUtf8(data).replace(/\r\n/g, '\n'));
  const r = yield* getReply(c);
  const w = yield* writeFile(local, data);
  if (isErr(w)) yield* err(`local: ${local}: ${w.message}\n`);
  else if (r.code === 226) yield* stats('received', data.length, t0);
}

function* put(c: Client, local: string, remote: string): Sys<void> {
  const data = yield* readFile(local);
  if (isErr(data)) {
    yield* err(`local: ${local}: ${data.message}\n`);
    return;
  }
  yield* out(`local: ${local} remote: ${remote}\n`);
  const t0 = yield* sys.now();
  const fd = yield* startTransfer(c, `STOR ${remote}`);
  if (fd === null) return;
  yield* writeAll(fd, c.binary ? data : encodeUtf8(decodeUtf8(data).replace(/\r?\n/g, '\r\n')));
  yield* sys.close(fd);
  const r = yield* getReply(c);
  if (r.code === 226) yield* stats('sent', data.length, t0);
}

/** Run one command line; false to leave. */
function* run(c: Client, words: string[]): Sys<boolean> {
  const [cmd, ...args] = words as [string, ...string[]];
  const needConn = !['open', 'help', '?', 'bye', 'quit', 'exit', 'passive', 'lcd', 'status', 'ascii', 'binary', 'bin', 'close', 'disconnect'].includes(cmd);
  if (needConn && c.ctrl === null) {
    if (HELP.includes(cmd) || cmd === 'get' || cmd === 'put') yield* out('Not connected.\n');
    else yield* out('?Invalid command.\n');
    return true;
  }
  switch (cmd) {
    case 'open':
      if (!args[0]) yield* out('usage: open host-name [port]\n');
      else yield* open(c, args[0], args[1] ? Number(args[1]) : 21, true);
      break;
    case 'user':
      if (!args[0]) yield* out('usage: user username [password]\n');
      else yield* login(c, args[0], args[1] ?? null);
      break;
    case 'ls':
    case 'dir':
      yield* list(c, 'LIST', args[0]);
      break;
    case 'nlist':
      yield* list(c, 'NLST', args[0]);
      break;
    case 'get':
    case 'recv':
      if (!args[0]) yield* out('(remote-file) usage: get remote-file [local-file]\n');
      else yield* get(c, args[0], args[1] ?? args[0].slice(args[0].lastIndexOf('/') + 1));
      break;
    case 'put':
    case 'send':
      if (!args[0]) yield* out('(local-file) usage: put local-file [remote-file]\n');
      else yield* put(c, args[0], args[1] ?? args[0].slice(args[0].lastIndexOf('/') + 1));
      break;
    case 'cd':
      yield* command(c, `CWD ${args[0] ?? ''}`);
      break;
    case 'cdup':
      yield* command(c, 'CDUP');
      break;
    case 'pwd':
      yield* command(c, 'PWD');
      break;
    case 'lcd': {
      const dir = args[0] ?? (yield* homeDir());
      const r = yield* sys.chdir(dir);
      if (isErr(r)) yield* out(`local: ${dir}: ${r.message}\n`);
      else yield* out(`Local directory now ${yield* sys.getcwd()}\n`);
      break;
    }
    case 'binary':
    case 'bin':
    case 'ascii': {
      if (c.ctrl === null) {
        c.binary = cmd !== 'ascii';
        break;
      }
      const r = yield* command(c, cmd === 'ascii' ? 'TYPE A' : 'TYPE I');
      if (r.code === 200) c.binary = cmd !== 'ascii';
      break;
    }
    case 'passive':
      c.passive = !c.passive;
      yield* out(`Passive mode ${c.passive ? 'on' : 'off'}.\n`);
      break;
    case 'delete':
      yield* command(c, `DELE ${args[0] ?? ''}`);
      break;
    case 'mkdir':
      yield* command(c, `MKD ${args[0] ?? ''}`);
      break;
    case 'rmdir':
      yield* command(c, `RMD ${args[0] ?? ''}`);
      break;
    case 'rename': {
      const r = yield* command(c, `RNFR ${args[0] ?? ''}`);
      if (r.code === 350) yield* command(c, `RNTO ${args[1] ?? ''}`);
      break;
    }
    case 'size':
      yield* command(c, `SIZE ${args[0] ?? ''}`);
      break;
    case 'system':
      yield* command(c, 'SYST');
      break;
    case 'quote':
    case 'literal':
      yield* command(c, args.join(' '));
      break;
    case 'status':
      yield* out(c.ctrl !== null ? `Connected to ${c.host}.\n` : 'Not connected.\n');
      yield* out(`Mode: stream; Type: ${c.binary ? 'binary' : 'ascii'}; Form: non-print; Structure: file\nPassive mode: ${c.passive ? 'on' : 'off'}.\n`);
      break;
    case 'close':
    case 'disconnect':
      if (c.ctrl === null) yield* out('Not connected.\n');
      else {
        yield* command(c, 'QUIT');
        yield* disconnect(c);
      }
      break;
    case 'bye':
    case 'quit':
    case 'exit':
      if (c.ctrl !== null) {
        yield* command(c, 'QUIT');
        yield* disconnect(c);
      }
      return false;
    case 'help':
    case '?':
      yield* out(`Commands may be abbreviated.  Commands are:\n\n${HELP.join('\t')}\n`);
      break;
    default:
      yield* out('?Invalid command.\n');
  }
  return true;
}

function* homeDir(): Sys<string> {
  const pw = yield* sys.getpwuid((yield* sys.getuid()).uid);
  return isErr(pw) ? '/' : pw.home;
}

export function* ftp(argv: string[]): Sys<number> {
  let passive = false;
  let autoLogin = true;
  const rest: string[] = [];
  for (const a of argv.slice(1)) {
    if (a === '-p') passive = true;
    else if (a === '-n') autoLogin = false;
    else if (a === '-v' || a === '-i' || a === '-d') continue;
    else if (a.startsWith('-')) {
      yield* err(`ftp: ${a}: unknown option\n`);
      return 1;
    } else rest.push(a);
  }
  const pw = yield* sys.getpwuid((yield* sys.getuid()).uid);
  const c: Client = { ctrl: null, reader: null, host: '', passive, binary: true, localUser: isErr(pw) ? 'root' : pw.name };
  if (rest[0]) yield* open(c, rest[0], rest[1] ? Number(rest[1]) : 21, autoLogin);
  for (;;) {
    yield* out('ftp> ');
    const line = yield* sys.read(0, 4096);
    if (isErr(line)) continue;
    const text = typeof line === 'string' ? line : decodeUtf8(line);
    if (text === '') {
      // End of input (Ctrl-D): leave like `bye`.
      yield* out('\n');
      yield* run(c, ['bye']);
      return 0;
    }
    const words = splitWords(text.trim());
    if ('error' in words || words.length === 0) continue;
    if (!(yield* run(c, words))) return 0;
  }
}

