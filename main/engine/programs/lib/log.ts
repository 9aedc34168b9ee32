// A daemon's log: each line goes to the machine's journal (the syslog syscall: the log view and the
// trace's events) and to /var/log/<tag>.log, which `service NAME status` shows the end of. The
// file is opened once, as root, before the daemon's connection processes drop privileges: they
// inherit the descriptor (as Apache's and vsftpd's children inherit their log files).
import { isErr, O_APPEND, O_CREAT, O_WRONLY, sys, type Sys } from '../../process';
import { ctime } from './clock';
import { writeAll } from './lineio';

export class DaemonLog {
  private constructor(
    readonly tag: string,
    private readonly fd: number | null,
  ) {}

  static *open(tag: string): Sys<DaemonLog> {
    const fd = yield* sys.open(`/var/log/${tag}.log`, O_WRONLY | O_CREAT | O_APPEND, 0o640);
    return new DaemonLog(tag, isErr(fd) ? null : fd);
  }

  /** "Jan  1 00:00:05 ftpd[412]: text" (ctime without weekday and year, as syslog writes). */
  *line(text: string): Sys<void> {
    yield* sys.syslog(this.tag, text);
    if (this.fd === null) return;
    const now = yield* sys.now();
    const pid = yield* sys.getpid();
    yield* writeAll(this.fd, `${ctime(now).slice(4, 19)} ${this.tag}[${pid}]: ${text}\n`);
  }
}
