// How engine tests print what a syscall returned, so their expected logs read like strace.
import { isErr, POLLERR, POLLHUP, POLLIN, POLLOUT } from '../process';

/** A count as itself, bytes as their length, an errno by name; anything else as JSON (a test that gets it sees what it was). */
export const shown = (r: unknown): string =>
  typeof r === 'number' ? String(r) : r instanceof Uint8Array ? `${r.length} bytes` : isErr(r) ? r.name : (JSON.stringify(r) ?? String(r));

/** poll revents as names joined by |, e.g. IN|HUP. */
export const pollNames = (revents: number): string =>
  (
    [
      [POLLIN, 'IN'],
      [POLLOUT, 'OUT'],
      [POLLERR, 'ERR'],
      [POLLHUP, 'HUP'],
    ] as const
  )
    .filter(([bit]) => revents & bit)
    .map(([, name]) => name)
    .join('|');
