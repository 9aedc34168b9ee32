// A process: pid, parent, command line, state and its fd table (Linux task_struct, the parts the
// lab shows). Its program is a generator; `park` holds what it is blocked on.
import { WaitQueue } from '../sim';
import type { Timer } from '../sim';
import { FdTable } from './file';
import type { Signal, Sys, WaitStatus } from './syscalls';

/** ps STAT letters: R running/runnable, S interruptible sleep, Z zombie. */
export type ProcState = 'R' | 'S' | 'Z';

export interface Parked {
  wchan: string;
  cancel(): void;
}

export class Process {
  state: ProcState = 'R';
  readonly fds = new FdTable();
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
  ) {}

  get name(): string {
    const a0 = this.argv[0] ?? '?';
    return a0.slice(a0.lastIndexOf('/') + 1);
  }

  get wchan(): string {
    return this.park?.wchan ?? '';
  }
}
