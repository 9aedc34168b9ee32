// A process: pid, parent, command line, state and its fd table (Linux task_struct, the parts the
// lab shows). Its program is a generator; `park` holds what it is blocked on.
import { WaitQueue } from '../sim';
import type { Timer } from '../sim';
import { FdTable, type OpenFile } from './file';

/** An fd of this process appeared or went (the kernel's owner index listens). */
export type FdObserver = (fd: number, of: OpenFile, added: boolean, p: Process) => void;
import type { Signal, Sys, WaitStatus } from './syscalls';

/** ps STAT letters: R running/runnable, S interruptible sleep, Z zombie. */
export type ProcState = 'R' | 'S' | 'Z';

export interface Parked {
  wchan: string;
  cancel(): void;
}

export class Process {
  state: ProcState = 'R';
  readonly fds: FdTable;
  readonly caught = new Set<Signal>();
  readonly pending = new Set<Signal>();
  /** Woken when a child changes state (waitpid). */
  readonly childq = new WaitQueue();
  park: Parked | null = null;
  /** A scheduled resume not yet run (so a signal can tell running from sleeping). */
  resumeTimer: Timer | null = null;
  exit: WaitStatus | null = null;
  /**
   * Credentials and working directory; fork and spawn copy them. `uid` is the real user, `euid` the
   * effective one that permission checks use: they differ only in a set-uid program (su).
   */
  uid = 0;
  euid = 0;
  gid = 0;
  cwd = '/';
  /** SIGCHLD ignored (SA_NOCLDWAIT): exited children are released at once. Inherited by fork. */
  noCldWait = false;

  constructor(
    readonly pid: number,
    public ppid: number,
    public argv: string[],
    readonly gen: Sys<number> | null,
    readonly startedAt: number,
    observer?: FdObserver,
    /** The command name; a forked child keeps its parent's (default: argv[0]'s basename). */
    comm?: string,
  ) {
    const a0 = argv[0] ?? '?';
    this.name = comm ?? a0.slice(a0.lastIndexOf('/') + 1);
    this.fds = new FdTable(observer && ((fd, of, added) => observer(fd, of, added, this)));
  }

  /** The command name (comm): argv[0]'s basename at exec; setproctitle changes argv only, as in Linux. */
  readonly name: string;

  get wchan(): string {
    return this.park?.wchan ?? '';
  }
}
