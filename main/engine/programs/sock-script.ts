// The little language of `sock`: socket calls one at a time, separated by ';' or newlines.
//
//   socket tcp|udp|icmp         socketpair
//   setsockopt [FD] reuseaddr|reuseport|nodelay|keepalive|linger0|linger SECS|rcvbuf N|sndbuf N
//   bind [FD] ADDR:PORT         connect [FD] ADDR:PORT       listen [FD] BACKLOG
//   accept [FD]                 send [FD] TEXT               sendto [FD] ADDR:PORT TEXT
//   recv [FD] [N]               recvfrom [FD] [N]            shutdown [FD] rd|wr|rdwr
//   close [FD]                  getsockname [FD]             getpeername [FD]
//   nonblock [FD] [on|off]      fork                         wait [PID]
//   sleep DURATION              exit [CODE]
//
// FD: a call acts on the most recent descriptor that is still open (the last socket or accept)
// unless one is named as a number right after the command: `close 3`, `send 4 hello`. Where the
// command's own argument is a number too (listen, recv, recvfrom) two numbers are FD then the
// argument (`listen 3 5`) and one number is the argument (`listen 5`, `recv 100`). `send 4` sends
// the text "4"; `send 4 "4"` sends "4" on fd 4.
// TEXT: the rest of the command as written, or a "double-quoted" string with \n \r \t \0 \\ \" \xHH.
// ADDR: dotted quad, or * for 0.0.0.0. DURATION: 500ms, 2s, 1.5s, 1m, 100us (a bare number is seconds).
//
// The whole script is parsed before anything runs: an error names the command and its column, and
// no call is made.
import { parseIpv4 } from '../../../shared/wire';
import type { ShutdownHow, SockOptName, SockOptValue } from '../process';

interface Base {
  /** 1-based index of the command in the script. */
  index: number;
  /** The command as written. */
  text: string;
}

export type Cmd = Base &
  (
    | { kind: 'socket'; proto: 'tcp' | 'udp' | 'icmp' }
    | { kind: 'socketpair' }
    | { kind: 'setsockopt'; fd?: number; opt: SockOptName; value: SockOptValue; label: string }
    | { kind: 'bind' | 'connect'; fd?: number; addr: number; port: number }
    | { kind: 'listen'; fd?: number; backlog: number }
    | { kind: 'accept' | 'close' | 'getsockname' | 'getpeername'; fd?: number }
    | { kind: 'send'; fd?: number; data: string }
    | { kind: 'sendto'; fd?: number; addr: number; port: number; data: string }
    | { kind: 'recv' | 'recvfrom'; fd?: number; max: number }
    | { kind: 'shutdown'; fd?: number; how: ShutdownHow }
    | { kind: 'nonblock'; fd?: number; on: boolean }
    | { kind: 'fork' }
    | { kind: 'wait'; pid?: number }
    | { kind: 'sleep'; ns: number }
    | { kind: 'exit'; code: number }
  );

export interface ScriptError {
  index: number;
  /** 1-based column of the offending word in the script. */
  col: number;
  message: string;
}

const COMMANDS = [
  'socket', 'socketpair', 'setsockopt', 'bind', 'listen', 'accept', 'connect', 'send', 'sendto', 'recv', 'recvfrom',
  'shutdown', 'close', 'getsockname', 'getpeername', 'nonblock', 'fork', 'wait', 'sleep', 'exit',
] as const;

interface Tok {
  /** The word, with quotes removed and escapes decoded. */
  value: string;
  /** 0-based offset in the script. */
  at: number;
  quoted: boolean;
}

class Fail {
  constructor(
    readonly at: number,
    readonly message: string,
  ) {}
}

/** Split into commands at ';' and newlines outside double quotes; keep each command's offset. */
function splitCommands(script: string): { text: string; at: number }[] | Fail {
  const cmds: { text: string; at: number }[] = [];
  let start = 0;
  let inQuote = -1;
  for (let i = 0; i <= script.length; i++) {
    const ch = script[i];
    if (inQuote >= 0) {
      if (ch === '\\') i++;
      else if (ch === '"') inQuote = -1;
      else if (ch === undefined) return new Fail(inQuote, 'unterminated "..." string');
      continue;
    }
    if (ch === '"') inQuote = i;
    else if (ch === ';' || ch === '\n' || ch === undefined) {
      const raw = script.slice(start, i);
      const lead = raw.length - raw.trimStart().length;
      const text = raw.trim();
      if (text) cmds.push({ text, at: start + lead });
      start = i + 1;
    }
  }
  return cmds;
}

/** Decode a "..." string starting at text[0] === '"'; returns the value and the length consumed. */
function quoted(text: string, at: number): { value: string; len: number } | Fail {
  let v = '';
  for (let i = 1; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') return { value: v, len: i + 1 };
    if (ch !== '\\') {
      v += ch;
      continue;
    }
    const e = text[++i];
    const map: Record<string, string> = { n: '\n', r: '\r', t: '\t', '0': '\0', '\\': '\\', '"': '"' };
    if (e !== undefined && map[e] !== undefined) v += map[e];
    else if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      v += String.fromCharCode(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else return new Fail(at + i - 1, `unknown escape "\\${e ?? ''}" (use \\n \\r \\t \\0 \\\\ \\" or \\xHH)`);
  }
  return new Fail(at, 'unterminated "..." string');
}

function tokenize(text: string, at: number): Tok[] | Fail {
  const toks: Tok[] = [];
  for (let i = 0; i < text.length; ) {
    if (text[i] === ' ' || text[i] === '\t') {
      i++;
      continue;
    }
    if (text[i] === '"') {
      const q = quoted(text.slice(i), at + i);
      if (q instanceof Fail) return q;
      toks.push({ value: q.value, at: at + i, quoted: true });
      i += q.len;
      continue;
    }
    let j = i;
    while (j < text.length && text[j] !== ' ' && text[j] !== '\t') j++;
    toks.push({ value: text.slice(i, j), at: at + i, quoted: false });
    i = j;
  }
  return toks;
}

const isInt = (t: Tok | undefined) => !!t && !t.quoted && /^\d+$/.test(t.value);

function parseAddr(t: Tok | undefined, cmd: string, end: number): { addr: number; port: number } | Fail {
  if (!t) return new Fail(end, `${cmd}: expected ADDR:PORT (like 0.0.0.0:5000)`);
  const m = /^(.*):(\d+)$/.exec(t.value);
  if (!m) return new Fail(t.at, `${cmd}: expected ADDR:PORT (like 0.0.0.0:5000), got "${t.value}"`);
  const host = m[1]!;
  const addr = host === '*' || host === '' ? 0 : parseIpv4(host);
  if (addr === null) return new Fail(t.at, `${cmd}: "${host}" is not an IPv4 address`);
  const port = Number(m[2]);
  if (port > 65535) return new Fail(t.at + host.length + 1, `${cmd}: port ${m[2]} is out of range (0-65535)`);
  return { addr, port };
}

/** "500ms", "2s", "1.5s", "1m", "100us", "3" (seconds) -> nanoseconds. */
export function parseDuration(s: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)?$/.exec(s);
  if (!m) return null;
  const unit: Record<string, number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  return Math.round(Number(m[1]) * unit[m[2] ?? 's']!);
}

const SOCKOPTS: Record<string, { opt: SockOptName; value?: SockOptValue; arg?: 'seconds' | 'bytes' }> = {
  reuseaddr: { opt: 'SO_REUSEADDR', value: 1 },
  reuseport: { opt: 'SO_REUSEPORT', value: 1 },
  nodelay: { opt: 'TCP_NODELAY', value: 1 },
  keepalive: { opt: 'SO_KEEPALIVE', value: 1 },
  linger0: { opt: 'SO_LINGER', value: { onoff: 1, linger: 0 } },
  linger: { opt: 'SO_LINGER', arg: 'seconds' },
  rcvbuf: { opt: 'SO_RCVBUF', arg: 'bytes' },
  sndbuf: { opt: 'SO_SNDBUF', arg: 'bytes' },
};

function parseCommand(text: string, at: number, index: number): Cmd | Fail {
  const toks = tokenize(text, at);
  if (toks instanceof Fail) return toks;
  const [head, ...rest] = toks;
  const name = head!.value;
  const end = at + text.length;
  const base = { index, text };
  if (!(COMMANDS as readonly string[]).includes(name) || head!.quoted) return new Fail(head!.at, `unknown command "${name}" (commands: ${COMMANDS.join(', ')})`);
  const extra = (from: number): Fail | null => (rest[from] ? new Fail(rest[from]!.at, `${name}: unexpected "${rest[from]!.value}"`) : null);
  /** For commands that take [FD] and then their own words: a leading number is the fd when more follows. */
  const fdThen = (own: number): { fd?: number; args: Tok[] } => {
    if (isInt(rest[0]) && rest.length > own) return { fd: Number(rest[0]!.value), args: rest.slice(1) };
    return { args: rest };
  };
  switch (name) {
    case 'socket': {
      const t = rest[0];
      if (!t) return new Fail(end, 'socket: expected tcp, udp or icmp');
      if (t.value !== 'tcp' && t.value !== 'udp' && t.value !== 'icmp') return new Fail(t.at, `socket: expected tcp, udp or icmp, got "${t.value}"`);
      return extra(1) ?? { ...base, kind: 'socket', proto: t.value };
    }
    case 'socketpair':
    case 'fork':
      return extra(0) ?? { ...base, kind: name };
    case 'accept':
    case 'close':
    case 'getsockname':
    case 'getpeername': {
      if (rest[0] && !isInt(rest[0])) return new Fail(rest[0].at, `${name}: expected a file descriptor number, got "${rest[0].value}"`);
      return extra(1) ?? { ...base, kind: name, fd: rest[0] ? Number(rest[0].value) : undefined };
    }
    case 'bind':
    case 'connect': {
      const { fd, args } = fdThen(1);
      const a = parseAddr(args[0], name, end);
      if (a instanceof Fail) return a;
      if (args[1]) return new Fail(args[1].at, `${name}: unexpected "${args[1].value}"`);
      return { ...base, kind: name, fd, ...a };
    }
    case 'listen': {
      const { fd, args } = fdThen(1);
      const t = args[0];
      if (!t) return new Fail(end, 'listen: expected a backlog (a number)');
      if (!/^-?\d+$/.test(t.value) || t.quoted) return new Fail(t.at, `listen: backlog must be a number, got "${t.value}"`);
      if (args[1]) return new Fail(args[1].at, `listen: unexpected "${args[1].value}"`);
      return { ...base, kind: 'listen', fd, backlog: Number(t.value) };
    }
    case 'recv':
    case 'recvfrom': {
      const { fd, args } = fdThen(1);
      const t = args[0];
      if (t && (!isInt(t) || Number(t.value) === 0)) return new Fail(t.at, `${name}: expected a byte count (a positive number), got "${t.value}"`);
      if (args[1]) return new Fail(args[1].at, `${name}: unexpected "${args[1].value}"`);
      return { ...base, kind: name, fd, max: t ? Number(t.value) : 1024 };
    }
    case 'send':
    case 'sendto': {
      let i = 0;
      let fd: number | undefined;
      const need = name === 'sendto' ? 2 : 1;
      if (isInt(rest[0]) && rest.length > need) {
        fd = Number(rest[0]!.value);
        i = 1;
      }
      let addr: { addr: number; port: number } | undefined;
      if (name === 'sendto') {
        const a = parseAddr(rest[i], 'sendto', end);
        if (a instanceof Fail) return a;
        addr = a;
        i++;
      }
      const t = rest[i];
      if (!t) return new Fail(end, `${name}: expected the text to send`);
      if (t.quoted) {
        if (rest[i + 1]) return new Fail(rest[i + 1]!.at, `${name}: unexpected "${rest[i + 1]!.value}" after the quoted text`);
        return name === 'send' ? { ...base, kind: 'send', fd, data: t.value } : { ...base, kind: 'sendto', fd, ...addr!, data: t.value };
      }
      const data = text.slice(t.at - at);
      return name === 'send' ? { ...base, kind: 'send', fd, data } : { ...base, kind: 'sendto', fd, ...addr!, data };
    }
    case 'shutdown': {
      const { fd, args } = fdThen(1);
      const t = args[0];
      if (!t) return new Fail(end, 'shutdown: expected rd, wr or rdwr');
      if (t.value !== 'rd' && t.value !== 'wr' && t.value !== 'rdwr') return new Fail(t.at, `shutdown: expected rd, wr or rdwr, got "${t.value}"`);
      if (args[1]) return new Fail(args[1].at, `shutdown: unexpected "${args[1].value}"`);
      return { ...base, kind: 'shutdown', fd, how: t.value };
    }
    case 'nonblock': {
      const fd = isInt(rest[0]) ? Number(rest[0]!.value) : undefined;
      const args = fd === undefined ? rest : rest.slice(1);
      const t = args[0];
      if (t && t.value !== 'on' && t.value !== 'off') return new Fail(t.at, `nonblock: expected on or off, got "${t.value}"`);
      if (args[1]) return new Fail(args[1].at, `nonblock: unexpected "${args[1].value}"`);
      return { ...base, kind: 'nonblock', fd, on: t?.value !== 'off' };
    }
    case 'setsockopt': {
      const fd = isInt(rest[0]) ? Number(rest[0]!.value) : undefined;
      const args = fd === undefined ? rest : rest.slice(1);
      const t = args[0];
      const names = 'reuseaddr, reuseport, nodelay, keepalive, linger0, linger SECS, rcvbuf N or sndbuf N';
      if (!t) return new Fail(end, `setsockopt: expected ${names}`);
      const spec = SOCKOPTS[t.value];
      if (!spec) return new Fail(t.at, `setsockopt: expected ${names}, got "${t.value}"`);
      let value = spec.value;
      let next = 1;
      if (spec.arg) {
        const v = args[1];
        if (!v) return new Fail(end, `setsockopt: ${t.value} needs a number`);
        if (!isInt(v)) return new Fail(v.at, `setsockopt: ${t.value} needs a number, got "${v.value}"`);
        value = spec.arg === 'seconds' ? { onoff: 1, linger: Number(v.value) } : Number(v.value);
        next = 2;
      }
      if (args[next]) return new Fail(args[next]!.at, `setsockopt: unexpected "${args[next]!.value}"`);
      return { ...base, kind: 'setsockopt', fd, opt: spec.opt, value: value!, label: t.value };
    }
    case 'wait': {
      const t = rest[0];
      if (t && !isInt(t)) return new Fail(t.at, `wait: expected a process id, got "${t.value}"`);
      return extra(1) ?? { ...base, kind: 'wait', pid: t ? Number(t.value) : undefined };
    }
    case 'sleep': {
      const t = rest[0];
      if (!t) return new Fail(end, 'sleep: expected a duration like 500ms, 2s or 1m');
      const ns = parseDuration(t.value);
      if (ns === null) return new Fail(t.at, `sleep: expected a duration like 500ms, 2s or 1m, got "${t.value}"`);
      return extra(1) ?? { ...base, kind: 'sleep', ns };
    }
    case 'exit': {
      const t = rest[0];
      if (t && !isInt(t)) return new Fail(t.at, `exit: expected a status number, got "${t.value}"`);
      return extra(1) ?? { ...base, kind: 'exit', code: t ? Number(t.value) & 255 : 0 };
    }
  }
  return new Fail(head!.at, `unknown command "${name}"`);
}

/** Parse a whole script; on the first error, nothing is returned to run. */
export function parseScript(script: string): Cmd[] | ScriptError {
  const parts = splitCommands(script);
  if (parts instanceof Fail) return { index: 1 + countBefore(script, parts.at), col: parts.at + 1, message: parts.message };
  const cmds: Cmd[] = [];
  for (const [i, p] of parts.entries()) {
    const c = parseCommand(p.text, p.at, i + 1);
    if (c instanceof Fail) return { index: i + 1, col: c.at + 1, message: c.message };
    cmds.push(c);
  }
  return cmds;
}

/** Which command (1-based) an offset falls in, counting separators before it. */
function countBefore(script: string, at: number): number {
  let n = 0;
  let inQuote = false;
  let sawText = false;
  for (let i = 0; i < at; i++) {
    const ch = script[i]!;
    if (inQuote) {
      if (ch === '\\') i++;
      else if (ch === '"') inQuote = false;
      continue;
    }
    if (ch === '"') inQuote = true;
    if (ch === ';' || ch === '\n') {
      if (sawText) n++;
      sawText = false;
    } else if (ch !== ' ' && ch !== '\t') sawText = true;
  }
  return n;
}

/** The error as sock prints it: what and where, then the script line with a caret under the spot. */
export function formatError(script: string, e: ScriptError): string {
  const lineStart = script.lastIndexOf('\n', e.col - 2) + 1;
  const lineEnd = script.indexOf('\n', lineStart);
  const line = script.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
  const col = e.col - lineStart;
  return `sock: error in command ${e.index} at column ${col}: ${e.message}\n  ${line}\n  ${' '.repeat(Math.max(0, col - 1))}^\n`;
}
