// The machine shell: prompt, read a line, run the program in the foreground and wait for it, or in
// the background with `&` (`jobs` lists them; finished ones are reported at the next prompt, like
// bash's "[1]+  Done"). Like bash it catches SIGINT for itself (Ctrl-C at the prompt just gives a
// new prompt) while the foreground program gets the terminal's SIGINT.
import { isErr, O_APPEND, O_CREAT, O_RDONLY, O_TRUNC, O_WRONLY, sys, type Errno, type Signal, type Sys, type WaitStatus } from '../process';
import { err, out } from './stdio';
import { splitCommand, type Redirect } from './words';

export const shellPrompt = (host: string) => `${host}$ `;

interface Job {
  n: number;
  pid: number;
  cmd: string;
}

/** bash's description of a job killed by a signal (strsignal). */
const SIGNAL_TEXT: Record<Signal, string> = {
  SIGHUP: 'Hangup',
  SIGINT: 'Interrupt',
  SIGKILL: 'Killed',
  SIGTERM: 'Terminated',
};

function doneText(j: Job, st: WaitStatus, current: boolean): string {
  const mark = current ? '+' : '-';
  const what = st.signal ? SIGNAL_TEXT[st.signal] : st.status ? `Exit ${st.status}` : 'Done';
  return `[${j.n}]${mark}  ${what.padEnd(24)}${j.cmd}\n`;
}

/** sh -c 'COMMAND LINE': one command (redirections included), its exit status (128 + signal when killed). */
function* runOne(line: string): Sys<number> {
  const parsed = splitCommand(line);
  if ('error' in parsed) {
    yield* err(`sh: ${parsed.error}\n`);
    return 2;
  }
  if (parsed.words.length === 0) return 0;
  const child = yield* spawnRedirected(parsed.words, parsed.redirects);
  if (child === null) return 1;
  if (isErr(child)) {
    yield* err(`sh: ${parsed.words[0]}: command not found\n`);
    return 127;
  }
  yield* sys.tcsetpgrp(0, child);
  for (;;) {
    const st = yield* sys.waitpid(child);
    if (st !== null && !isErr(st)) return st.status;
    if (st === null || st.name !== 'EINTR') return 1;
    yield* sys.sigtimedwait();
  }
}

export function* shell(argv: string[]): Sys<number> {
  if (argv[1] === '-c') {
    if (argv[2] === undefined) {
      yield* err('sh: -c: option requires an argument\n');
      return 2;
    }
    return yield* runOne(argv[2]);
  }
  const host = yield* sys.gethostname();
  const me = yield* sys.getpid();
  yield* sys.sigaction('SIGINT', 'catch');
  const jobs: Job[] = [];
  for (;;) {
    // Report background jobs that have finished (bash does it before the prompt).
    for (const j of [...jobs]) {
      const st = yield* sys.waitpid(j.pid, true);
      if (st === null) continue;
      const current = j === jobs[jobs.length - 1];
      jobs.splice(jobs.indexOf(j), 1);
      if (!isErr(st)) yield* out(doneText(j, st, current));
    }
    yield* sys.tcsetpgrp(0, me);
    yield* out(shellPrompt(host));
    const line = yield* sys.read(0);
    if (isErr(line)) {
      yield* sys.sigtimedwait(); // Ctrl-C at the prompt: the tty echoed ^C; new line, new prompt
      yield* out('\n');
      continue;
    }
    if (line === '' || line instanceof Uint8Array) {
      yield* out('exit\n');
      return 0;
    }
    const trimmed = line.trim();
    const background = trimmed.endsWith('&') && !trimmed.endsWith('&&');
    const parsed = splitCommand(background ? trimmed.slice(0, -1) : line);
    if ('error' in parsed) {
      yield* err(`sh: ${parsed.error}\n`);
      continue;
    }
    const words = parsed.words;
    if (words.length === 0) continue;
    const [cmd] = words as [string];
    if (cmd === 'exit') {
      const arg = words[1];
      if (arg === undefined) return 0;
      // bash's legal_number: optional blanks and sign around decimal digits.
      if (/^\s*[+-]?\d+\s*$/.test(arg)) return Number(arg) & 255;
      yield* err(`sh: exit: ${arg}: numeric argument required\n`);
      return 2;
    }
    if (cmd === 'cd') {
      // bash: `cd` alone goes home; errors name the directory.
      let dir = words[1];
      if (dir === undefined) {
        const pw = yield* sys.getpwuid((yield* sys.getuid()).uid);
        dir = isErr(pw) ? '/' : pw.home;
      }
      const r = yield* sys.chdir(dir);
      if (isErr(r)) yield* err(`sh: cd: ${dir}: ${r.message}\n`);
      continue;
    }
    if (cmd === 'clear') {
      yield* out('\x1b[H\x1b[2J\x1b[3J');
      continue;
    }
    if (cmd === 'jobs') {
      for (const [i, j] of jobs.entries()) yield* out(`[${j.n}]${i === jobs.length - 1 ? '+' : '-'}  ${'Running'.padEnd(24)}${j.cmd} &\n`);
      continue;
    }
    const child = yield* spawnRedirected(words, parsed.redirects);
    if (child === null) continue;
    if (isErr(child)) {
      yield* err(`${cmd}: command not found\n`);
      continue;
    }
    if (background) {
      const n = (jobs.length ? Math.max(...jobs.map((j) => j.n)) : 0) + 1;
      jobs.push({ n, pid: child, cmd: words.join(' ') });
      yield* out(`[${n}] ${child}\n`);
      continue;
    }
    yield* sys.tcsetpgrp(0, child);
    for (;;) {
      const st = yield* sys.waitpid(child);
      if (st !== null && !isErr(st)) {
        if (st.signal === 'SIGINT') yield* out('\n');
        else if (st.signal === 'SIGKILL' || st.signal === 'SIGTERM') yield* err(`${SIGNAL_TEXT[st.signal]}\n`);
        break;
      }
      if (st === null || st.name !== 'EINTR') break;
      yield* sys.sigtimedwait();
    }
  }
}

/**
 * Start a command with its redirections applied: the shell opens each file, puts it on fd 0 or 1
 * for the spawn (which copies fds 0-2) and restores its own. null (after a message) when a file
 * cannot be opened, as bash refuses the command then.
 */
function* spawnRedirected(words: string[], redirects: Redirect[]): Sys<number | Errno | null> {
  const saved: [number, number][] = [];
  const restore = function* (): Sys<void> {
    for (const [fd, copy] of saved.reverse()) {
      yield* sys.dup2(copy, fd);
      yield* sys.close(copy);
    }
  };
  for (const r of redirects) {
    const fd = r.op === '<' ? 0 : 1;
    const file = yield* sys.open(r.target, r.op === '<' ? O_RDONLY : O_WRONLY | O_CREAT | (r.op === '>>' ? O_APPEND : O_TRUNC));
    if (isErr(file)) {
      yield* err(`sh: ${r.target}: ${file.message}\n`);
      yield* restore();
      return null;
    }
    const copy = yield* sys.dup(fd);
    if (!isErr(copy)) saved.push([fd, copy]);
    yield* sys.dup2(file, fd);
    yield* sys.close(file);
  }
  const child = yield* sys.spawn(words);
  yield* restore();
  return child;
}
