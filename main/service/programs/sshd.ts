// sshd: an SSH-2 server on ssh2's protocol core (ssh-conn.ts), in OpenSSH's shape: the listener
// forks a process per connection (daemon.ts); after a password login (RFC 4252 §8, checked like
// PAM) the session runs the user's shell on a pseudo-terminal (RFC 4254 §6.2, §6.5) or one command
// (exec), and relays the channel with flow control. The host key is generated on first start
// (ssh-keygen -A) into /etc/ssh and reused. Everything after the version lines is encrypted on
// the wire; the password never appears in the trace (compare telnet).
import { formatIpv4 } from '../../../shared/wire';
import { programKit } from '../../engine';
import { ChannelWindow, DISCONNECT, LOCAL_MAX_PACKET, LOCAL_WINDOW, newHostKeyPair, SshConn, sshUtils, type SshHostKey } from './ssh-conn';

const { sys, isErr, POLLIN, serveTcp, startLoginShell, readFile, writeFile, portArg, decodeUtf8 } = programKit;
type Sys<T> = programKit.Sys<T>;
type Peer = programKit.Peer;
type DaemonLog = programKit.DaemonLog;
type Errno = programKit.Errno;

const HOST_KEY = '/etc/ssh/ssh_host_ed25519_key';
const MAX_AUTH_TRIES = 6; // OpenSSH MaxAuthTries
const LOGIN_GRACE_NS = 120e9; // LoginGraceTime

/** The host key, made on first start (ssh-keygen -A writes it when the package is installed), or why there is none. */
function* hostKey(log: DaemonLog): Sys<SshHostKey | string> {
  let text: Uint8Array | string | Errno = yield* readFile(HOST_KEY);
  if (isErr(text)) {
    const pair = newHostKeyPair();
    if (!pair) return 'no key that ssh2 reads back could be generated (ssh2 #1390), so none was written';
    yield* sys.mkdir('/etc/ssh');
    const saved = yield* writeFile(HOST_KEY, pair.private, false, 0o600);
    yield* writeFile(`${HOST_KEY}.pub`, `${pair.public}\n`, false, 0o644);
    // Not saved, the key serves until sshd restarts, when clients see a new one.
    yield* log.line(isErr(saved) ? `generated a host key but could not write ${HOST_KEY}: ${saved.message}` : `generated host key ${HOST_KEY}`);
    text = pair.private;
  }
  const key = sshUtils.parseKey(Buffer.from(text));
  return key instanceof Error ? key.message : key;
}

interface Pending {
  auth: { user: string; password: string | null } | null;
  open: { sender: number; window: number; packetSize: number } | null;
  start: { kind: 'shell' | 'exec'; command?: string; wantReply: boolean } | null;
  fromClient: Buffer[];
  clientEof: boolean;
  closed: boolean;
  disconnected: boolean;
  windowAdjust: number;
}

function* connection(peer: Peer, log: DaemonLog, key: SshHostKey): Sys<number> {
  const from = `${formatIpv4(peer.addr)} port ${peer.port}`;
  yield* sys.setproctitle(`sshd: ${formatIpv4(peer.addr)} [preauth]`);
  yield* sys.ignoreChildren(false); // the shell's exit status goes back to the client
  const p: Pending = { auth: null, open: null, start: null, fromClient: [], clientEof: false, closed: false, disconnected: false, windowAdjust: 0 };
  let authenticated = false;
  let acceptedService = false;
  const conn: SshConn = new SshConn({
    server: true,
    hostKeys: { [key.type]: key },
    handlers: {
      SERVICE_REQUEST: (_p: unknown, name: string) => {
        if (name === 'ssh-userauth' && !acceptedService) {
          acceptedService = true;
          conn.call((x) => x.serviceAccept(name));
        } else conn.call((x) => x.disconnect(DISCONNECT.PROTOCOL_ERROR));
      },
      USERAUTH_REQUEST: (_p: unknown, user: string, _service: string, method: string, data: unknown) => {
        if (authenticated) return;
        // Only passwords: other methods are told which one works (RFC 4252 §5.1).
        p.auth = { user, password: method === 'password' && typeof data === 'string' ? data : null };
      },
      CHANNEL_OPEN: (_p: unknown, info: { type: string; sender: number; window: number; packetSize: number }) => {
        if (!authenticated || info.type !== 'session' || p.open) conn.call((x) => x.channelOpenFail(info.sender, 1, 'only one session channel'));
        else p.open = { sender: info.sender, window: info.window, packetSize: info.packetSize };
      },
      CHANNEL_REQUEST: (_p: unknown, _recipient: number, type: string, wantReply: boolean, data: unknown) => {
        if (!p.open) return;
        if (type === 'shell' || type === 'exec') {
          // One program per session channel (RFC 4254 §6.5): a second request is refused.
          if (!p.start && !sessionStarted) p.start = { kind: type, command: typeof data === 'string' ? data : undefined, wantReply };
          else if (wantReply) conn.call((x) => x.channelFailure(p.open!.sender));
        } else if (wantReply) conn.call((x) => (type === 'pty-req' || type === 'env' ? x.channelSuccess(p.open!.sender) : x.channelFailure(p.open!.sender)));
      },
      CHANNEL_DATA: (_p: unknown, _recipient: number, data: Buffer) => {
        p.fromClient.push(Buffer.from(data));
      },
      CHANNEL_WINDOW_ADJUST: (_p: unknown, _recipient: number, amount: number) => {
        p.windowAdjust += amount;
      },
      CHANNEL_EOF: () => {
        p.clientEof = true;
      },
      CHANNEL_CLOSE: () => {
        p.closed = true;
      },
      DISCONNECT: () => {
        p.disconnected = true;
      },
      GLOBAL_REQUEST: (_p: unknown, _name: string, wantReply: boolean) => {
        if (wantReply) conn.call((x) => x.requestFailure());
      },
    },
  });
  const t0 = yield* sys.now();
  let tries = 0;
  let master = -1;
  let loginPid = -1;
  let sessionStarted = false;
  let window: ChannelWindow | null = null;
  let consumed = 0;
  let pendingOut = Buffer.alloc(0);
  let shellDone = false;
  let user = '';
  for (;;) {
    if (!(yield* conn.flush(peer.fd)) || conn.error || p.disconnected) break;
    const fds = [{ fd: peer.fd, events: POLLIN }];
    if (master >= 0 && !shellDone && pendingOut.length === 0) fds.push({ fd: master, events: POLLIN });
    const timeout = authenticated ? null : Math.max(0, t0 + LOGIN_GRACE_NS - (yield* sys.now()));
    // Work left from the last packets (an answer to PAM, a channel to confirm, a shell to start) first.
    const work = p.auth !== null || (p.open !== null && !window) || (p.open !== null && p.start !== null && master < 0);
    const ready = work ? [] : yield* sys.poll(fds, timeout);
    if (isErr(ready)) continue;
    if (!authenticated && !p.auth && ready.length === 0 && (yield* sys.now()) >= t0 + LOGIN_GRACE_NS) {
      yield* log.line(`Timeout before authentication for ${from}`);
      break;
    }
    for (const r of ready) {
      if (r.fd === peer.fd) {
        const d = yield* sys.recv(peer.fd, 65536);
        if (isErr(d) || d.length === 0) {
          p.disconnected = true;
          break;
        }
        conn.feed(d);
      } else {
        const d = yield* sys.read(master, 32768);
        if (isErr(d) || d.length === 0) shellDone = true;
        else pendingOut = Buffer.concat([pendingOut, Buffer.from(typeof d === 'string' ? d : decodeUtf8(d), 'utf8')]);
      }
    }
    // Authentication, with PAM's answer.
    if (p.auth) {
      const a = p.auth;
      p.auth = null;
      const pw = a.password === null ? null : yield* sys.pamAuthenticate(a.user, a.password);
      if (pw && !isErr(pw)) {
        authenticated = true;
        user = pw.name;
        conn.call((x) => x.authSuccess());
        yield* log.line(`Accepted password for ${pw.name} from ${from} ssh2`);
        yield* sys.setproctitle(`sshd: ${pw.name} [priv]`);
      } else {
        if (a.password !== null) {
          tries++;
          yield* log.line(`Failed password for ${a.user} from ${from} ssh2`);
        }
        if (tries >= MAX_AUTH_TRIES) {
          conn.call((x) => x.disconnect(DISCONNECT.NO_MORE_AUTH_METHODS_AVAILABLE));
          yield* conn.flush(peer.fd);
          break;
        }
        conn.call((x) => x.authFailure(['password']));
      }
    }
    if (p.open && !window) {
      window = new ChannelWindow(p.open.window, p.open.packetSize);
      conn.call((x) => x.channelOpenConfirm(p.open!.sender, 0, LOCAL_WINDOW, LOCAL_MAX_PACKET));
    }
    if (p.start && master < 0 && p.open) {
      const pw = yield* sys.getpwnam(user);
      const kind = p.start.kind;
      sessionStarted = true;
      const s = isErr(pw) ? pw : yield* startLoginShell(pw, (tty) => (kind === 'exec' ? `sshd: ${user}@notty` : `sshd: ${user}@${tty}`), kind === 'exec' ? p.start.command : undefined);
      if (isErr(s)) {
        if (p.start.wantReply) conn.call((x) => x.channelFailure(p.open!.sender));
      } else {
        master = s.master;
        loginPid = s.pid;
        if (p.start.wantReply) conn.call((x) => x.channelSuccess(p.open!.sender));
        yield* log.line(`session opened for user ${user} (${p.start.kind}${p.start.command ? `: ${p.start.command}` : ''})`);
      }
      p.start = null;
    }
    if (window && p.windowAdjust) {
      window.remote += p.windowAdjust;
      p.windowAdjust = 0;
    }
    // Client -> terminal, and our window back to the client.
    while (master >= 0 && p.fromClient.length) {
      const chunk = p.fromClient.shift()!;
      yield* sys.write(master, chunk);
      consumed += chunk.length;
    }
    if (window && consumed >= LOCAL_WINDOW / 2) {
      const n = consumed;
      consumed = 0;
      conn.call((x) => x.channelWindowAdjust(p.open!.sender, n));
    }
    // Terminal -> client, as the client's window allows.
    while (window && pendingOut.length) {
      const n = window.take(pendingOut.length);
      if (n === 0) break;
      const chunk = pendingOut.subarray(0, n);
      pendingOut = pendingOut.subarray(n);
      conn.call((x) => x.channelData(p.open!.sender, chunk));
    }
    if (shellDone && pendingOut.length === 0 && p.open) {
      // exit-status, EOF and close (RFC 4254 §6.10, §5.3); the client then disconnects.
      const st = loginPid > 0 ? yield* sys.waitpid(loginPid) : null;
      const status = st && !isErr(st) ? st.status : 0;
      conn.call((x) => x.exitStatus(p.open!.sender, status));
      conn.call((x) => x.channelEOF(p.open!.sender));
      conn.call((x) => x.channelClose(p.open!.sender));
      yield* conn.flush(peer.fd);
      shellDone = false;
      p.open = null;
      p.start = null;
      window = null;
      if (master >= 0) yield* sys.close(master);
      master = -1;
    }
    if (p.clientEof) {
      // The client's input ended (RFC 4254 §5.3): on a terminal that is ^D, end of file for the
      // program reading it. The session goes on until the program exits or the channel closes.
      p.clientEof = false;
      if (master >= 0 && !shellDone) yield* sys.write(master, '\x04');
    }
    if (p.closed) break;
  }
  if (conn.error) yield* log.line(`connection from ${from}: ${conn.error}`);
  yield* log.line(`Disconnected from ${user ? `user ${user} ` : ''}${from}`);
  if (master >= 0) yield* sys.close(master);
  yield* sys.close(peer.fd);
  return 0;
}

export function* sshd(argv: string[]): Sys<number> {
  const port = yield* portArg(argv, 22);
  if (port === null) return 2;
  const log = yield* programKit.DaemonLog.open('sshd');
  const key = yield* hostKey(log);
  if (typeof key === 'string') {
    yield* log.line(`cannot load host key ${HOST_KEY}: ${key}`);
    return 1;
  }
  return yield* serveTcp('sshd', port, (peer, l) => connection(peer, l, key), log);
}
