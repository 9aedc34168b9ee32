// ps (procps-ng 4.x): the process table. UNIX options (-e -A -f -l -o -p -C), BSD ones (a u x,
// as in `ps aux`), and the default (the processes on the caller's terminal). Columns are procps's
// (widths, alignment, and its habit of borrowing the next column's padding when a field overflows,
// which is why `ps -l` prints "ADDR SZ WCHAN").
//
// What the lab does not model prints as a real idle system would: every process is root (uid 0),
// CPU time 00:00:00, %CPU/%MEM 0.0, VSZ/RSS/SZ 0 (no memory model). STIME is virtual time as a clock
// that starts at 00:00 when the lab starts. STAT is the state letter alone (no session or
// foreground-group flags: the lab has no sessions). WCHAN is the Linux kernel function a process
// blocked in that call would sleep in (inet_csk_accept, sk_wait_data...).
import type { ProcessRow } from '../../../shared/api/kernel-view';
import { sys, type Sys } from '../process';
import { err, out } from './stdio';

/** The kernel's process table, tolerant of a kernel that does not fill every field yet. */
export function* processRows(): Sys<ProcessRow[]> {
  const rows = yield* sys.netlink<Partial<ProcessRow>[] | undefined>('procs');
  if (!Array.isArray(rows)) return [];
  return rows
    .map((p) => {
      const argv = p.argv ?? [];
      const a0 = argv[0] ?? '?';
      return {
        pid: p.pid ?? 0,
        ppid: p.ppid ?? 0,
        name: p.name ?? a0.slice(a0.lastIndexOf('/') + 1),
        argv,
        state: p.state ?? 'S',
        wchan: p.wchan ?? '',
        startedNs: p.startedNs ?? 0,
        uid: p.uid ?? 0,
        user: p.user ?? String(p.uid ?? 0),
        fds: p.fds ?? [],
      };
    })
    .sort((a, b) => a.pid - b.pid);
}

/** The controlling terminal as ps shows it ("pts/0"), from what fd 0 is; "?" when none. */
function ttyOf(p: ProcessRow): string {
  const fd0 = p.fds.find((f) => f.fd === 0)?.label ?? '';
  return fd0.startsWith('/dev/') && /^\/dev\/(pts\/\d+|tty\w*|console)$/.test(fd0) ? fd0.slice(5) : '?';
}

/** comm: the name, at most 15 characters (TASK_COMM_LEN - 1). */
export function comm(p: ProcessRow): string {
  return p.name.slice(0, 15);
}

/** The kernel function a task sleeping in the lab's syscall would show in /proc/<pid>/wchan. */
function kernelWchan(p: ProcessRow): string {
  if (p.state === 'R') return '-';
  if (p.state === 'Z') return '-';
  const w = p.wchan;
  const map: Record<string, string> = {
    accept: 'inet_csk_accept',
    connect: 'inet_wait_for_connect',
    recv: 'sk_wait_data',
    recvfrom: 'sk_wait_data',
    recvmsg: 'unix_stream_read_generic',
    send: 'sk_stream_wait_memory',
    poll: 'do_sys_poll',
    read: 'wait_woken',
    write: 'wait_woken',
    wait: 'do_wait',
    waitpid: 'do_wait',
    nanosleep: 'hrtimer_nanosleep',
    sleep: 'hrtimer_nanosleep',
  };
  return map[w] ?? (w || '-');
}

/** Virtual time as a wall clock that reads 00:00 when the lab starts. */
export function clock(ns: number): { hh: string; mm: string; ss: string; days: number } {
  const s = Math.floor(Math.max(0, ns) / 1e9);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return { hh: p2(Math.floor(s / 3600) % 24), mm: p2(Math.floor(s / 60) % 60), ss: p2(s % 60), days: Math.floor(s / 86400) };
}

// ---------------------------------------------------------------- formats

interface Col {
  header: string;
  width: number;
  right: boolean;
  /** Cut to the column width (WCHAN: "do_wait" prints as "do_wai"). */
  truncate?: boolean;
  value: (p: ProcessRow, ctx: Ctx) => string;
}

interface Ctx {
  now: number;
  rows: ProcessRow[];
}

/** F: 4 (PF_SUPERPRIV, every lab process is root) plus 1 (PF_FORKNOEXEC) for a child that fork()ed
 * and never exec()ed (the lab's fork keeps the parent's argv, which is how it is recognised). */
function flags(p: ProcessRow, c: Ctx): string {
  const parent = c.rows.find((x) => x.pid === p.ppid);
  const forked = !!parent && parent.argv.length === p.argv.length && parent.argv.every((a, i) => a === p.argv[i]);
  return String(4 | (forked ? 1 : 0));
}

const args = (p: ProcessRow) => (p.state === 'Z' ? `[${comm(p)}] <defunct>` : p.argv.join(' ') || `[${comm(p)}]`);
const ucmd = (p: ProcessRow) => (p.state === 'Z' ? `${comm(p)} <defunct>` : comm(p));
const etime = (p: ProcessRow, c: Ctx) => {
  const t = clock(c.now - p.startedNs);
  const mmss = `${t.mm}:${t.ss}`;
  return t.days ? `${t.days}-${t.hh}:${mmss}` : t.hh !== '00' ? `${t.hh}:${mmss}` : mmss;
};
const stime = (p: ProcessRow) => {
  const c = clock(p.startedNs);
  return `${c.hh}:${c.mm}`;
};

/** procps format specifiers the lab supports: header, width, alignment, value. */
const SPECS: Record<string, Col> = {
  pid: { header: 'PID', width: 7, right: true, value: (p) => String(p.pid) },
  ppid: { header: 'PPID', width: 7, right: true, value: (p) => String(p.ppid) },
  uid: { header: 'UID', width: 5, right: true, value: (p) => String(p.uid) },
  euid: { header: 'EUID', width: 5, right: true, value: (p) => String(p.uid) },
  user: { header: 'USER', width: 8, right: false, value: (p) => p.user },
  euser: { header: 'EUSER', width: 8, right: false, value: (p) => p.user },
  tty: { header: 'TT', width: 8, right: false, value: (p) => ttyOf(p) },
  tname: { header: 'TTY', width: 8, right: false, value: (p) => ttyOf(p) },
  tt: { header: 'TT', width: 8, right: false, value: (p) => ttyOf(p) },
  stat: { header: 'STAT', width: 4, right: false, value: (p) => p.state },
  s: { header: 'S', width: 1, right: false, value: (p) => p.state },
  state: { header: 'S', width: 1, right: false, value: (p) => p.state },
  wchan: { header: 'WCHAN', width: 6, right: false, truncate: true, value: (p) => kernelWchan(p) },
  comm: { header: 'COMMAND', width: 15, right: false, value: ucmd },
  ucmd: { header: 'CMD', width: 15, right: false, value: ucmd },
  ucomm: { header: 'COMMAND', width: 15, right: false, value: ucmd },
  args: { header: 'COMMAND', width: 27, right: false, value: args },
  cmd: { header: 'CMD', width: 27, right: false, value: args },
  command: { header: 'COMMAND', width: 27, right: false, value: args },
  time: { header: 'TIME', width: 8, right: true, value: () => '00:00:00' },
  cputime: { header: 'TIME', width: 8, right: true, value: () => '00:00:00' },
  bsdtime: { header: 'TIME', width: 6, right: true, value: () => '0:00' },
  etime: { header: 'ELAPSED', width: 11, right: true, value: etime },
  stime: { header: 'STIME', width: 5, right: true, value: stime },
  start_time: { header: 'START', width: 5, right: true, value: stime },
  start: { header: 'STARTED', width: 8, right: true, value: (p) => `${clock(p.startedNs).hh}:${clock(p.startedNs).mm}:${clock(p.startedNs).ss}` },
  bsdstart: { header: 'START', width: 6, right: true, value: stime },
  c: { header: 'C', width: 2, right: true, value: () => '0' },
  pcpu: { header: '%CPU', width: 4, right: true, value: () => '0.0' },
  '%cpu': { header: '%CPU', width: 4, right: true, value: () => '0.0' },
  pmem: { header: '%MEM', width: 4, right: true, value: () => '0.0' },
  '%mem': { header: '%MEM', width: 4, right: true, value: () => '0.0' },
  vsz: { header: 'VSZ', width: 6, right: true, value: () => '0' },
  rss: { header: 'RSS', width: 5, right: true, value: () => '0' },
  sz: { header: 'SZ', width: 5, right: true, value: () => '0' },
  f: { header: 'F', width: 1, right: true, value: (p, c) => flags(p, c) },
  flags: { header: 'F', width: 1, right: true, value: (p, c) => flags(p, c) },
  pri: { header: 'PRI', width: 3, right: true, value: () => '80' },
  ni: { header: 'NI', width: 3, right: true, value: () => '0' },
  addr: { header: 'ADDR', width: 1, right: true, value: () => '-' },
  nlwp: { header: 'NLWP', width: 4, right: true, value: () => '1' },
};

const col = (name: string, over: Partial<Col> = {}): Col => ({ ...SPECS[name]!, ...over });

const FORMATS = {
  default: () => [col('pid'), col('tname'), col('time'), col('ucmd')],
  full: () => [col('user', { header: 'UID' }), col('pid'), col('ppid'), col('c'), col('stime'), col('tname'), col('time'), col('cmd')],
  long: () => [col('f'), col('s'), col('uid'), col('pid'), col('ppid'), col('c'), col('pri'), col('ni'), col('addr'), col('sz'), col('wchan'), col('tname'), col('time'), col('ucmd')],
  longFull: () => [col('f'), col('s'), col('user', { header: 'UID' }), col('pid'), col('ppid'), col('c'), col('pri'), col('ni'), col('addr'), col('sz'), col('wchan'), col('stime'), col('tname'), col('time'), col('cmd')],
  bsdUser: () => [col('user'), col('pid'), col('pcpu'), col('pmem'), col('vsz'), col('rss'), col('tname', { header: 'TTY' }), col('stat'), col('bsdstart', { header: 'START', width: 5 }), col('bsdtime'), col('command')],
  bsd: () => [col('pid'), col('tname', { header: 'TTY' }), col('stat'), col('bsdtime'), col('command')],
};

/**
 * procps show_one_proc(): fields separated by one space; right-aligned fields pad on the left,
 * left-aligned ones on the right (except the last); a field wider than its column pushes the rest of
 * the line, and later padding is reduced to pay that back.
 */
function formatLine(cols: Col[], fields: string[]): string {
  let line = '';
  let debt = 0;
  cols.forEach((c, i) => {
    const v = c.truncate ? fields[i]!.slice(0, c.width) : fields[i]!;
    const last = i === cols.length - 1;
    if (i > 0) line += ' ';
    let pad = Math.max(0, c.width - v.length);
    const pay = Math.min(pad, debt);
    pad -= pay;
    debt -= pay;
    if (v.length > c.width) debt += v.length - c.width;
    if (c.right) line += ' '.repeat(pad) + v;
    else line += last ? v : v + ' '.repeat(pad);
  });
  return line + '\n';
}

function parseFormat(list: string[]): Col[] | string {
  const cols: Col[] = [];
  for (const item of list.flatMap((x) => x.split(/[,\s]+/)).filter(Boolean)) {
    const m = /^([^=:]+)(?::(\d+))?(?:=(.*))?$/.exec(item)!;
    const spec = SPECS[m[1]!];
    if (!spec) return m[1]!;
    cols.push({ ...spec, width: m[2] ? Number(m[2]) : spec.width, header: m[3] !== undefined ? m[3] : spec.header });
  }
  return cols;
}

const USAGE_ERR = (what: string) => `error: ${what}\n\nUsage:\n ps [options]\n\n Try 'ps --help <simple|list|output|threads|misc|all>'\n  or 'ps --help <s|l|o|t|m|a>'\n for additional help text.\n\nFor more details see ps(1).\n`;

export function* ps(argv: string[]): Sys<number> {
  let all = false;
  let dashA = false;
  let dashD = false;
  let full = false;
  let long = false;
  let bsdAll = false;
  let bsdX = false;
  let bsdU = false;
  let bsd = false;
  let noHeader = false;
  let userFmt: Col[] | null = null;
  const pids: number[] = [];
  const cmds: string[] = [];
  const words = argv.slice(1);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const listArg = (): string | null => {
      const v = words[++i];
      return v === undefined ? null : v;
    };
    if (w === '--help') {
      yield* out(' Usage:\n ps [options]\n\n Basic options:\n -A, -e               all processes\n -a                   all with tty, except session leaders\n  a                   all with tty, including other users\n  x                   processes without controlling ttys\n\n Selection by list:\n -C <command>         command name\n -p, p, --pid <PID>   process id\n\n Output formats:\n -F                   extra full\n -f                   full-format, including command lines\n  f, --forest         ascii art process tree\n -l                   long format\n  u                   user-oriented format\n -o, o, --format <format>\n                      user-defined format\n --no-headers         do not print header at all\n\nFor more details see ps(1).\n');
      return 0;
    }
    if (w === '--no-headers' || w === '--no-heading') {
      noHeader = true;
      continue;
    }
    if (w === '--pid' || w === '--format' || w === '-o' || w === 'o' || w === '-p' || w === 'p' || w === '-C') {
      const v = listArg();
      if (v === null) {
        yield* err(USAGE_ERR(w === '-C' ? 'list of command names must follow -C' : w.endsWith('p') || w === '--pid' ? 'list of process IDs must follow -p' : 'improper format list'));
        return 1;
      }
      if (w.endsWith('o') || w === '--format') {
        const f = parseFormat([v]);
        if (typeof f === 'string') {
          yield* err(USAGE_ERR(`unknown user-defined format specifier "${f}"`));
          return 1;
        }
        userFmt = [...(userFmt ?? []), ...f];
      } else if (w === '-C') cmds.push(...v.split(','));
      else {
        for (const x of v.split(/[,\s]+/).filter(Boolean)) {
          if (!/^\d+$/.test(x)) {
            yield* err(USAGE_ERR('process ID list syntax error'));
            return 1;
          }
          pids.push(Number(x));
        }
      }
      continue;
    }
    if (w.startsWith('-')) {
      for (const c of w.slice(1)) {
        if (c === 'e' || c === 'A') all = true;
        else if (c === 'f') full = true;
        else if (c === 'l') long = true;
        else if (c === 'a') dashA = true;
        else if (c === 'd') dashD = true;
        else {
          yield* err(USAGE_ERR('unsupported SysV option'));
          return 1;
        }
      }
      continue;
    }
    if (/^\d+$/.test(w)) {
      pids.push(Number(w));
      continue;
    }
    bsd = true;
    for (const c of w) {
      if (c === 'a') bsdAll = true;
      else if (c === 'x') bsdX = true;
      else if (c === 'u') bsdU = true;
      else if (c === 'w' || c === 'e' || c === 'h') {
        if (c === 'h') noHeader = true;
      } else {
        yield* err(USAGE_ERR('unsupported option (BSD syntax)'));
        return 1;
      }
    }
  }
  const rows = yield* processRows();
  // A zombie's fds are closed; its terminal is still its parent's (ps reads it from the task).
  for (const p of rows) {
    if (p.state === 'Z' && !p.fds.length) {
      const parent = rows.find((x) => x.pid === p.ppid);
      if (parent) p.fds = parent.fds.filter((f) => f.fd === 0);
    }
  }
  const me = yield* sys.getpid();
  const now = yield* sys.now();
  const self = rows.find((p) => p.pid === me);
  const myTty = self ? ttyOf(self) : '?';
  // Session leaders (for -a and -d): the lab has no sessions; its login shells play that part.
  const leader = (p: ProcessRow) => p.name === 'sh' || p.name === 'bash';
  const sameTty = (p: ProcessRow) => (myTty === '?' ? p.pid === me : ttyOf(p) === myTty);
  let select: (p: ProcessRow) => boolean;
  if (pids.length || cmds.length) select = (p) => pids.includes(p.pid) || cmds.includes(comm(p));
  else if (all) select = () => true;
  else if (dashA || dashD) select = (p) => !leader(p) && (dashD || ttyOf(p) !== '?');
  else if (bsd) select = bsdX ? () => true : bsdAll ? (p) => ttyOf(p) !== '?' : sameTty;
  else select = sameTty;
  const shown = rows.filter(select);
  const cols = userFmt ?? (bsd ? (bsdU ? FORMATS.bsdUser() : FORMATS.bsd()) : long ? (full ? FORMATS.longFull() : FORMATS.long()) : full ? FORMATS.full() : FORMATS.default());
  const ctx: Ctx = { now, rows };
  let text = noHeader || cols.every((c) => c.header === '') ? '' : formatLine(cols, cols.map((c) => c.header));
  for (const p of shown) text += formatLine(cols, cols.map((c) => c.value(p, ctx)));
  yield* out(text);
  return shown.length || (!pids.length && !cmds.length) ? 0 : 1;
}
