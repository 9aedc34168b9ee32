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

  constructor(
    readonly pid: number,
    public ppid: number,
    readonly argv: string[],
    readonly gen: Sys<number> | null,
    readonly startedAt: number,
    observer?: FdObserver,
  ) {
    this.fds = new FdTable(observer && ((fd, of, added) => observer(fd, of, added, this)));
  }

  get name(): string {
    const a0 = this.argv[0] ?? '?';
    return a0.slice(a0.lastIndexOf('/') + 1);
  }

  get wchan(): string {
    return this.park?.wchan ?? '';
  }
}
