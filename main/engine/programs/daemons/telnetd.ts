// A Telnet server (RFC 854), modelled on netkit's in.telnetd with util-linux login behind it: one
// process per connection (daemon.ts forks it). It opens with the usual negotiation (DO
// TERMINAL-TYPE, DO NAWS, WILL ECHO, WILL SUPPRESS-GO-AHEAD, DO SUPPRESS-GO-AHEAD; RFC 1143's Q
// method keeps it loop-free), asks the client for its terminal type (RFC 1091), then prompts
// "HOSTNAME login: " and "Password: " itself, echoing the name (it said WILL ECHO) and not the
// password. The password is checked with PAM (pam_authenticate); a failure costs FAIL_DELAY and
// gives "Login incorrect", three failures or 60 s without a login close the connection, as
// util-linux login does. After a login, the session runs on a pty (lib/login.ts) and the daemon
// relays: the network's bytes, once Telnet commands are taken out, are typed on the terminal (the
// kernel's line discipline does the echo and Ctrl-C); what the terminal shows goes back as NVT
// text. The shell exiting closes the connection; the client leaving closes the pty master, which
// hangs the terminal up (SIGHUP to the shell).
//
// Everything, the password included, crosses the network in plaintext: that is the lesson.
import { concatBytes, formatIpv4 } from '../../../../shared/wire';
import { isErr, POLLIN, sys, type Passwd, type Sys } from '../../process';
import { decodeUtf8, encodeUtf8 } from '../../process/utf8';
import { serveTcp, type Peer } from '../lib/daemon';
import { writeAll } from '../lib/lineio';
import type { DaemonLog } from '../lib/log';
import { startLoginShell } from '../lib/login';
import {
  AYT, BRK, EC, EL, IP, nvtEncode, subnegotiation, Telnet, TELOPT_ECHO, TELOPT_NAWS,
  TELOPT_SGA, TELOPT_TTYPE, TTYPE_IS, TTYPE_SEND, xEOF, type OptionPolicy, type TelnetEvent,
} from '../lib/telnet-protocol';
import { portArg } from './args';

const LOGIN_TIMEOUT_NS = 60e9; // util-linux login: LOGIN_TIMEOUT
const FAIL_DELAY_NS = 3e9; // Debian's /etc/pam.d/login: pam_faildelay.so delay=3000000
const LOGIN_RETRIES = 3;
const NEGOTIATION_NS = 2e9; // how long the opening negotiation may take before the prompt
const MAX_NAME = 256;

/** We echo and suppress go-ahead; we ask the client for its terminal type and size. */
const POLICY: OptionPolicy = {
  local: (o) => o === TELOPT_ECHO || o === TELOPT_SGA,
  remote: (o) => o === TELOPT_TTYPE || o === TELOPT_SGA || o === TELOPT_NAWS,
};

/** Telnet commands that stand for a key, as telnetd types them on the pty (netkit's telrcv). */
const COMMAND_KEY: Partial<Record<number, number>> = { [IP]: 0x03, [BRK]: 0x03, [EC]: 0x7f, [EL]: 0x15, [xEOF]: 0x04 };

type Fill = 'data' | 'eof' | 'timeout';

/** One client's connection: the socket, the Telnet state, data received and not yet used. */
class Connection {
  readonly telnet = new Telnet(POLICY, { crlfToCr: true });
  input: number[] = [];
  /** What the client answered to TERMINAL-TYPE SEND (netkit hands it to login as TERM). */
  termType: string | null = null;

  constructor(
    readonly fd: number,
    readonly peer: Peer,
  ) {}

  get from(): string {
    return formatIpv4(this.peer.addr);
  }

  /** Bytes already in Telnet form (negotiation, escaped data). */
  *sendRaw(bytes: Uint8Array): Sys<boolean> {
    if (bytes.length === 0) return true;
    return !isErr(yield* writeAll(this.fd, bytes));
  }

  /** Text for the terminal: NVT (IAC doubled, a lone CR as CR NUL). */
  *send(text: string | Uint8Array): Sys<boolean> {
    return yield* this.sendRaw(nvtEncode(typeof text === 'string' ? encodeUtf8(text) : text));
  }

  /** Wait (until `deadline`, null = forever) for one segment and take it in. */
  *fill(deadline: number | null): Sys<Fill> {
    for (;;) {
      const now = yield* sys.now();
      const timeout = deadline === null ? null : Math.max(0, deadline - now);
      const ready = yield* sys.poll([{ fd: this.fd, events: POLLIN }], timeout);
      if (isErr(ready)) {
        if (ready.name === 'EINTR') continue;
        return 'eof';
      }
      if (ready.length === 0) return 'timeout';
      return yield* this.receive();
    }
  }

  /** One recv: negotiation answered, commands turned into keys, data queued in `input`. */
  *receive(): Sys<Fill> {
    const d = yield* sys.recv(this.fd, 4096);
    if (isErr(d) || d.length === 0) return 'eof';
    const got = this.telnet.receive(d);
    const out: Uint8Array[] = [got.reply];
    for (const b of got.data) this.input.push(b);
    for (const e of got.events) out.push(this.event(e));
    return (yield* this.sendRaw(concatBytes(out))) ? 'data' : 'eof';
  }

  /** The reaction to one protocol event: bytes to send back (often none). */
  private event(e: TelnetEvent): Uint8Array {
    switch (e.kind) {
      case 'enabled':
        // RFC 1091: once the client WILL TERMINAL-TYPE, ask for it.
        if (e.side === 'remote' && e.option === TELOPT_TTYPE) return subnegotiation(TELOPT_TTYPE, Uint8Array.of(TTYPE_SEND));
        return new Uint8Array(0);
      case 'disabled':
      case 'error':
        return new Uint8Array(0);
      case 'sb':
        if (e.option === TELOPT_TTYPE && e.data[0] === TTYPE_IS) this.termType = decodeUtf8(e.data.subarray(1)).slice(0, 40);
        // NAWS (RFC 1073) is accepted and its size ignored: the lab's terminals have no window size.
        return new Uint8Array(0);
      case 'command': {
        if (e.code === AYT) return nvtEncode(encodeUtf8('\r\n[Yes]\r\n'));
        const key = COMMAND_KEY[e.code];
        if (key !== undefined) this.input.push(key);
        return new Uint8Array(0); // NOP, GA, DM, AO: nothing to do
      }
    }
  }

  take(): Uint8Array {
    const bytes = Uint8Array.from(this.input);
    this.input = [];
    return bytes;
  }
}

/** Open the negotiation and wait (briefly) for the answers and the terminal type, as telnetd does before login. */
function* negotiate(c: Connection): Sys<boolean> {
  const t = c.telnet;
  const opening = [
    t.requestRemote(TELOPT_TTYPE, true), // IAC DO TERMINAL-TYPE
    t.requestRemote(TELOPT_NAWS, true), // IAC DO NAWS
    t.requestLocal(TELOPT_ECHO, true), // IAC WILL ECHO
    t.requestLocal(TELOPT_SGA, true), // IAC WILL SUPPRESS-GO-AHEAD
    t.requestRemote(TELOPT_SGA, true), // IAC DO SUPPRESS-GO-AHEAD
  ];
  if (!(yield* c.sendRaw(concatBytes(opening)))) return false;
  const deadline = (yield* sys.now()) + NEGOTIATION_NS;
  const settled = () => !c.telnet.options.pending && (!c.telnet.options.remote(TELOPT_TTYPE) || c.termType !== null);
  while (!settled()) {
    const r = yield* c.fill(deadline);
    if (r === 'eof') return false;
    if (r === 'timeout') break;
  }
  return true;
}

/**
 * Read one line typed by the client (a Return ends it), echoing it when asked and when we do the
 * echoing (WILL ECHO accepted). Backspace, Ctrl-U and Ctrl-C edit as a terminal would; Ctrl-D on
 * an empty line is end of input. null: the client left, or end of input; 'timeout' at the deadline.
 */
function* readLine(c: Connection, echo: boolean, deadline: number): Sys<string | null | 'timeout'> {
  const line: number[] = [];
  for (;;) {
    const shown: number[] = [];
    const show = (...b: number[]) => {
      if (echo && c.telnet.options.local(TELOPT_ECHO)) shown.push(...b);
    };
    let done: string | null | undefined;
    while (c.input.length && done === undefined) {
      const b = c.input.shift()!;
      if (b === 13 || b === 10) {
        show(13, 10);
        done = decodeUtf8(Uint8Array.from(line));
      } else if (b === 0x7f || b === 0x08) {
        if (line.length) {
          let last = line.pop()!;
          while ((last & 0xc0) === 0x80 && line.length) last = line.pop()!; // a whole UTF-8 character
          show(8, 32, 8);
        }
      } else if (b === 0x15 || b === 0x03) {
        // Ctrl-U erases the line; Ctrl-C too (login ignores SIGINT while it prompts).
        for (let i = 0; i < line.length; i++) if ((line[i]! & 0xc0) !== 0x80) show(8, 32, 8);
        line.length = 0;
      } else if (b === 0x04) {
        if (line.length === 0) done = null;
      } else if (b >= 0x20 && line.length < MAX_NAME) {
        line.push(b);
        show(b);
      }
    }
    if (shown.length && !(yield* c.send(Uint8Array.from(shown)))) return null;
    if (done !== undefined) return done;
    const r = yield* c.fill(deadline);
    if (r === 'eof') return null;
    if (r === 'timeout') return 'timeout';
  }
}

/** util-linux login's dialogue: up to three tries; the account on success, null to hang up. */
function* login(c: Connection, log: DaemonLog): Sys<Passwd | null> {
  const host = yield* sys.gethostname();
  const deadline = (yield* sys.now()) + LOGIN_TIMEOUT_NS;
  const timedOut = function* () {
    yield* c.send(`\r\nLogin timed out after ${LOGIN_TIMEOUT_NS / 1e9} seconds.\r\n`);
    return null;
  };
  let tries = 0;
  for (;;) {
    if (!(yield* c.send(`\r\n${host} login: `))) return null;
    const user = yield* readLine(c, true, deadline);
    if (user === 'timeout') return yield* timedOut();
    if (user === null) return null;
    if (user.trim() === '') continue;
    if (!(yield* c.send('Password: '))) return null;
    const password = yield* readLine(c, false, deadline);
    if (password === 'timeout') return yield* timedOut();
    if (password === null) return null;
    if (!(yield* c.send('\r\n'))) return null;
    const pw = yield* sys.pamAuthenticate(user, password);
    if (!isErr(pw)) return pw;
    tries++;
    yield* log.line(`FAILED LOGIN ${tries} FROM ${c.from} FOR ${user}, Authentication failure`);
    yield* sys.nanosleep(FAIL_DELAY_NS);
    if (!(yield* c.send('Login incorrect\r\n'))) return null;
    if (tries >= LOGIN_RETRIES) {
      yield* log.line(`TOO MANY LOGIN TRIES (${tries}) FROM ${c.from} FOR ${user}, Authentication failure`);
      return null;
    }
  }
}

/** Shuttle bytes between the client and the pty master until one side ends. */
function* relay(c: Connection, master: number): Sys<'shell' | 'client'> {
  if (c.input.length) yield* writeAll(master, c.take()); // typed ahead during the login
  for (;;) {
    const ready = yield* sys.poll([{ fd: c.fd, events: POLLIN }, { fd: master, events: POLLIN }], null);
    if (isErr(ready)) {
      if (ready.name === 'EINTR') continue;
      return 'client';
    }
    for (const r of ready) {
      if (r.fd === master) {
        const d = yield* sys.read(master, 4096);
        if (isErr(d) || d.length === 0) return 'shell'; // the slave's last fd closed: the session is over
        if (!(yield* c.send(d))) return 'client';
      } else {
        if ((yield* c.receive()) === 'eof') return 'client';
        if (c.input.length) {
          const w = yield* writeAll(master, c.take());
          if (isErr(w)) return 'shell';
        }
      }
    }
  }
}

function* session(peer: Peer, log: DaemonLog): Sys<number> {
  const c = new Connection(peer.fd, peer);
  yield* sys.setproctitle(`telnetd: ${c.from}`);
  const pw = (yield* negotiate(c)) ? yield* login(c, log) : null;
  if (!pw) {
    yield* sys.close(peer.fd);
    return 1;
  }
  const s = yield* startLoginShell(pw, () => `login -- ${pw.name}`);
  if (isErr(s)) {
    yield* log.line(`openpty: ${s.message}`);
    yield* c.send(`telnetd: all network ports in use\r\n`);
    yield* sys.close(peer.fd);
    return 1;
  }
  yield* log.line(`LOGIN ON ${s.tty} BY ${pw.name} FROM ${c.from}`);
  const ended = yield* relay(c, s.master);
  // Closing the master hangs the terminal up (SIGHUP to the shell); closing the socket sends FIN.
  yield* sys.close(s.master);
  yield* sys.close(peer.fd);
  yield* log.line(ended === 'shell' ? `session of ${pw.name} from ${c.from} ended` : `connection from ${c.from} closed; hangup sent to ${pw.name}'s session`);
  return 0;
}

export function* telnetd(argv: string[]): Sys<number> {
  const port = yield* portArg(argv, 23);
  if (port === null) return 2;
  return yield* serveTcp('telnetd', port, session);
}
