// A login session on a pseudo-terminal, as telnetd (via login) and sshd start one: a new pty, a
// "login" process that makes the slave its terminal (fds 0-2), becomes the user, goes home, prints
// /etc/motd and runs the user's shell; the caller keeps the master and relays it to the network.
import { isErr, sys, type Errno, type Passwd, type Sys } from '../../process';
import { decodeUtf8 } from '../../process/utf8';
import { readFile } from './files';

export interface LoginSession {
  /** The pty master: write what the remote user types, read what the terminal shows. */
  master: number;
  /** The terminal's name without /dev/ ("pts/1"), as who and ps show it. */
  tty: string;
  /** The login process (parent of the shell); it exits when the shell does. */
  pid: number;
}

/** With `command`, that one command line runs instead of an interactive shell (ssh host cmd), without the motd. */
/** `title(tty)`: what ps shows for the login process ("login -- student", "sshd: student@pts/1"). */
export function* startLoginShell(pw: Passwd, title: (tty: string) => string, command?: string): Sys<LoginSession | Errno> {
  const pty = yield* sys.openpty();
  if (isErr(pty)) return pty;
  const { master, slave } = pty;
  const tty = pty.name.replace(/^\/dev\//, '');
  const pid = yield* sys.fork(function* () {
    for (const fd of [0, 1, 2]) yield* sys.dup2(slave, fd);
    // Nothing of the daemon's (its sockets, the pty master) stays open in the user's session.
    yield* sys.closefrom(3);
    // login refuses to go on as the wrong user (a daemon started without root cannot switch).
    if (isErr(yield* sys.setuid(pw.uid))) {
      yield* sys.write(2, `login: cannot become ${pw.name}: Operation not permitted\n`);
      return 1;
    }
    const home = yield* sys.chdir(pw.home);
    if (isErr(home)) yield* sys.chdir('/');
    yield* sys.setproctitle(title(tty));
    // A command runs through the user's shell (sh -c), as sshd does: redirections work.
    const argv = command === undefined ? ['sh'] : ['sh', '-c', command];
    if (command === undefined) {
      const motd = yield* readFile('/etc/motd');
      if (!isErr(motd)) yield* sys.write(1, decodeUtf8(motd));
    }
    const sh = yield* sys.spawn(argv);
    if (isErr(sh)) {
      yield* sys.write(2, `sh: ${argv[0]}: command not found\n`);
      return 127;
    }
    // The session's program owns the terminal: ^C and a hangup reach it.
    yield* sys.tcsetpgrp(0, sh);
    const st = yield* sys.waitpid(sh);
    return st === null || isErr(st) ? 1 : st.status;
  });
  yield* sys.close(slave);
  if (isErr(pid)) {
    yield* sys.close(master);
    return pid;
  }
  return { master, pid, tty };
}
