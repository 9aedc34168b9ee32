// ssh: an SSH-2 client on ssh2's protocol core (ssh-conn.ts), with OpenSSH's dialogue:
//   ssh [-p PORT] [-l USER] [USER@]HOST [COMMAND]
// It checks the server's host key against ~/.ssh/known_hosts (asking the first time, refusing a
// changed key), logs in with a password, then opens a session: a pty and a shell, or one command.
// Typed lines go to the remote terminal (which echoes them, so local echo is off meanwhile);
// Ctrl-C is passed on as ^C. Exit status: the remote command's, or 255 for ssh's own errors.
import { createHash } from 'node:crypto';
import { formatIpv4 } from '../../../shared/wire';
import { programKit } from '../../engine';
import { ChannelWindow, DISCONNECT, LOCAL_MAX_PACKET, LOCAL_WINDOW, SshConn } from './ssh-conn';

const { sys, isErr, POLLIN, getpass, readFile, writeFile, resolveHost, out, err, decodeUtf8 } = programKit;
type Sys<T> = programKit.Sys<T>;

const MAX_PASSWORD_PROMPTS = 3; // OpenSSH NumberOfPasswordPrompts

interface Events {
  verify: { key: Buffer; answer: (ok: boolean) => void } | null;
  serviceAccepted: boolean;
  authFailed: boolean;
  authOk: boolean;
  opened: { sender: number; window: number; packetSize: number } | null;
  openFailed: string | null;
  data: Buffer[];
  exitStatus: number | null;
  eof: boolean;
  closed: boolean;
  disconnected: string | null;
  windowAdjust: number;
}

function parseArgs(argv: string[]): { host: string; user?: string; port: number; command?: string } | string {
  let port = 22;
  let user: string | undefined;
  const rest: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (rest.length === 0 && a === '-p') port = Number(argv[++i]);
    else if (rest.length === 0 && a === '-l') user = argv[++i];
    else if (rest.length === 0 && a.startsWith('-')) return `unknown option -- ${a.slice(1)}`;
    else rest.push(a);
  }
  if (!rest[0]) return 'usage: ssh [-p port] [-l login_name] [user@]hostname [command]';
  if (!Number.isInteger(port) || port < 1 || port > 65535) return `Bad port '${argv[argv.indexOf('-p') + 1]}'`;
  let host = rest[0];
  const at = host.lastIndexOf('@');
  if (at >= 0) {
    user = host.slice(0, at);
    host = host.slice(at + 1);
  }
  return { host, user, port, command: rest.length > 1 ? rest.slice(1).join(' ') : undefined };
}

/** SHA256:base64 (no padding) of the key blob, as ssh-keygen -l prints it. */
const fingerprint = (key: Buffer) => `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;

/** ~/.ssh/known_hosts check and first-use question; true to go on. */
function* verifyHost(host: string, addr: string, port: number, key: Buffer, home: string): Sys<boolean> {
  const name = port === 22 ? host : `[${host}]:${port}`;
  const entry = `ssh-ed25519 ${key.toString('base64')}`;
  const file = `${home}/.ssh/known_hosts`;
  const known = yield* readFile(file);
  const lines = isErr(known) ? [] : decodeUtf8(known).split('\n');
  const mine = lines.filter((l) => l.split(' ')[0]?.split(',').includes(name));
  if (mine.some((l) => l.endsWith(entry))) return true;
  if (mine.length > 0) {
    yield* err(
      '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n' +
        '@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n' +
        '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n' +
        'IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!\n' +
        `The fingerprint for the ED25519 key sent by the remote host is\n${fingerprint(key)}.\n` +
        `Offending ED25519 key in ${file}\nHost key verification failed.\n`,
    );
    return false;
  }
  yield* out(`The authenticity of host '${name} (${addr})' can't be established.\nED25519 key fingerprint is ${fingerprint(key)}.\nThis key is not known by any other names.\n`);
  for (;;) {
    yield* out('Are you sure you want to continue connecting (yes/no/[fingerprint])? ');
    const r = yield* sys.read(0, 4096);
    const answer = isErr(r) ? '' : (typeof r === 'string' ? r : decodeUtf8(r)).trim();
    if (answer === 'yes' || answer === fingerprint(key)) break;
    if (answer === 'no' || answer === '') {
      yield* err('Host key verification failed.\n');
      return false;
    }
    yield* out('Please type \'yes\', \'no\' or the fingerprint: ');
  }
  yield* sys.mkdir(`${home}/.ssh`, 0o700);
  yield* writeFile(file, `${name} ${entry}\n`, true, 0o600);
  yield* err(`Warning: Permanently added '${name}' (ED25519) to the list of known hosts.\n`);
  return true;
}

export function* ssh(argv: string[]): Sys<number> {
  const a = parseArgs(argv);
  if (typeof a === 'string') {
    yield* err(`ssh: ${a}\n`);
    return 255;
  }
  const me = yield* sys.getpwuid((yield* sys.getuid()).uid);
  const user = a.user ?? (isErr(me) ? 'root' : me.name);
  const home = isErr(me) ? '/' : me.home;
  const r = yield* resolveHost(a.host);
  if ('error' in r) {
    yield* err(`ssh: Could not resolve hostname ${a.host}: ${r.error}\n`);
    return 255;
  }
  const addr = formatIpv4(r.addr);
  const fd = yield* sys.socket('stream', 'tcp');
  if (isErr(fd)) return 255;
  const c = yield* sys.connect(fd, r.addr, a.port);
  if (isErr(c)) {
    yield* err(`ssh: connect to host ${a.host} port ${a.port}: ${c.message}\n`);
    yield* sys.close(fd);
    return 255;
  }
  const ev: Events = { verify: null, serviceAccepted: false, authFailed: false, authOk: false, opened: null, openFailed: null, data: [], exitStatus: null, eof: false, closed: false, disconnected: null, windowAdjust: 0 };
  const conn = new SshConn({
    server: false,
    hostVerifier: (key, answer) => {
      ev.verify = { key: Buffer.from(key), answer };
      return undefined; // answered later, after asking the user
    },
    handlers: {
      SERVICE_ACCEPT: () => {
        ev.serviceAccepted = true;
      },
      USERAUTH_FAILURE: () => {
        ev.authFailed = true;
      },
      USERAUTH_SUCCESS: () => {
        ev.authOk = true;
      },
      CHANNEL_OPEN_CONFIRMATION: (_p: unknown, info: { sender: number; window: number; packetSize: number }) => {
        ev.opened = { sender: info.sender, window: info.window, packetSize: info.packetSize };
      },
      CHANNEL_OPEN_FAILURE: (_p: unknown, _r: number, _reason: number, desc: string) => {
        ev.openFailed = desc || 'open failed';
      },
      CHANNEL_DATA: (_p: unknown, _r: number, data: Buffer) => {
        ev.data.push(Buffer.from(data));
      },
      CHANNEL_EXTENDED_DATA: (_p: unknown, _r: number, data: Buffer) => {
        ev.data.push(Buffer.from(data));
      },
      CHANNEL_WINDOW_ADJUST: (_p: unknown, _r: number, amount: number) => {
        ev.windowAdjust += amount;
      },
      CHANNEL_REQUEST: (_p: unknown, _r: number, type: string, _w: boolean, data: unknown) => {
        if (type === 'exit-status' && typeof data === 'number') ev.exitStatus = data;
      },
      CHANNEL_EOF: () => {
        ev.eof = true;
      },
      CHANNEL_CLOSE: () => {
        ev.closed = true;
      },
      DISCONNECT: (_p: unknown, _reason: number, desc: string) => {
        ev.disconnected = desc || 'disconnected';
      },
      GLOBAL_REQUEST: (_p: unknown, _name: string, wantReply: boolean) => {
        if (wantReply) conn.call((x) => x.requestFailure());
      },
    },
  });
  let status = 255;
  let asked = false;
  let prompts = 0;
  let window: ChannelWindow | null = null;
  let interactive = false;
  let echoOff = false;
  let stdinOpen = true;
  let consumed = 0;
  let toSend = Buffer.alloc(0);
  yield* sys.sigaction('SIGINT', 'catch');
  const askPassword = function* (): Sys<void> {
    const pass = yield* getpass(`${user}@${a.host}'s password: `);
    prompts++;
    conn.call((x) => x.authPassword(user, pass ?? ''));
  };
  for (;;) {
    if (!(yield* conn.flush(fd))) break;
    if (conn.error) {
      if (!/verification failed/i.test(conn.error)) yield* err(`ssh: ${conn.error}\n`);
      break;
    }
    if (ev.disconnected !== null) break;
    const fds: { fd: number; events: number }[] = [{ fd, events: POLLIN }];
    if (window && stdinOpen && toSend.length === 0) fds.push({ fd: 0, events: POLLIN });
    const pending = ev.verify !== null || (conn.handshakeDone && !asked) || ev.serviceAccepted || ev.authFailed || ev.authOk || ev.opened !== null && !window;
    const ready: programKit.PollResult[] | programKit.Errno = pending ? [] : yield* sys.poll(fds, null);
    if (isErr(ready)) {
      // Ctrl-C while waiting: pass it to the remote terminal.
      const sig = yield* sys.sigtimedwait();
      if (!isErr(sig) && window) toSend = Buffer.concat([toSend, Buffer.from('\x03')]);
      continue;
    }
    for (const r of ready) {
      if (r.fd === fd) {
        const d = yield* sys.recv(fd, 65536);
        if (isErr(d) || d.length === 0) {
          ev.disconnected = 'closed';
          break;
        }
        conn.feed(d);
      } else {
        const line = yield* sys.read(0, 4096);
        if (isErr(line)) continue;
        const text = typeof line === 'string' ? line : decodeUtf8(line);
        if (text === '') {
          // Ctrl-D: on a remote terminal it is a keystroke (^D) like any other, as OpenSSH sends it;
          // for a command without one, the end of its input (CHANNEL_EOF).
          if (interactive) toSend = Buffer.concat([toSend, Buffer.from('\x04')]);
          else {
            stdinOpen = false;
            if (ev.opened) conn.call((x) => x.channelEOF(ev.opened!.sender));
          }
        } else toSend = Buffer.concat([toSend, Buffer.from(text.replace(/\n$/, '\r'), 'utf8')]);
      }
    }
    if (ev.verify) {
      const v = ev.verify;
      ev.verify = null;
      const ok = yield* verifyHost(a.host, addr, a.port, v.key, home);
      v.answer(ok);
      if (!ok) {
        yield* conn.flush(fd);
        break;
      }
    }
    if (conn.handshakeDone && !asked) {
      asked = true;
      conn.call((x) => x.service('ssh-userauth'));
    }
    if (ev.serviceAccepted) {
      ev.serviceAccepted = false;
      yield* askPassword();
    }
    if (ev.authFailed) {
      ev.authFailed = false;
      if (prompts >= MAX_PASSWORD_PROMPTS) {
        yield* err(`${user}@${a.host}: Permission denied (password).\n`);
        conn.call((x) => x.disconnect(DISCONNECT.BY_APPLICATION));
        yield* conn.flush(fd);
        break;
      }
      yield* err('Permission denied, please try again.\n');
      yield* askPassword();
    }
    if (ev.authOk) {
      ev.authOk = false;
      conn.call((x) => x.session(0, LOCAL_WINDOW, LOCAL_MAX_PACKET));
    }
    if (ev.openFailed) {
      yield* err(`channel 0: open failed: ${ev.openFailed}\n`);
      break;
    }
    if (ev.opened && !window) {
      const o = ev.opened;
      window = new ChannelWindow(o.window, o.packetSize);
      if (a.command !== undefined) conn.call((x) => x.exec(o.sender, a.command!, true));
      else {
        interactive = true;
        conn.call((x) => x.pty(o.sender, 24, 80, 0, 0, 'xterm', null, true));
        conn.call((x) => x.shell(o.sender, true));
        // The remote terminal echoes what is typed: do not show it twice.
        echoOff = !isErr(yield* sys.setEcho(0, false));
      }
    }
    if (window && ev.windowAdjust) {
      window.remote += ev.windowAdjust;
      ev.windowAdjust = 0;
    }
    while (ev.data.length) {
      const d = ev.data.shift()!;
      yield* sys.write(1, d);
      consumed += d.length;
    }
    if (window && ev.opened && consumed >= LOCAL_WINDOW / 2) {
      const n = consumed;
      consumed = 0;
      conn.call((x) => x.channelWindowAdjust(ev.opened!.sender, n));
    }
    while (window && ev.opened && toSend.length) {
      const n = window.take(toSend.length);
      if (n === 0) break;
      const chunk = toSend.subarray(0, n);
      toSend = toSend.subarray(n);
      conn.call((x) => x.channelData(ev.opened!.sender, chunk));
    }
    if (ev.closed) {
      if (ev.opened) conn.call((x) => x.channelClose(ev.opened!.sender));
      conn.call((x) => x.disconnect(DISCONNECT.BY_APPLICATION));
      yield* conn.flush(fd);
      status = ev.exitStatus ?? 0;
      break;
    }
  }
  if (echoOff) yield* sys.setEcho(0, true);
  yield* sys.close(fd);
  if (interactive && status !== 255) yield* out(`Connection to ${a.host} closed.\n`);
  else if (ev.disconnected && status === 255 && ev.disconnected !== 'closed') yield* err(`Disconnected from ${addr} port ${a.port}: ${ev.disconnected}\n`);
  return status;
}
