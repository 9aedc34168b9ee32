// sock: make socket calls one at a time, as its own process, and print each one the way
// `strace -f` would:
//   sock 'socket tcp; bind 0.0.0.0:5000; listen 1; accept; recv; close; sleep 30s'
//   socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3
//   bind(3, {sa_family=AF_INET, sin_port=htons(5000), sin_addr=inet_addr("0.0.0.0")}, 16) = 0
//   ...
// Without a script it reads commands from the terminal (prompt "sock> ", one line at a time).
// The language is in sock-script.ts. After `fork` the rest of the script runs in both processes
// (in interactive mode, the rest of the line; then the child exits) and, like strace -f, every
// line gets a "[pid   N] " prefix while more than one process is alive.
//
// A blocking call prints its first half at once ("accept(3, ") and the rest when it returns; if the
// other process prints meanwhile, the line is cut with " <unfinished ...>" and finished later as
// "<... accept resumed>...", as strace does. The printer is shared by the processes of one sock run
// (strace is one tracer for the whole process tree, too).
//
// Differences from strace, on purpose: send()/recv() keep their names (the lab kernel has send and
// recv syscalls; x86-64 strace would show sendto/recvfrom with NULL addresses), fork() is fork (not
// clone), and the "= result" is not padded to column 40 unless asked with -a 40. Pointers strace
// prints for failed output arguments are fixed made-up values.
import { formatIpv4 } from '../../../shared/wire';
import { Errno, isErr, sys, type SockOptValue, type Sys, type WaitStatus } from '../process';
import { decodeUtf8, encodeUtf8 } from '../process/utf8';
import { formatError, parseScript, type Cmd } from './sock-script';
import { getopt } from './getopt';
import { err, out } from './stdio';

const STACK_PTR = '0x7ffd5f1e3a70';
const HEAP_PTR = '0x55d4c8f3e2a0';

const USAGE = `usage: sock [-s STRSIZE] [-a COLUMN] [-e] [-q] ['SCRIPT']
Make socket calls one at a time and print them like strace. Commands, separated by ';':
  socket tcp|udp|icmp        socketpair
  setsockopt [FD] reuseaddr|reuseport|nodelay|keepalive|linger0|linger SECS|rcvbuf N|sndbuf N
  bind [FD] ADDR:PORT        connect [FD] ADDR:PORT       listen [FD] BACKLOG
  accept [FD]                send [FD] TEXT               sendto [FD] ADDR:PORT TEXT
  recv [FD] [N]              recvfrom [FD] [N]            shutdown [FD] rd|wr|rdwr
  close [FD]                 getsockname [FD]             getpeername [FD]
  nonblock [FD] [on|off]     fork                         wait [PID]
  sleep DURATION             exit [CODE]
A call acts on the newest open descriptor unless one is named right after the command
(close 3, send 4 hello, listen 3 5). TEXT is the rest of the command, or "quoted" with
\\n \\r \\t \\0 \\\\ \\" \\xHH. ADDR is a dotted quad or *. DURATION: 500ms, 2s, 1m.
After fork the rest of the script runs in both processes.
  -s N   print at most N bytes of data (default 32, as strace)
  -a N   align "= result" at column N (strace's default is 40)
  -e     stop at the first call that fails
  -q     do not print the "+++ exited with N +++" lines
Without SCRIPT, commands are read from the terminal (prompt "sock> ").
`;

/** strace's string printer: C escapes, octal for other bytes, at most `max` bytes then "...". */
export function straceString(data: Uint8Array, max: number): string {
  let s = '"';
  const n = Math.min(data.length, max);
  for (let i = 0; i < n; i++) {
    const b = data[i]!;
    const next = i + 1 < n ? data[i + 1]! : -1;
    if (b === 0x22) s += '\\"';
    else if (b === 0x5c) s += '\\\\';
    else if (b === 0x0a) s += '\\n';
    else if (b === 0x0d) s += '\\r';
    else if (b === 0x09) s += '\\t';
    else if (b === 0x0b) s += '\\v';
    else if (b === 0x0c) s += '\\f';
    else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
    else s += '\\' + (next >= 0x30 && next <= 0x37 ? b.toString(8).padStart(3, '0') : b.toString(8));
  }
  return s + '"' + (data.length > max ? '...' : '');
}

const sockaddr = (addr: number, port: number) => `{sa_family=AF_INET, sin_port=htons(${port}), sin_addr=inet_addr("${formatIpv4(addr)}")}`;

function waitStatus(w: WaitStatus): string {
  if (w.signal) return `[{WIFSIGNALED(s) && WTERMSIG(s) == ${w.signal}}]`;
  return `[{WIFEXITED(s) && WEXITSTATUS(s) == ${w.status}}]`;
}

const result = (r: number | Errno) => (isErr(r) ? `-1 ${r.name} (${r.message})` : String(r));

/**
 * The strace-like printer shared by the processes of one sock run: "[pid N] " prefixes while more
 * than one is alive, and <unfinished ...> / <... resumed> when lines interleave.
 */
class Tracer {
  procs = 1;
  private pending: { pid: number; name: string; col: number } | null = null;
  private cut = new Map<number, string>();

  constructor(
    readonly strsize = 32,
    readonly column = 0,
  ) {}

  private prefix(pid: number): string {
    return this.procs > 1 ? `[pid ${String(pid).padStart(5)}] ` : '';
  }

  /** Anything another process prints first cuts a half-printed line. */
  private *interrupt(pid: number): Sys<void> {
    if (this.pending && this.pending.pid !== pid) {
      yield* out(' <unfinished ...>\n');
      this.cut.set(this.pending.pid, this.pending.name);
      this.pending = null;
    }
  }

  /** Print the part of a call known before it runs: "accept(3, ". */
  *begin(pid: number, name: string, text: string): Sys<void> {
    yield* this.interrupt(pid);
    const line = this.prefix(pid) + text;
    yield* out(line);
    this.pending = { pid, name, col: line.length };
  }

  /** Finish the call: the rest of its arguments and " = result". */
  *end(pid: number, rest: string, res: string): Sys<void> {
    yield* this.interrupt(pid);
    let line: string;
    let col: number;
    if (this.pending?.pid === pid) {
      line = rest + ')';
      col = this.pending.col + line.length;
    } else {
      const name = this.cut.get(pid) ?? '?';
      line = `${this.prefix(pid)}<... ${name} resumed>${rest})`;
      col = line.length;
    }
    this.cut.delete(pid);
    this.pending = null;
    const pad = this.column > col + 1 ? ' '.repeat(this.column - col - 1) : '';
    yield* out(`${line} ${pad}= ${res}\n`);
  }

  /** A whole line of its own ("+++ exited with 0 +++", the prompt). */
  *line(pid: number, text: string, prefixed = true): Sys<void> {
    yield* this.interrupt(pid);
    yield* out((prefixed ? this.prefix(pid) : '') + text);
  }
}

interface State {
  pid: number;
  /** Open descriptors, oldest first: calls without an fd act on the last. */
  fds: number[];
  children: number[];
  failed: boolean;
}

interface Run {
  tracer: Tracer;
  stopOnError: boolean;
  quiet: boolean;
}

const current = (st: State) => st.fds[st.fds.length - 1] ?? -1;
const forget = (st: State, fd: number) => {
  const i = st.fds.lastIndexOf(fd);
  if (i >= 0) st.fds.splice(i, 1);
};
const remember = (st: State, fd: number) => {
  forget(st, fd);
  st.fds.push(fd);
};

function optText(opt: string, value: SockOptValue): string {
  const level = opt.startsWith('TCP_') ? 'SOL_TCP' : 'SOL_SOCKET';
  if (typeof value === 'number') return `${level}, ${opt}, [${value}], 4`;
  return `${level}, ${opt}, {l_onoff=${value.onoff}, l_linger=${value.linger}}, 8`;
}

/** Run one command: print its call, make it, print the result. Returns false if the call failed. */
function* step(run: Run, st: State, c: Cmd, cmds: Cmd[], i: number): Sys<boolean> {
  const t = run.tracer;
  const me = st.pid;
  const fdOf = (x: { fd?: number }) => x.fd ?? current(st);
  const ok = (r: unknown) => !isErr(r);
  switch (c.kind) {
    case 'socket': {
      const [type, proto] = c.proto === 'tcp' ? ['SOCK_STREAM', 'IPPROTO_TCP'] : c.proto === 'udp' ? ['SOCK_DGRAM', 'IPPROTO_UDP'] : ['SOCK_DGRAM', 'IPPROTO_ICMP'];
      yield* t.begin(me, 'socket', `socket(AF_INET, ${type}, ${proto}`);
      const r = yield* sys.socket(c.proto === 'tcp' ? 'stream' : 'dgram', c.proto);
      if (!isErr(r)) remember(st, r);
      yield* t.end(me, '', result(r));
      return ok(r);
    }
    case 'socketpair': {
      yield* t.begin(me, 'socketpair', 'socketpair(AF_UNIX, SOCK_STREAM, 0, ');
      const r = yield* sys.socketpair('stream');
      if (isErr(r)) {
        yield* t.end(me, STACK_PTR, result(r));
        return false;
      }
      remember(st, r[0]);
      remember(st, r[1]);
      yield* t.end(me, `[${r[0]}, ${r[1]}]`, '0');
      return true;
    }
    case 'setsockopt': {
      const fd = fdOf(c);
      yield* t.begin(me, 'setsockopt', `setsockopt(${fd}, ${optText(c.opt, c.value)}`);
      const r = yield* sys.setsockopt(fd, c.opt, c.value);
      yield* t.end(me, '', result(r));
      return ok(r);
    }
    case 'bind':
    case 'connect': {
      const fd = fdOf(c);
      yield* t.begin(me, c.kind, `${c.kind}(${fd}, ${sockaddr(c.addr, c.port)}, 16`);
      const r = c.kind === 'bind' ? yield* sys.bind(fd, c.addr, c.port) : yield* sys.connect(fd, c.addr, c.port);
      yield* t.end(me, '', result(r));
      return ok(r);
    }
    case 'listen': {
      const fd = fdOf(c);
      yield* t.begin(me, 'listen', `listen(${fd}, ${c.backlog}`);
      const r = yield* sys.listen(fd, c.backlog);
      yield* t.end(me, '', result(r));
      return ok(r);
    }
    case 'accept': {
      const fd = fdOf(c);
      yield* t.begin(me, 'accept', `accept(${fd}, `);
      const r = yield* sys.accept(fd);
      if (isErr(r)) {
        yield* t.end(me, `${STACK_PTR}, [16]`, result(r));
        return false;
      }
      remember(st, r.fd);
      yield* t.end(me, `${sockaddr(r.addr, r.port)}, [16]`, String(r.fd));
      return true;
    }
    case 'getsockname':
    case 'getpeername': {
      const fd = fdOf(c);
      yield* t.begin(me, c.kind, `${c.kind}(${fd}, `);
      const r = c.kind === 'getsockname' ? yield* sys.getsockname(fd) : yield* sys.getpeername(fd);
      if (isErr(r)) yield* t.end(me, `${STACK_PTR}, [16]`, result(r));
      else yield* t.end(me, `${sockaddr(r.addr, r.port)}, [16]`, '0');
      return ok(r);
    }
    case 'send': {
      const fd = fdOf(c);
      const data = encodeUtf8(c.data);
      yield* t.begin(me, 'send', `send(${fd}, ${straceString(data, t.strsize)}, ${data.length}, 0`);
      const r = yield* sys.send(fd, data);
      yield* t.end(me, '', result(r));
      return ok(r);
    }
    case 'sendto': {
      const fd = fdOf(c);
      const data = encodeUtf8(c.data);
      yield* t.begin(me, 'sendto', `sendto(${fd}, ${straceString(data, t.strsize)}, ${data.length}, 0, ${sockaddr(c.addr, c.port)}, 16`);
      const r = yield* sys.sendto(fd, data, c.addr, c.port);
      yield* t.end(me, '', result(r));
      return ok(r);
    }
    case 'recv': {
      const fd = fdOf(c);
      yield* t.begin(me, 'recv', `recv(${fd}, `);
      const r = yield* sys.recv(fd, c.max);
      if (isErr(r)) yield* t.end(me, `${HEAP_PTR}, ${c.max}, 0`, result(r));
      else yield* t.end(me, `${straceString(r, t.strsize)}, ${c.max}, 0`, String(r.length));
      return ok(r);
    }
    case 'recvfrom': {
      const fd = fdOf(c);
      yield* t.begin(me, 'recvfrom', `recvfrom(${fd}, `);
      const r = yield* sys.recvfrom(fd, c.max);
      if (isErr(r)) yield* t.end(me, `${HEAP_PTR}, ${c.max}, 0, ${STACK_PTR}, [16]`, result(r));
      else yield* t.end(me, `${straceString(r.data, t.strsize)}, ${c.max}, 0, ${sockaddr(r.addr, r.port)}, [16]`, String(r.data.length));
      return ok(r);
    }
    case 'shutdown': {
      const fd = fdOf(c);
      yield* t.begin(me, 'shutdown', `shutdown(${fd}, ${c.how === 'rd' ? 'SHUT_RD' : c.how === 'wr' ? 'SHUT_WR' : 'SHUT_RDWR'}`);
      const r = yield* sys.shutdown(fd, c.how);
      yield* t.end(me, '', result(r));
      return ok(r);
    }
    case 'close': {
      const fd = fdOf(c);
      yield* t.begin(me, 'close', `close(${fd}`);
      const r = yield* sys.close(fd);
      forget(st, fd);
      yield* t.end(me, '', result(r));
      return ok(r);
    }
    case 'nonblock': {
      const fd = fdOf(c);
      yield* t.begin(me, 'fcntl', `fcntl(${fd}, F_SETFL, ${c.on ? 'O_RDWR|O_NONBLOCK' : 'O_RDWR'}`);
      const r = yield* sys.setNonblock(fd, c.on);
      yield* t.end(me, '', result(r));
      return ok(r);
    }
    case 'sleep': {
      const s = Math.floor(c.ns / 1e9);
      yield* t.begin(me, 'nanosleep', `nanosleep({tv_sec=${s}, tv_nsec=${c.ns - s * 1e9}}, `);
      const r = yield* sys.nanosleep(c.ns);
      yield* t.end(me, 'NULL', result(r));
      return ok(r);
    }
    case 'wait': {
      const pid = c.pid ?? st.children[st.children.length - 1] ?? -1;
      yield* t.begin(me, 'wait4', `wait4(${pid}, `);
      const r = yield* sys.waitpid(pid);
      if (isErr(r) || r === null) yield* t.end(me, `${STACK_PTR}, 0, NULL`, r === null ? '0' : result(r));
      else {
        st.children = st.children.filter((x) => x !== r.pid);
        yield* t.end(me, `${waitStatus(r)}, 0, NULL`, String(r.pid));
      }
      return ok(r) && r !== null;
    }
    case 'fork': {
      yield* t.begin(me, 'fork', 'fork(');
      const child: State = { pid: 0, fds: [...st.fds], children: [], failed: st.failed };
      t.procs++;
      const r = yield* sys.fork(() => childMain(run, child, cmds, i + 1));
      if (isErr(r)) t.procs--;
      else st.children.push(r);
      yield* t.end(me, '', result(r));
      return ok(r);
    }
    case 'exit':
      return true; // handled by the caller
  }
}

/** Run cmds[from..]; returns the exit status. */
function* runCommands(run: Run, st: State, cmds: Cmd[], from: number): Sys<number | null> {
  for (let i = from; i < cmds.length; i++) {
    const c = cmds[i]!;
    if (c.kind === 'exit') return c.code;
    const good = yield* step(run, st, c, cmds, i);
    if (!good) {
      st.failed = true;
      if (run.stopOnError) return 1;
    }
  }
  return null;
}

function* exitProcess(run: Run, st: State, code: number): Sys<number> {
  yield* run.tracer.begin(st.pid, 'exit_group', `exit_group(${code}`);
  yield* run.tracer.end(st.pid, '', '?');
  if (!run.quiet) yield* run.tracer.line(st.pid, `+++ exited with ${code} +++\n`);
  run.tracer.procs = Math.max(1, run.tracer.procs - 1);
  return code;
}

function* childMain(run: Run, st: State, cmds: Cmd[], from: number): Sys<number> {
  st.pid = yield* sys.getpid();
  const code = yield* runCommands(run, st, cmds, from);
  return yield* exitProcess(run, st, code ?? (st.failed ? 1 : 0));
}

export function* sock(argv: string[]): Sys<number> {
  const g = getopt('sock', argv, 's:a:eqh', { help: { key: 'h', arg: 'none' } }, false);
  if ('error' in g) {
    yield* err(g.error + USAGE);
    return 2;
  }
  let strsize = 32;
  let column = 0;
  let stopOnError = false;
  let quiet = false;
  for (const { key, value } of g.opts) {
    if (key === 'h') {
      yield* out(USAGE);
      return 0;
    }
    if (key === 's' || key === 'a') {
      if (!/^\d+$/.test(value!)) {
        yield* err(`sock: invalid -${key} argument: '${value}'\n`);
        return 2;
      }
      if (key === 's') strsize = Number(value);
      else column = Number(value);
    } else if (key === 'e') stopOnError = true;
    else if (key === 'q') quiet = true;
  }
  const run: Run = { tracer: new Tracer(strsize, column), stopOnError, quiet };
  const st: State = { pid: yield* sys.getpid(), fds: [], children: [], failed: false };
  if (g.args.length) {
    const script = g.args.join(' ');
    const cmds = parseScript(script);
    if (!Array.isArray(cmds)) {
      yield* err(formatError(script, cmds));
      return 2;
    }
    const code = yield* runCommands(run, st, cmds, 0);
    return yield* exitProcess(run, st, code ?? (st.failed ? 1 : 0));
  }
  // Interactive: one line at a time from the terminal.
  for (;;) {
    yield* run.tracer.line(st.pid, 'sock> ', false);
    const line = yield* sys.read(0);
    if (isErr(line)) continue;
    const text = typeof line === 'string' ? line : decodeUtf8(line);
    if (text === '') {
      yield* out('\n');
      return yield* exitProcess(run, st, st.failed ? 1 : 0);
    }
    const cmds = parseScript(text.replace(/\n$/, ''));
    if (!Array.isArray(cmds)) {
      yield* err(formatError(text.replace(/\n$/, ''), cmds));
      continue;
    }
    const code = yield* runCommands(run, st, cmds, 0);
    if (code !== null) return yield* exitProcess(run, st, code);
  }
}
