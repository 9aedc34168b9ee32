// An FTP server (RFC 959, with EPSV/EPRT of RFC 2428), modelled on vsftpd: its reply texts, its
// split into a privileged and an unprivileged process, and its rules (anonymous users are jailed in
// /srv/ftp and cannot upload; PORT/EPRT must name the client's own address).
//
// Per connection (daemon.ts forks it): the session answers USER/PASS as root. After a login it
// forks: the child drops to the user's uid and serves the session; the parent stays root as the
// "[priv]" helper, whose one job is what needs root, opening active-mode data connections FROM
// PORT 20 (ftp-data): the session asks over a socketpair and gets the connected socket back by
// SCM_RIGHTS, as vsftpd's privsep does. ps shows both; `ss -tanp` shows the data connection in the
// session's process after the pass.
import { formatIpv4 } from '../../../../shared/wire';
import { isErr, O_CREAT, O_TRUNC, O_WRONLY, POLLIN, sys, type Errno, type Passwd, type Sys } from '../../process';
import { decodeUtf8, encodeUtf8 } from '../../process/utf8';
import { resolvePath } from '../../fs/vfs';
import { serveTcp, type Peer } from '../lib/daemon';
import { readFile } from '../lib/files';
import { LineReader, TOO_LONG, writeAll } from '../lib/lineio';
import type { DaemonLog } from '../lib/log';
import { modeString } from '../ls';
import { ftpListDate } from '../lib/clock';
import { portArg } from './args';

export const ANON_ROOT = '/srv/ftp';
const FTP_DATA_PORT = 20;
const IDLE_NS = 300e9; // vsftpd idle_session_timeout
const DATA_TIMEOUT_NS = 60e9; // data_connection_timeout / accept_timeout
const MAX_LINE = 4096;
const FTP_UID = 107;

type DataPlan = { kind: 'port'; addr: number; port: number } | { kind: 'pasv'; fd: number } | null;

interface Session {
  peer: Peer;
  log: DaemonLog;
  user: string;
  anonymous: boolean;
  /** The filesystem path that is "/" for this user (the anonymous jail), and the virtual cwd. */
  root: string;
  cwd: string;
  binary: boolean;
  data: DataPlan;
  renameFrom: string | null;
  /** socketpair end to the [priv] process (active-mode connections from port 20). */
  priv: number;
}

function* reply(s: { peer: Peer }, code: number, text: string): Sys<void> {
  yield* writeAll(s.peer.fd, `${code} ${text}\r\n`);
}

/** A client path (relative to the virtual cwd) as the real filesystem path, inside the jail. */
function realPath(s: Session, path: string): { real: string; virtual: string } {
  const virtual = resolvePath(s.cwd, path || '.');
  return { real: s.root === '/' ? virtual : virtual === '/' ? s.root : s.root + virtual, virtual };
}

// ---------------------------------------------------------------- data connections

/** Open the data connection the client asked for with PORT/EPRT (via [priv]) or PASV/EPSV (accept). */
function* openData(s: Session): Sys<number | null> {
  const plan = s.data;
  s.data = null;
  if (!plan) return null;
  if (plan.kind === 'pasv') {
    const ready = yield* sys.poll([{ fd: plan.fd, events: POLLIN }], DATA_TIMEOUT_NS);
    const a = isErr(ready) || ready.length === 0 ? null : yield* sys.accept(plan.fd);
    yield* sys.close(plan.fd);
    if (!a || isErr(a)) return null;
    // vsftpd's pasv_promiscuous=NO: the data connection must come from the control peer.
    if (a.addr !== s.peer.addr) {
      yield* s.log.line(`passive data connection from ${formatIpv4(a.addr)} refused (control connection is ${formatIpv4(s.peer.addr)})`);
      yield* sys.close(a.fd);
      return null;
    }
    return a.fd;
  }
  const req = encodeUtf8(`connect ${plan.addr} ${plan.port} ${s.peer.localAddr}\n`);
  const w = yield* sys.send(s.priv, req);
  if (isErr(w)) return null;
  const m = yield* sys.recvmsg(s.priv, 256);
  if (isErr(m) || m.fds.length === 0) return null;
  return m.fds[0]!;
}

/** The [priv] process: connect from port 20 on the session's behalf and pass the socket back. */
function* privileged(channel: number, log: DaemonLog): Sys<number> {
  const r = new LineReader(channel, 256);
  for (;;) {
    const line = yield* r.line();
    if (line === null || isErr(line) || line === TOO_LONG) return 0;
    const [cmd, addr, port, local] = line.split(' ').map((x, i) => (i ? Number(x) : x)) as [string, number, number, number];
    if (cmd !== 'connect') continue;
    const fd = yield* sys.socket('stream', 'tcp');
    if (isErr(fd)) {
      yield* sys.send(channel, encodeUtf8('err\n'));
      continue;
    }
    // Several sessions may use port 20 at once, to different peers: SO_REUSEADDR, as vsftpd sets.
    yield* sys.setsockopt(fd, 'SO_REUSEADDR', 1);
    const b = yield* sys.bind(fd, local, FTP_DATA_PORT);
    const c = isErr(b) ? b : yield* sys.connect(fd, addr, port);
    if (isErr(c)) {
      yield* log.line(`active data connection to ${formatIpv4(addr)}:${port} from port ${FTP_DATA_PORT} failed: ${c.message}`);
      yield* sys.close(fd);
      yield* sys.send(channel, encodeUtf8('err\n'));
      continue;
    }
    yield* sys.sendmsg(channel, encodeUtf8('ok\n'), [fd]);
    yield* sys.close(fd);
  }
}

function* sendData(fd: number, data: Uint8Array): Sys<number | Errno> {
  const r = yield* writeAll(fd, data);
  yield* sys.close(fd);
  return r;
}

function* receiveData(fd: number, sink: (chunk: Uint8Array) => Sys<number | Errno>): Sys<number | Errno> {
  let total = 0;
  for (;;) {
    const d = yield* sys.recv(fd, 65536);
    if (isErr(d)) {
      yield* sys.close(fd);
      return d;
    }
    if (d.length === 0) break;
    const w = yield* sink(d);
    if (isErr(w)) {
      yield* sys.close(fd);
      return w;
    }
    total += d.length;
  }
  yield* sys.close(fd);
  return total;
}

/** "h1,h2,h3,h4,p1,p2" (PORT) -> address and port. */
export function parseHostPort(arg: string): { addr: number; port: number } | null {
  const n = arg.split(',').map((x) => (/^\d{1,3}$/.test(x.trim()) ? Number(x) : NaN));
  if (n.length !== 6 || n.some((x) => !(x >= 0 && x <= 255))) return null;
  const port = n[4]! * 256 + n[5]!;
  if (port === 0) return null;
  return { addr: ((n[0]! << 24) | (n[1]! << 16) | (n[2]! << 8) | n[3]!) >>> 0, port };
}

/** "|1|10.0.0.1|5282|" (EPRT, RFC 2428 §2). */
function parseEprt(arg: string): { addr: number; port: number } | null {
  const d = arg[0];
  if (!d) return null;
  const parts = arg.split(d);
  if (parts.length !== 5 || parts[1] !== '1') return null;
  const a = parts[2]!.split('.').map(Number);
  const port = Number(parts[3]);
  if (a.length !== 4 || a.some((x) => !(Number.isInteger(x) && x >= 0 && x <= 255)) || !(Number.isInteger(port) && port > 0 && port < 65536)) return null;
  return { addr: ((a[0]! << 24) | (a[1]! << 16) | (a[2]! << 8) | a[3]!) >>> 0, port };
}

// ---------------------------------------------------------------- listings

/** vsftpd's LIST lines: "%s %4d %-8d %-8d %8lu %s %s" (numeric owner and group, its default). */
function* listing(s: Session, path: string, namesOnly: boolean): Sys<string | null> {
  const { real } = realPath(s, path);
  const st = yield* sys.stat(real);
  if (isErr(st)) return null;
  const entries = st.type === 'dir' ? yield* sys.readdir(real) : [{ name: real.slice(real.lastIndexOf('/') + 1), stat: st }];
  if (isErr(entries)) return null;
  const sorted = [...entries].filter((e) => !e.name.startsWith('.')).sort((a, b) => (a.name < b.name ? -1 : 1));
  if (namesOnly) return sorted.map((e) => `${e.name}\r\n`).join('');
  return sorted
    .map((e) => `${modeString(e.stat)} ${String(e.stat.nlink).padStart(4)} ${String(e.stat.uid).padEnd(8)} ${String(e.stat.gid).padEnd(8)} ${String(e.stat.type === 'dir' ? 4096 : e.stat.size).padStart(8)} ${ftpListDate(e.stat.mtimeNs)} ${e.name}\r\n`)
    .join('');
}

// ---------------------------------------------------------------- the session

const HELP = ['ABOR', 'CDUP', 'CWD', 'DELE', 'EPRT', 'EPSV', 'FEAT', 'HELP', 'LIST', 'MKD', 'NLST', 'NOOP', 'OPTS', 'PASS', 'PASV', 'PORT', 'PWD', 'QUIT', 'RETR', 'RMD', 'RNFR', 'RNTO', 'SIZE', 'STOR', 'SYST', 'TYPE', 'USER'];

function* transfer(s: Session, cmd: string, arg: string): Sys<void> {
  if (!s.data) return yield* reply(s, 425, 'Use PORT or PASV first.');
  if (cmd === 'LIST' || cmd === 'NLST') {
    const text = yield* listing(s, arg.replace(/^-\w+\s*/, ''), cmd === 'NLST');
    const fd = yield* openData(s);
    if (fd === null) return yield* reply(s, 425, 'Failed to establish connection.');
    yield* reply(s, 150, 'Here comes the directory listing.');
    yield* sendData(fd, encodeUtf8(text ?? ''));
    return yield* reply(s, 226, 'Directory send OK.');
  }
  const name = arg;
  if (!name) {
    if (s.data.kind === 'pasv') yield* sys.close(s.data.fd);
    s.data = null;
    return yield* reply(s, 501, `${cmd} needs a file name.`);
  }
  const { real } = realPath(s, name);
  if (cmd === 'RETR') {
    const st = yield* sys.stat(real);
    const body = !isErr(st) && st.type === 'file' ? yield* readFile(real) : null;
    if (!body || isErr(body)) {
      if (s.data.kind === 'pasv') yield* sys.close(s.data.fd);
      s.data = null;
      return yield* reply(s, 550, 'Failed to open file.');
    }
    const fd = yield* openData(s);
    if (fd === null) return yield* reply(s, 425, 'Failed to establish connection.');
    const payload = s.binary ? body : encodeUtf8(decodeUtf8(body).replace(/\r?\n/g, '\r\n'));
    yield* reply(s, 150, `Opening ${s.binary ? 'BINARY' : 'ASCII'} mode data connection for ${name} (${body.length} bytes).`);
    const r = yield* sendData(fd, payload);
    yield* s.log.line(`${s.user}: RETR ${name} (${body.length} bytes)${isErr(r) ? `: ${r.message}` : ''}`);
    return isErr(r) ? yield* reply(s, 426, 'Failure writing network stream.') : yield* reply(s, 226, 'Transfer complete.');
  }
  // STOR
  if (s.anonymous) {
    if (s.data.kind === 'pasv') yield* sys.close(s.data.fd);
    s.data = null;
    return yield* reply(s, 550, 'Permission denied.');
  }
  const file = yield* sys.open(real, O_WRONLY | O_CREAT | O_TRUNC);
  if (isErr(file)) {
    if (s.data.kind === 'pasv') yield* sys.close(s.data.fd);
    s.data = null;
    return yield* reply(s, 553, 'Could not create file.');
  }
  const fd = yield* openData(s);
  if (fd === null) {
    yield* sys.close(file);
    return yield* reply(s, 425, 'Failed to establish connection.');
  }
  yield* reply(s, 150, 'Ok to send data.');
  let pendingCr = false;
  const r = yield* receiveData(fd, function* (chunk) {
    if (s.binary) return yield* writeAll(file, chunk);
    // ASCII mode: the network's CRLF becomes LF on disk.
    let text = decodeUtf8(chunk);
    if (pendingCr) text = `\r${text}`;
    pendingCr = text.endsWith('\r');
    if (pendingCr) text = text.slice(0, -1);
    return yield* writeAll(file, text.replace(/\r\n/g, '\n'));
  });
  yield* sys.close(file);
  yield* s.log.line(`${s.user}: STOR ${name} (${isErr(r) ? r.message : `${r} bytes`})`);
  if (isErr(r)) return yield* reply(s, r.name === 'ENOSPC' || r.name === 'EFBIG' ? 452 : 426, r.name === 'ENOSPC' || r.name === 'EFBIG' ? 'Insufficient storage space.' : 'Failure reading network stream.');
  return yield* reply(s, 226, 'Transfer complete.');
}

function* command(s: Session, cmd: string, arg: string): Sys<boolean> {
  switch (cmd) {
    case 'QUIT':
      yield* reply(s, 221, 'Goodbye.');
      return false;
    case 'NOOP':
      yield* reply(s, 200, 'NOOP ok.');
      break;
    case 'SYST':
      yield* reply(s, 215, 'UNIX Type: L8');
      break;
    case 'FEAT':
      yield* writeAll(s.peer.fd, '211-Features:\r\n EPRT\r\n EPSV\r\n PASV\r\n SIZE\r\n UTF8\r\n211 End\r\n');
      break;
    case 'HELP':
      yield* writeAll(s.peer.fd, `214-The following commands are recognized.\r\n ${HELP.join(' ')}\r\n214 Help OK.\r\n`);
      break;
    case 'OPTS':
      yield* reply(s, arg.toUpperCase().startsWith('UTF8') ? 200 : 501, arg.toUpperCase().startsWith('UTF8') ? 'Always in UTF8 mode.' : 'Option not understood.');
      break;
    case 'USER':
    case 'PASS':
      yield* reply(s, cmd === 'USER' ? 530 : 230, cmd === 'USER' ? "Can't change to another user." : 'Already logged in.');
      break;
    case 'PWD':
      yield* reply(s, 257, `"${s.cwd}" is the current directory`);
      break;
    case 'CWD':
    case 'CDUP': {
      const { real, virtual } = realPath(s, cmd === 'CDUP' ? '..' : arg);
      const st = yield* sys.stat(real);
      if (isErr(st) || st.type !== 'dir' || (isErr(yield* sys.readdir(real)))) yield* reply(s, 550, 'Failed to change directory.');
      else {
        s.cwd = virtual;
        yield* reply(s, 250, 'Directory successfully changed.');
      }
      break;
    }
    case 'TYPE': {
      const t = arg.toUpperCase();
      if (t === 'I' || t === 'L 8') {
        s.binary = true;
        yield* reply(s, 200, 'Switching to Binary mode.');
      } else if (t === 'A' || t === 'A N') {
        s.binary = false;
        yield* reply(s, 200, 'Switching to ASCII mode.');
      } else yield* reply(s, 500, 'Unrecognised TYPE command.');
      break;
    }
    case 'PORT':
    case 'EPRT': {
      const hp = cmd === 'PORT' ? parseHostPort(arg) : parseEprt(arg);
      if (s.data?.kind === 'pasv') yield* sys.close(s.data.fd);
      s.data = null;
      // port_promiscuous=NO: the data connection may only go to the control connection's peer, and
      // not to a privileged port (RFC 2577 §3: no FTP bounce to another service).
      if (!hp || hp.addr !== s.peer.addr || hp.port < 1024) yield* reply(s, 500, `Illegal ${cmd} command.`);
      else {
        s.data = { kind: 'port', ...hp };
        yield* reply(s, 200, `${cmd} command successful. Consider using ${cmd === 'PORT' ? 'PASV' : 'EPSV'}.`);
      }
      break;
    }
    case 'PASV':
    case 'EPSV': {
      if (s.data?.kind === 'pasv') yield* sys.close(s.data.fd);
      s.data = null;
      const fd = yield* sys.socket('stream', 'tcp');
      const b = isErr(fd) ? fd : yield* sys.bind(fd, s.peer.localAddr, 0);
      const l = isErr(b) ? b : yield* sys.listen(fd as number, 1);
      const name = isErr(l) ? l : yield* sys.getsockname(fd as number);
      if (isErr(name)) {
        if (!isErr(fd)) yield* sys.close(fd);
        yield* reply(s, 500, 'Failed to enter passive mode.');
        break;
      }
      s.data = { kind: 'pasv', fd: fd as number };
      const a = s.peer.localAddr;
      if (cmd === 'PASV') yield* reply(s, 227, `Entering Passive Mode (${a >>> 24},${(a >>> 16) & 255},${(a >>> 8) & 255},${a & 255},${name.port >> 8},${name.port & 255}).`);
      else yield* reply(s, 229, `Entering Extended Passive Mode (|||${name.port}|)`);
      break;
    }
    case 'LIST':
    case 'NLST':
    case 'RETR':
    case 'STOR':
      yield* transfer(s, cmd, arg);
      break;
    case 'SIZE': {
      const st = yield* sys.stat(realPath(s, arg).real);
      if (isErr(st) || st.type !== 'file') yield* reply(s, 550, 'Could not get file size.');
      else yield* reply(s, 213, String(st.size));
      break;
    }
    case 'DELE':
    case 'RMD':
    case 'MKD': {
      if (!arg) {
        yield* reply(s, 501, `${cmd} needs an argument.`);
        break;
      }
      const { real, virtual } = realPath(s, arg);
      const r = s.anonymous ? null : cmd === 'DELE' ? yield* sys.unlink(real) : cmd === 'RMD' ? yield* sys.rmdir(real) : yield* sys.mkdir(real);
      const ok = r !== null && !isErr(r);
      if (cmd === 'MKD') yield* reply(s, ok ? 257 : 550, ok ? `"${virtual}" created` : 'Create directory operation failed.');
      else if (cmd === 'RMD') yield* reply(s, ok ? 250 : 550, ok ? 'Remove directory operation successful.' : 'Remove directory operation failed.');
      else yield* reply(s, ok ? 250 : 550, ok ? 'Delete operation successful.' : 'Delete operation failed.');
      break;
    }
    case 'RNFR': {
      const st = s.anonymous ? null : yield* sys.stat(realPath(s, arg).real);
      if (!st || isErr(st)) yield* reply(s, 550, 'RNFR command failed.');
      else {
        s.renameFrom = realPath(s, arg).real;
        yield* reply(s, 350, 'Ready for RNTO.');
      }
      break;
    }
    case 'RNTO': {
      if (!s.renameFrom) {
        yield* reply(s, 503, 'RNFR required first.');
        break;
      }
      const r = yield* sys.rename(s.renameFrom, realPath(s, arg).real);
      s.renameFrom = null;
      yield* reply(s, isErr(r) ? 550 : 250, isErr(r) ? 'Rename failed.' : 'Rename successful.');
      break;
    }
    case 'ABOR':
      yield* reply(s, 225, 'No transfer to ABOR.');
      break;
    default:
      yield* reply(s, 500, 'Unknown command.');
  }
  return true;
}

/** Read one command line; null when the client went away or idled out. */
function* readCommand(r: LineReader, s: { peer: Peer }): Sys<[string, string] | null> {
  for (;;) {
    if (r.buffered === 0) {
      const ready = yield* sys.poll([{ fd: s.peer.fd, events: POLLIN }], IDLE_NS);
      if (isErr(ready) || ready.length === 0) {
        yield* reply(s, 421, 'Timeout.');
        return null;
      }
    }
    const line = yield* r.line();
    if (line === null || isErr(line)) return null;
    if (line === TOO_LONG) {
      yield* reply(s, 500, 'Input line too long.');
      continue;
    }
    const m = /^\s*(\S+)(?: (.*))?$/.exec(line);
    if (!m) continue;
    return [m[1]!.toUpperCase(), (m[2] ?? '').trim()];
  }
}

function* afterLogin(s: Session, r: LineReader, pw: Passwd): Sys<number> {
  if (isErr(yield* sys.setuid(pw.uid))) {
    yield* reply(s, 500, 'OOPS: cannot change to the user (ftpd is not running as root).');
    yield* sys.close(s.peer.fd);
    return 1;
  }
  yield* sys.setproctitle(`ftpd: ${formatIpv4(s.peer.addr)}: ${s.user}`);
  for (;;) {
    const c = yield* readCommand(r, s);
    if (!c) break;
    if (!(yield* command(s, c[0], c[1]))) break;
  }
  if (s.data?.kind === 'pasv') yield* sys.close(s.data.fd);
  yield* sys.close(s.peer.fd);
  yield* sys.close(s.priv);
  return 0;
}

function* connection(peer: Peer, log: DaemonLog): Sys<number> {
  yield* sys.setproctitle(`ftpd: ${formatIpv4(peer.addr)}: connected`);
  const r = new LineReader(peer.fd, MAX_LINE);
  const pre = { peer };
  yield* reply(pre, 220, '(PacketLab ftpd 1.0)');
  let user: string | null = null;
  for (;;) {
    const c = yield* readCommand(r, pre);
    if (!c) break;
    const [cmd, arg] = c;
    if (cmd === 'QUIT') {
      yield* reply(pre, 221, 'Goodbye.');
      break;
    }
    if (cmd === 'USER') {
      if (!arg) yield* reply(pre, 501, 'USER needs a name.');
      else {
        user = arg;
        yield* reply(pre, 331, 'Please specify the password.');
      }
      continue;
    }
    if (cmd === 'PASS') {
      if (user === null) {
        yield* reply(pre, 503, 'Login with USER first.');
        continue;
      }
      const anonymous = user === 'anonymous' || user === 'ftp';
      const pw = anonymous ? yield* sys.getpwuid(FTP_UID) : yield* sys.pamAuthenticate(user, arg);
      if (isErr(pw)) {
        yield* log.line(`FAIL LOGIN: Client "${formatIpv4(peer.addr)}", user "${user}"`);
        yield* reply(pre, 530, 'Login incorrect.');
        user = null;
        continue;
      }
      yield* log.line(`OK LOGIN: Client "${formatIpv4(peer.addr)}", ${anonymous ? `anon password "${arg}"` : `user "${user}"`}`);
      yield* reply(pre, 230, 'Login successful.');
      const pair = yield* sys.socketpair('stream');
      if (isErr(pair)) return 1;
      const [privEnd, sessionEnd] = pair;
      const s: Session = { peer, log, user, anonymous, root: anonymous ? ANON_ROOT : '/', cwd: anonymous ? '/' : pw.home, binary: false, data: null, renameFrom: null, priv: sessionEnd };
      const session = yield* sys.fork(function* () {
        yield* sys.close(privEnd);
        return yield* afterLogin(s, r, pw);
      });
      if (isErr(session)) return 1;
      // This process becomes [priv]: it keeps no part of the session but the channel.
      yield* sys.close(sessionEnd);
      yield* sys.close(peer.fd);
      yield* sys.setproctitle(`ftpd: ${formatIpv4(peer.addr)}: [priv]`);
      return yield* privileged(privEnd, log);
    }
    yield* reply(pre, 530, 'Please login with USER and PASS.');
  }
  yield* sys.close(peer.fd);
  return 0;
}

export function* ftpd(argv: string[]): Sys<number> {
  const port = yield* portArg(argv, 21);
  if (port === null) return 2;
  return yield* serveTcp('ftpd', port, connection);
}
