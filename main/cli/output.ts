// Writing the CLI's output files as they are produced (a multi-GB capture never sits in memory),
// each failure named by the option and path that asked for it.
import { closeSync, fstatSync, openSync, rmSync, writeSync } from 'node:fs';
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
