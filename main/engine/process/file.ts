// Files, open-file descriptions and fd tables (Linux: task -> files_struct -> fd -> struct file
// -> socket/tty). fork() and SCM_RIGHTS share one description; the object is released only when the
// last reference is closed (that is when a TCP socket sends its FIN).
import type { WaitQueue } from '../sim';
import type { Errno } from './errno';

export const POLLIN = 0x001;
export const POLLOUT = 0x004;
export const POLLERR = 0x008;
export const POLLHUP = 0x010;

/** Returned by file operations that would block; the kernel parks the caller on `waitq`. */
export const AGAIN: unique symbol = Symbol('AGAIN');
export type Again = typeof AGAIN;

export interface FileObject {
  readonly kind: 'tty' | 'socket' | 'file';
  /** What /proc/<pid>/fd shows: "/dev/pts/0", "socket:[4242]". */
  readonly label: string;
  /** Sockets have an inode (socket:[N]); the kernel indexes their holders by it. */
  readonly inode?: number;
  readonly waitq: WaitQueue;
  read?(max: number): string | Uint8Array | Errno | Again;
  write?(data: Uint8Array | string): number | Errno | Again;
  /** Current readiness as POLL* bits. */
  poll(): number;
  /** Last reference closed. */
  release(): void;
}

export class OpenFile {
  refs = 0;
  nonblock = false;
  /** Identity of the description (per machine): fds with the same id share it. */
  constructor(
    readonly file: FileObject,
    readonly id: number,
  ) {}

  /** Drop one reference; the last one releases the file (Linux fput). */
  put(): void {
    if (--this.refs === 0) this.file.release();
  }
}

export const FD_LIMIT = 1024; // RLIMIT_NOFILE soft default
export const FD_HARD_LIMIT = 1_048_576; // RLIMIT_NOFILE hard default (fs.nr_open)

/** Told of every fd that appears or goes, so the kernel can index who holds what. */
export type FdTableObserver = (fd: number, of: OpenFile, added: boolean) => void;

export class FdTable {
  private slots: (OpenFile | undefined)[] = [];

  constructor(private readonly observer?: FdTableObserver) {}

  /** RLIMIT_NOFILE (soft): fds must be below it. */
  limit = FD_LIMIT;
  /** Lowest fd that may be free (a hint: fds below it are all in use). */
  private lowestFree = 0;

  /** Install at the lowest free fd (POSIX), or null when the table is full (EMFILE). */
  install(of: OpenFile): number | null {
    for (let fd = this.lowestFree; fd < this.limit; fd++) {
      if (!this.slots[fd]) {
        this.slots[fd] = of;
        of.refs++;
        this.lowestFree = fd + 1;
        this.observer?.(fd, of, true);
        return fd;
      }
    }
    return null;
  }

  /** Install at exactly `fd` (dup2), closing what was there. */
  installAt(fd: number, of: OpenFile): void {
    this.close(fd);
    if (fd === this.lowestFree) this.lowestFree = fd + 1;
    this.slots[fd] = of;
    of.refs++;
    this.observer?.(fd, of, true);
  }

  get(fd: number): OpenFile | undefined {
    return this.slots[fd];
  }

  /** Drop one reference; returns false for a bad fd. */
  close(fd: number): boolean {
    const of = this.slots[fd];
    if (!of) return false;
    this.slots[fd] = undefined;
    if (fd < this.lowestFree) this.lowestFree = fd;
    this.observer?.(fd, of, false);
    of.put();
    return true;
  }

  closeAll(from = 0): void {
    for (let fd = from; fd < this.slots.length; fd++) this.close(fd);
  }

  entries(): [number, OpenFile][] {
    const out: [number, OpenFile][] = [];
    this.slots.forEach((of, fd) => of && out.push([fd, of]));
    return out;
  }
}

/** /dev/null: what a daemon started without a terminal has on fds 0, 1 and 2. */
export class NullFile implements FileObject {
  readonly kind = 'tty';
  readonly label = '/dev/null';
  constructor(readonly waitq: WaitQueue) {}
  read(): string {
    return '';
  }
  write(data: Uint8Array | string): number {
    return data.length;
  }
  poll(): number {
    return POLLIN | POLLOUT;
  }
  release(): void {}
}
