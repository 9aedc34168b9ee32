// su [-] [USER] [-c COMMAND]: run a shell or one command as another user (default root). root
// switches without a password; anyone else is asked for the target's password (PAM), as su does.
// With -, the command starts in the user's home directory (a login shell).
import { isErr, sys, type Sys } from '../process';
import { getpass } from './lib/getpass';
import { err } from './stdio';

export function* su(argv: string[]): Sys<number> {
  let login = false;
  let command: string | null = null;
  let user = 'root';
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-' || a === '-l' || a === '--login') login = true;
    else if (a === '-c') command = argv[++i] ?? null;
    else if (a.startsWith('-')) {
      yield* err(`su: invalid option -- '${a.slice(1)}'\nUsage: su [options] [-] [<user>]\n`);
      return 1;
    } else user = a;
  }
  const pw = yield* sys.getpwnam(user);
  if (isErr(pw)) {
    yield* err(`su: user ${user} does not exist or the user entry does not contain all the required fields\n`);
    return 1;
  }
  const me = yield* sys.getuid();
  if (me.uid !== 0) {
    const password = (yield* getpass('Password: ')) ?? '';
    const ok = yield* sys.pamAuthenticate(user, password);
    if (isErr(ok)) {
      yield* err('su: Authentication failure\n');
      return 1;
    }
  }
  const pid = yield* sys.fork(function* () {
    if (isErr(yield* sys.setuid(pw.uid))) {
      yield* err(`su: cannot set user id: Operation not permitted\n`);
      return 1;
    }
    if (login) yield* sys.chdir(pw.home);
    // The command goes through the target user's shell, as su -c does: redirections work.
    const child = yield* sys.spawn(command === null ? ['sh'] : ['sh', '-c', command]);
    if (isErr(child)) return 127;
    yield* sys.tcsetpgrp(0, child);
    const st = yield* sys.waitpid(child);
    return st === null || isErr(st) ? 1 : st.status;
  });
  if (isErr(pid)) return 1;
  const st = yield* sys.waitpid(pid);
  return st === null || isErr(st) ? 1 : st.status;
}
