// File tools (GNU coreutils' messages): cat, echo, pwd, mkdir [-p], rm [-r] [-f], rmdir, touch, mv,
// whoami, id. cd is a shell builtin (shell.ts): a child cannot change its parent's directory.
import { isErr, O_CREAT, O_WRONLY, sys, type Sys } from '../process';
import { decodeUtf8 } from '../process/utf8';
import { getopt } from './getopt';
import { readFile } from './lib/files';
import { err, out } from './stdio';

export function* cat(argv: string[]): Sys<number> {
  let status = 0;
  const files = argv.slice(1);
  if (files.length === 0) {
    for (;;) {
      const r = yield* sys.read(0, 4096);
      if (isErr(r) || r.length === 0) return 0;
      yield* sys.write(1, r);
    }
  }
  for (const f of files) {
    const st = yield* sys.stat(f);
    if (!isErr(st) && st.type === 'dir') {
      yield* err(`cat: ${f}: Is a directory\n`);
      status = 1;
      continue;
    }
    const data = yield* readFile(f);
    if (isErr(data)) {
      yield* err(`cat: ${f}: ${data.message}\n`);
      status = 1;
    } else yield* out(decodeUtf8(data));
  }
  return status;
}

export function* pwd(): Sys<number> {
  yield* out(`${yield* sys.getcwd()}\n`);
  return 0;
}

export function* mkdir(argv: string[]): Sys<number> {
  const g = getopt('mkdir', argv, 'p');
  if ('error' in g) {
    yield* err(g.error);
    return 1;
  }
  const parents = g.opts.some((o) => o.key === 'p');
  if (g.args.length === 0) {
    yield* err("mkdir: missing operand\nTry 'mkdir --help' for more information.\n");
    return 1;
  }
  let status = 0;
  for (const path of g.args) {
    const steps = parents ? path.split('/').map((_, i, a) => a.slice(0, i + 1).join('/')).filter((p) => p !== '' && p !== '.') : [path];
    for (const step of steps) {
      const r = yield* sys.mkdir(step);
      if (isErr(r) && !(parents && r.name === 'EEXIST')) {
        yield* err(`mkdir: cannot create directory '${path}': ${r.message}\n`);
        status = 1;
        break;
      }
    }
  }
  return status;
}

function* removeTree(path: string): Sys<string | null> {
  const st = yield* sys.stat(path);
  if (isErr(st)) return st.message;
  if (st.type === 'dir') {
    const list = yield* sys.readdir(path);
    if (isErr(list)) return list.message;
    for (const e of list) {
      const r = yield* removeTree(`${path}/${e.name}`);
      if (r) return r;
    }
    const r = yield* sys.rmdir(path);
    return isErr(r) ? r.message : null;
  }
  const r = yield* sys.unlink(path);
  return isErr(r) ? r.message : null;
}

export function* rm(argv: string[]): Sys<number> {
  const g = getopt('rm', argv, 'rRf');
  if ('error' in g) {
    yield* err(g.error);
    return 1;
  }
  const recursive = g.opts.some((o) => o.key === 'r' || o.key === 'R');
  const force = g.opts.some((o) => o.key === 'f');
  if (g.args.length === 0 && !force) {
    yield* err("rm: missing operand\nTry 'rm --help' for more information.\n");
    return 1;
  }
  let status = 0;
  for (const path of g.args) {
    const st = yield* sys.stat(path);
    if (isErr(st)) {
      if (!force) {
        yield* err(`rm: cannot remove '${path}': ${st.message}\n`);
        status = 1;
      }
      continue;
    }
    if (st.type === 'dir' && !recursive) {
      yield* err(`rm: cannot remove '${path}': Is a directory\n`);
      status = 1;
      continue;
    }
    const e = yield* removeTree(path);
    if (e) {
      yield* err(`rm: cannot remove '${path}': ${e}\n`);
      status = 1;
    }
  }
  return status;
}

export function* rmdir(argv: string[]): Sys<number> {
  let status = 0;
  for (const path of argv.slice(1)) {
    const r = yield* sys.rmdir(path);
    if (isErr(r)) {
      yield* err(`rmdir: failed to remove '${path}': ${r.message}\n`);
      status = 1;
    }
  }
  return status;
}

export function* touch(argv: string[]): Sys<number> {
  let status = 0;
  for (const path of argv.slice(1)) {
    const fd = yield* sys.open(path, O_WRONLY | O_CREAT);
    if (isErr(fd)) {
      yield* err(`touch: cannot touch '${path}': ${fd.message}\n`);
      status = 1;
    } else yield* sys.close(fd);
  }
  return status;
}

export function* mv(argv: string[]): Sys<number> {
  const [, from, to] = argv;
  if (from === undefined || to === undefined) {
    yield* err("mv: missing file operand\nTry 'mv --help' for more information.\n");
    return 1;
  }
  const st = yield* sys.stat(to);
  const dest = !isErr(st) && st.type === 'dir' ? `${to}/${from.slice(from.lastIndexOf('/') + 1)}` : to;
  const r = yield* sys.rename(from, dest);
  if (isErr(r)) {
    yield* err(`mv: cannot move '${from}' to '${dest}': ${r.message}\n`);
    return 1;
  }
  return 0;
}

export function* whoami(): Sys<number> {
  const { euid } = yield* sys.getuid();
  const pw = yield* sys.getpwuid(euid);
  yield* out(`${isErr(pw) ? euid : pw.name}\n`);
  return 0;
}

export function* id(): Sys<number> {
  const { uid, euid, gid } = yield* sys.getuid();
  const pw = yield* sys.getpwuid(uid);
  const name = isErr(pw) ? String(uid) : pw.name;
  const epw = euid === uid ? pw : yield* sys.getpwuid(euid);
  const ename = isErr(epw) ? String(euid) : epw.name;
  yield* out(`uid=${uid}(${name}) gid=${gid}(${name})${euid !== uid ? ` euid=${euid}(${ename})` : ''} groups=${gid}(${name})\n`);
  return 0;
}

/** echo [-n] ARGS: the words joined by spaces (bash's builtin, as a program here). */
export function* echo(argv: string[]): Sys<number> {
  const noNewline = argv[1] === '-n';
  yield* out(argv.slice(noNewline ? 2 : 1).join(' ') + (noNewline ? '' : '\n'));
  return 0;
}
