// ls (GNU coreutils), for the part of the file system the lab has: /proc (one directory per
// process, plus self, net and sys) and /proc/<pid>/fd, whose entries are symlinks to what each fd
// is ("/dev/pts/0", "socket:[10001]"). The console is a terminal, so names print in columns for 80
// characters and link targets are quoted the way ls quotes for a terminal ('socket:[10001]', since
// '[' is special to the shell); -N prints them literally, as ls does into a pipe.
//
// Times: the lab's clock reads Jan 1 00:00 when the lab starts; a /proc entry's time is the start of
// the process it belongs to.
import type { ProcessRow } from '../../../shared/api/kernel-view';
import { isErr, sys, type Stat, type Sys } from '../process';
import { resolvePath } from '../fs/vfs';
import { clock, processRows } from './ps';
import { getopt } from './getopt';
import { err, out } from './stdio';

interface Entry {
  name: string;
  mode: string;
  nlink: number;
  size: number;
  timeNs: number;
  target?: string;
  owner?: string;
  group?: string;
}

const LINE_LENGTH = 80;

/** Shell-escape quoting for a terminal: quote with '...' when the name has a shell metacharacter. */
function quote(name: string, literal: boolean): string {
  if (literal || !/[\s!"#$&'()*;<>?[\\\]^`{|}~]/.test(name)) return name;
  return `'${name.replace(/'/g, `'\\''`)}'`;
}

function stamp(ns: number): string {
  const c = clock(ns);
  return `Jan ${String(1 + c.days).padStart(2)} ${c.hh}:${c.mm}`;
}

/** ls -C: as many columns as fit in 80 characters, filled top to bottom. */
export function columns(names: string[]): string {
  if (names.length === 0) return '';
  let best = 1;
  for (let cols = names.length; cols >= 1; cols--) {
    const rows = Math.ceil(names.length / cols);
    if (Math.ceil(names.length / rows) !== cols) continue;
    let width = 0;
    for (let c = 0; c < cols; c++) {
      const col = names.slice(c * rows, (c + 1) * rows);
      width += Math.max(...col.map((n) => n.length)) + (c === cols - 1 ? 0 : 2);
    }
    if (width < LINE_LENGTH) {
      best = cols;
      break;
    }
  }
  const rows = Math.ceil(names.length / best);
  const widths = Array.from({ length: best }, (_, c) => Math.max(...names.slice(c * rows, (c + 1) * rows).map((n) => n.length)) + 2);
  let text = '';
  for (let r = 0; r < rows; r++) {
    let line = '';
    for (let c = 0; c < best; c++) {
      const n = names[c * rows + r];
      if (n === undefined) continue;
      const last = c === best - 1 || names[(c + 1) * rows + r] === undefined;
      line += last ? n : n.padEnd(widths[c]!);
    }
    text += line + '\n';
  }
  return text;
}

function longFormat(entries: Entry[], literal: boolean, total = 0): string {
  const nw = Math.max(...entries.map((e) => String(e.nlink).length));
  const sw = Math.max(...entries.map((e) => String(e.size).length));
  const ow = Math.max(...entries.map((e) => (e.owner ?? 'root').length));
  const gw = Math.max(...entries.map((e) => (e.group ?? 'root').length));
  let text = `total ${total}\n`;
  for (const e of entries) {
    const target = e.target !== undefined ? ` -> ${quote(e.target, literal)}` : '';
    text += `${e.mode} ${String(e.nlink).padStart(nw)} ${(e.owner ?? 'root').padEnd(ow)} ${(e.group ?? 'root').padEnd(gw)} ${String(e.size).padStart(sw)} ${stamp(e.timeNs)} ${quote(e.name, literal)}${target}\n`;
  }
  return text;
}

/** "drwxr-xr-x" from a stat. */
export function modeString(st: Stat): string {
  const bits = 'rwxrwxrwx';
  let s = st.type === 'dir' ? 'd' : '-';
  for (let i = 0; i < 9; i++) s += st.mode & (1 << (8 - i)) ? bits[i] : '-';
  return s;
}

/** 1K blocks a file occupies on a 4K-block filesystem (ls's "total"). */
const blocks = (st: Stat) => (st.type === 'dir' ? 4 : Math.ceil(st.size / 4096) * 4);

/** A directory (or one file) of the machine's filesystem, with owner names. */
function* listFs(path: string, all: boolean): Sys<Listing & { total?: number }> {
  const st = yield* sys.stat(path);
  if (isErr(st)) return { error: `ls: cannot access '${path}': ${st.message}\n` };
  const names = new Map<number, string>();
  const nameOf = function* (uid: number): Sys<string> {
    let n = names.get(uid);
    if (n === undefined) {
      const pw = yield* sys.getpwuid(uid);
      n = isErr(pw) ? String(uid) : pw.name;
      names.set(uid, n);
    }
    return n;
  };
  const entry = function* (name: string, s: Stat): Sys<Entry> {
    return { name, mode: modeString(s), nlink: s.nlink, size: s.type === 'dir' ? 4096 : s.size, timeNs: s.mtimeNs, owner: yield* nameOf(s.uid), group: yield* nameOf(s.gid) };
  };
  if (st.type !== 'dir') return { entries: [yield* entry(path, st)], total: blocks(st) };
  const list = yield* sys.readdir(path);
  if (isErr(list)) return { error: `ls: cannot open directory '${path}': ${list.message}\n` };
  const entries: Entry[] = [];
  let total = 0;
  if (all) {
    entries.push(yield* entry('.', st));
    const up = yield* sys.stat(`${path}/..`);
    if (!isErr(up)) entries.push(yield* entry('..', up));
  }
  for (const e of list) {
    if (!all && e.name.startsWith('.')) continue;
    entries.push(yield* entry(e.name, e.stat));
    total += blocks(e.stat);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { entries, total };
}

type Listing = { entries: Entry[] } | { error: string };

function list(path: string, procs: ProcessRow[], me: number): Listing {
  const norm = path.replace(/\/+$/, '').replace(/\/+/g, '/') || '/';
  const missing = { error: `ls: cannot access '${path}': No such file or directory\n` };
  if (norm === '/proc') {
    const entries: Entry[] = procs.map((p) => ({ name: String(p.pid), mode: 'dr-xr-xr-x', nlink: 9, size: 0, timeNs: p.startedNs }));
    entries.push({ name: 'net', mode: 'lrwxrwxrwx', nlink: 1, size: 8, timeNs: 0, target: 'self/net' });
    entries.push({ name: 'self', mode: 'lrwxrwxrwx', nlink: 1, size: 0, timeNs: 0, target: String(me) });
    entries.push({ name: 'sys', mode: 'dr-xr-xr-x', nlink: 1, size: 0, timeNs: 0 });
    return { entries: entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) };
  }
  const m = /^\/proc\/(self|\d+)(\/fd)?$/.exec(norm);
  if (!m) return missing;
  const pid = m[1] === 'self' ? me : Number(m[1]);
  const p = procs.find((x) => x.pid === pid);
  if (!p) return missing;
  if (!m[2]) {
    const file = (name: string): Entry => ({ name, mode: '-r--r--r--', nlink: 1, size: 0, timeNs: p.startedNs });
    return { entries: [file('cmdline'), file('comm'), { name: 'fd', mode: 'dr-x------', nlink: 2, size: 0, timeNs: p.startedNs }, file('stat'), file('status'), file('wchan')] };
  }
  if (p.state === 'Z') return { error: `ls: cannot open directory '${path}': Permission denied\n` };
  return {
    entries: [...p.fds]
      .sort((a, b) => a.fd - b.fd)
      .map((f) => ({ name: String(f.fd), mode: 'lrwx------', nlink: 1, size: 64, timeNs: p.startedNs, target: f.label })),
  };
}

export function* ls(argv: string[]): Sys<number> {
  const g = getopt('ls', argv, 'laA1NdC', { literal: { key: 'N', arg: 'none' }, all: { key: 'a', arg: 'none' }, help: { key: 'h', arg: 'none' } });
  if ('error' in g) {
    yield* err(`${g.error}Try 'ls --help' for more information.\n`);
    return 2;
  }
  const keys = new Set(g.opts.map((o) => o.key));
  if (keys.has('h')) {
    yield* out('Usage: ls [OPTION]... [FILE]...\nLists directories of the machine\'s filesystem, /proc and /proc/<pid>/fd.\n  -a  include . and .. (and names starting with .)\n  -l  long listing\n  -1  one name per line\n  -N  print names and link targets without quotes\n');
    return 0;
  }
  const longFmt = keys.has('l');
  const one = keys.has('1');
  const literal = keys.has('N');
  const procs = yield* processRows();
  const me = yield* sys.getpid();
  const paths = g.args.length ? g.args : ['.'];
  const cwd = yield* sys.getcwd();
  let status = 0;
  const listings: [string, Entry[], number][] = [];
  for (const path of paths) {
    const abs = resolvePath(cwd, path);
    const l: Listing & { total?: number } = abs === '/proc' || abs.startsWith('/proc/') ? list(abs, procs, me) : yield* listFs(path, keys.has('a') || keys.has('A'));
    if ('error' in l) {
      yield* err(l.error);
      status = 2;
    } else listings.push([path, l.entries, l.total ?? 0]);
  }
  let text = '';
  listings.forEach(([path, entries, total], i) => {
    if (paths.length > 1) text += `${i ? '\n' : ''}${path}:\n`;
    if (longFmt) text += entries.length ? longFormat(entries, literal, total) : 'total 0\n';
    else if (one) text += entries.map((e) => quote(e.name, literal) + '\n').join('');
    else text += columns(entries.map((e) => quote(e.name, literal)));
  });
  yield* out(text);
  return status;
}
