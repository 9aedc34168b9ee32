// A login session on a pseudo-terminal, as telnetd (via login) and sshd start one: a new pty, a
// "login" process that makes the slave its terminal (fds 0-2), becomes the user, goes home, prints
// /etc/motd and runs the user's shell; the caller keeps the master and relays it to the network.
import { isErr, sys, type Errno, type Passwd, type Sys } from '../../process';
import { decodeUtf8 } from '../../process/utf8';
import { readFile } from './files';

export interface LoginSession {
  /** The pty master: write what the remote user types, read what the terminal shows. */
  master: number;
  /** The login process (parent of the shell); it exits when the shell does. */
  pid: number;
}

export function* startLoginShell(pw: Passwd, title: string): Sys<LoginSession | Errno> {
  const pair = yield* sys.openpty();
  if (isErr(pair)) return pair;
  const [master, slave] = pair;
  const pid = yield* sys.fork(function* () {
    yield* sys.close(master);
    for (const fd of [0, 1, 2]) yield* sys.dup2(slave, fd);
    if (slave > 2) yield* sys.close(slave);
    yield* sys.setuid(pw.uid);
    const home = yield* sys.chdir(pw.home);
    if (isErr(home)) yield* sys.chdir('/');
    yield* sys.setproctitle(title);
    const motd = yield* readFile('/etc/motd');
    if (!isErr(motd)) yield* sys.write(1, decodeUtf8(motd));
    const sh = yield* sys.spawn(['sh']);
    if (isErr(sh)) return 1;
    const st = yield* sys.waitpid(sh);
    return st === null || isErr(st) ? 1 : st.status;
  });
  yield* sys.close(slave);
  if (isErr(pid)) {
    yield* sys.close(master);
    return pid;
  }
  return { master, pid };
}
