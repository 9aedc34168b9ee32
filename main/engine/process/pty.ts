// Pseudo-terminals (openpty(3), /dev/ptmx and /dev/pts/N): what a remote login runs its shell on.
// The slave is an ordinary Tty (line discipline, echo, Ctrl-C); the master is the other end, held
// by telnetd or sshd: what the master writes is typed on the terminal, what programs write to the
// terminal is read from the master. When the slave's last descriptor closes (the shell exited),
// reading the master ends (Linux returns EIO; here end of file).
import { WaitQueue } from '../sim';
import { AGAIN, POLLHUP, POLLIN, POLLOUT, type Again, type FileObject } from './file';
import { Tty } from './tty';
import { decodeUtf8 } from './utf8';

export class PtyMaster implements FileObject {
  readonly kind = 'tty';
  readonly label = '/dev/ptmx';
  readonly waitq = new WaitQueue();
  readonly slave: Tty;
  private out = '';
  private slaveClosed = false;

  constructor(slaveLabel: string, signal: (pid: number, sig: 'SIGINT' | 'SIGHUP') => void) {
    this.slave = new Tty(slaveLabel, {
      output: (s) => {
        this.out += s;
        this.waitq.wake();
      },
      interrupt: (pid) => signal(pid, 'SIGINT'),
      hangup: (pid) => signal(pid, 'SIGHUP'),
      closed: () => {
        this.slaveClosed = true;
        this.waitq.wake();
      },
    });
  }

  read(max: number): string | Again {
    if (this.out.length === 0) return this.slaveClosed ? '' : AGAIN;
    const s = this.out.slice(0, max);
    this.out = this.out.slice(s.length);
    return s;
  }

  write(data: Uint8Array | string): number {
    this.slave.input(typeof data === 'string' ? data : decodeUtf8(data));
    return data.length;
  }

  poll(): number {
    return (this.out.length || this.slaveClosed ? POLLIN : 0) | (this.slaveClosed ? POLLHUP : POLLOUT);
  }

  /** The login daemon closed its end: the session's terminal hangs up (SIGHUP to its processes). */
  release(): void {
    this.slave.hangup();
  }
}
