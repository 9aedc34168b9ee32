// Writing the CLI's output files as they are produced (a multi-GB capture never sits in memory),
// each failure named by the option and path that asked for it.
import { closeSync, fstatSync, openSync, rmSync, statSync, writeSync, type Stats } from 'node:fs';
import { resolve } from 'node:path';
import { reason } from '../service';

/** A capture or list file that could not be created or written (its message names the option and path). */
export class OutputError extends Error {}

/**
 * Create `path` and write what `data` produces; a failure to open or write it is an OutputError naming
 * `what`. A file not written to its end (the data or a write failed) is removed: a truncated capture
 * would look whole. Only a regular file: a pipe or device named as the output (/dev/stdout) stays.
 */
export function writeOutput(what: string, path: string, data: (write: (d: Uint8Array | string) => void) => void): void {
  let fd: number;
  let regular: boolean;
  try {
    fd = openSync(path, 'w');
  } catch (e) {
    throw new OutputError(`${what}: ${reason(e)}`);
  }
  try {
    regular = fstatSync(fd).isFile();
  } catch (e) {
    closeSync(fd);
    throw new OutputError(`${what}: ${reason(e)}`);
  }
  let complete = false;
  try {
    data((d) => {
      const bytes = typeof d === 'string' ? Buffer.from(d) : d;
      try {
        // writeSync may write less than asked: go on until every byte is out.
        for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
      } catch (e) {
        throw new OutputError(`${what}: ${reason(e)}`);
      }
    });
    complete = true;
  } finally {
    closeSync(fd);
    if (!complete && regular) {
      try {
        rmSync(path, { force: true });
      } catch {
        // The failure being thrown says what went wrong; a file left behind must not replace it.
      }
    }
  }
}

/**
 * The first output (option and path) that is the trace file `db` itself: the same name, another name
 * for the same file, or its WAL or shared-memory file, existing or not. Written while the trace is
 * read or written, it would be emptied, then removed as an unfinished output: callers refuse it
 * before anything is opened. Null when every output is another file.
 */
export function traceAsOutput(db: string, outputs: readonly (readonly [option: string, path: string | undefined, ...rest: unknown[]])[]): [string, string] | null {
  const names = [db, `${db}-wal`, `${db}-shm`];
  const files = names.map(fileId);
  const paths = new Set(names.map((n) => resolve(n)));
  for (const [option, path] of outputs) {
    if (path === undefined) continue;
    const out = fileId(path);
    if (paths.has(resolve(path)) || (out && files.some((f) => f && f.dev === out.dev && f.ino === out.ino))) return [option, path];
  }
  return null;
}

/**
 * The refusal of an output that is the trace `db` (run's and bridge's --db, export's input); null
 * without a trace or a clash. `named`: how the message names the trace.
 */
export function refuseTraceAsOutput(db: string | undefined, outputs: Parameters<typeof traceAsOutput>[1], named = `the trace file (--db ${db})`): string | null {
  const clash = db === undefined ? null : traceAsOutput(db, outputs);
  return clash && `packet-lab: ${clash[0]} ${clash[1]}: that is ${named}; name another file\n`;
}

/** The file at `path` (device and inode), or undefined when there is none or it cannot be looked at. */
function fileId(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}
