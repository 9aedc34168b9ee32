// telnet, the netkit client:   telnet HOST [PORT]
// Connects, then relays: each line typed is sent (the lab's terminal is line-at-a-time, so a line
// goes out when Return is pressed, ending in CR LF as RFC 854 says a Return is sent), and what the
// server sends is shown once Telnet commands are taken out. Negotiation (RFC 855, loop-free by
// RFC 1143's Q method): we accept the server's ECHO and SUPPRESS-GO-AHEAD and offer our
// TERMINAL-TYPE (RFC 1091); when the server echoes (WILL ECHO), the local terminal's echo goes off
// so nothing shows twice, and comes back at the end. On the Telnet port we open the negotiation
// (DO SUPPRESS-GO-AHEAD, WILL TERMINAL-TYPE) as netkit does; on any other port telnet is a plain
// TCP client (telnet to a web or mail server) that still answers negotiation if the server starts
// it. Ctrl-C sends IAC IP (Interrupt Process) to the server, as netkit's localchars mode does.
import { concatBytes, formatIpv4 } from '../../../../shared/wire';
import { isErr, POLLIN, sys, type Sys } from '../../process';
import { decodeUtf8, encodeUtf8 } from '../../process/utf8';
import { writeAll } from '../lib/lineio';
import { resolveHost } from '../lib/net';
import {
  command, IP, nvtEncode, subnegotiation, Telnet, TELOPT_ECHO, TELOPT_SGA, TELOPT_TTYPE, TTYPE_IS, TTYPE_SEND,
  xEOF, type OptionPolicy, type TelnetEvent,
} from '../lib/telnet-protocol';
import { servicePort } from '../services';
import { err, out } from '../stdio';

const TELNET_PORT = 23;
/** What we tell a server that asks (RFC 1091 names are upper case; the lab's console is an xterm). */
const TERMINAL_TYPE = 'XTERM';

/** We take the server's echo and go-ahead suppression, and give our terminal type and SGA. */
const POLICY: OptionPolicy = {
  local: (o) => o === TELOPT_TTYPE || o === TELOPT_SGA,
  remote: (o) => o === TELOPT_ECHO || o === TELOPT_SGA,
};

const USAGE = 'usage: telnet [-l user] host-name [port]\n';

interface Session {
  fd: number;
  telnet: Telnet;
  /** We turned the terminal's echo off (the server echoes). */
  echoOff: boolean;
  /** Bytes of a UTF-8 character split between two segments. */
  partial: Uint8Array;
  /** Anything sent or negotiated in Telnet terms (Ctrl-D then means IAC EOF). */
  telnetMode: boolean;
}

function* setLocalEcho(s: Session, on: boolean): Sys<void> {
  if (s.echoOff === !on) return;
  s.echoOff = !on;
  yield* sys.setEcho(0, on);
}

function* onEvent(s: Session, e: TelnetEvent): Sys<Uint8Array> {
  switch (e.kind) {
    case 'enabled':
    case 'disabled':
      s.telnetMode = true;
      if (e.side === 'remote' && e.option === TELOPT_ECHO) yield* setLocalEcho(s, e.kind === 'disabled');
      return new Uint8Array(0);
    case 'sb':
      if (e.option === TELOPT_TTYPE && e.data[0] === TTYPE_SEND && s.telnet.options.local(TELOPT_TTYPE)) {
        return subnegotiation(TELOPT_TTYPE, concatBytes([Uint8Array.of(TTYPE_IS), encodeUtf8(TERMINAL_TYPE)]));
      }
      return new Uint8Array(0);
    case 'command':
    case 'error':
      return new Uint8Array(0);
  }
}

/** Show server data on the terminal, holding back an incomplete UTF-8 character for the next segment. */
function* show(s: Session, data: Uint8Array): Sys<void> {
  const all = s.partial.length ? concatBytes([s.partial, data]) : data;
  let end = all.length;
  // Back up over a trailing incomplete sequence (at most 3 bytes).
  for (let i = all.length - 1; i >= Math.max(0, all.length - 3); i--) {
    const b = all[i]!;
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    if (all.length - i < need) end = i;
    break;
  }
  s.partial = all.slice(end);
  if (end > 0) yield* sys.write(1, all.subarray(0, end));
}

/** Data from the server: answer negotiation, show the rest. false when the server closed. */
function* fromNetwork(s: Session): Sys<boolean> {
  const d = yield* sys.recv(s.fd, 4096);
  if (isErr(d) || d.length === 0) return false;
  const got = s.telnet.receive(d);
  const replies: Uint8Array[] = [got.reply];
  for (const e of got.events) replies.push(yield* onEvent(s, e));
  const reply = concatBytes(replies);
  if (reply.length) yield* writeAll(s.fd, reply);
  if (got.data.length) yield* show(s, got.data);
  return true;
}

/** A line from the terminal: its newline becomes CR LF; end of input (Ctrl-D) becomes IAC EOF. */
function* fromTerminal(s: Session, line: string): Sys<void> {
  if (line === '') {
    if (s.telnetMode) yield* writeAll(s.fd, command(xEOF));
    return;
  }
  yield* writeAll(s.fd, nvtEncode(encodeUtf8(line.replace(/\n$/, '\r\n'))));
}

/** The main loop (netkit's telnet_loop): poll the terminal and the socket. */
function* relay(s: Session): Sys<number> {
  let terminalOpen = true;
  let eofs = 0;
  for (;;) {
    const fds = [{ fd: s.fd, events: POLLIN }];
    if (terminalOpen) fds.push({ fd: 0, events: POLLIN });
    const ready = yield* sys.poll(fds, null);
    if (isErr(ready)) {
      if (ready.name !== 'EINTR') return 1;
      const sig = yield* sys.sigtimedwait();
      if (sig === 'SIGINT') yield* writeAll(s.fd, command(IP));
      else if (sig === 'SIGTERM') return 143;
      continue;
    }
    for (const r of ready) {
      if (r.fd === s.fd) {
        eofs = 0;
        if (!(yield* fromNetwork(s))) {
          if (s.partial.length) yield* sys.write(1, s.partial);
          yield* out('Connection closed by foreign host.\n');
          return 1;
        }
      } else {
        const got = yield* sys.read(0, 4096);
        if (isErr(got)) continue;
        const line = typeof got === 'string' ? got : decodeUtf8(got);
        // A terminal that keeps reading end of file is gone (hung up): stop reading it.
        eofs = line === '' ? eofs + 1 : 0;
        if (eofs > 1) terminalOpen = false;
        else yield* fromTerminal(s, line);
      }
    }
  }
}

function* parseArgs(argv: string[]): Sys<{ host: string; port: number; explicitPort: boolean } | null> {
  const rest: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-l') i++; // the user name is for servers that take NEW-ENVIRON; ours prompts
    else if (/^-[4678aEKLrdx]+$/.test(a)) continue;
    else if (a.startsWith('-')) {
      yield* err(`telnet: invalid option -- '${a.slice(1, 2)}'\n${USAGE}`);
      return null;
    } else rest.push(a);
  }
  const [host, portText] = rest;
  if (!host || rest.length > 2) {
    yield* err(USAGE);
    return null;
  }
  if (portText === undefined) return { host, port: TELNET_PORT, explicitPort: false };
  const port = /^\d+$/.test(portText) ? Number(portText) : servicePort(portText, 'tcp');
  if (port === undefined || port < 1 || port > 65535) {
    yield* err(`telnet: could not resolve ${host}/${portText}: Servname not supported for ai_socktype\n`);
    return null;
  }
  return { host, port, explicitPort: true };
}

export function* telnet(argv: string[]): Sys<number> {
  const args = yield* parseArgs(argv);
  if (!args) return 1;
  const r = yield* resolveHost(args.host);
  if ('error' in r) {
    yield* err(`telnet: could not resolve ${args.host}/${args.explicitPort ? args.port : 'telnet'}: ${r.error}\n`);
    return 1;
  }
  yield* out(`Trying ${formatIpv4(r.addr)}...\n`);
  const fd = yield* sys.socket('stream', 'tcp');
  if (isErr(fd)) {
    yield* err(`telnet: socket: ${fd.message}\n`);
    return 1;
  }
  const c = yield* sys.connect(fd, r.addr, args.port);
  if (isErr(c)) {
    yield* err(`telnet: Unable to connect to remote host: ${c.message}\n`);
    yield* sys.close(fd);
    return 1;
  }
  yield* out(`Connected to ${args.host}.\nEscape character is '^]'.\n`);
  const s: Session = { fd, telnet: new Telnet(POLICY), echoOff: false, partial: new Uint8Array(0), telnetMode: false };
  // On the Telnet port the client opens the negotiation itself (netkit's telnetport).
  if (args.port === TELNET_PORT) {
    s.telnetMode = true;
    yield* writeAll(fd, concatBytes([s.telnet.requestRemote(TELOPT_SGA, true), s.telnet.requestLocal(TELOPT_TTYPE, true)]));
  }
  yield* sys.sigaction('SIGINT', 'catch');
  yield* sys.sigaction('SIGTERM', 'catch');
  const status = yield* relay(s);
  yield* setLocalEcho(s, true);
  yield* sys.close(fd);
  if (status === 143) {
    // Die of the SIGTERM we caught to restore the terminal first.
    yield* sys.sigaction('SIGTERM', 'default');
    yield* sys.kill(yield* sys.getpid(), 'SIGTERM');
  }
  return status;
}
