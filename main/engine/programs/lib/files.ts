// Whole-file reads and writes through open/read/write/close (what cat, ftpd and httpd need).
import { concatBytes } from '../../../../shared/wire';
import { isErr, O_APPEND, O_CREAT, O_TRUNC, O_WRONLY, sys, type Errno, type Sys } from '../../process';
import { encodeUtf8 } from '../../process/utf8';
import { writeAll } from './lineio';

export function* readFile(path: string): Sys<Uint8Array | Errno> {
  const fd = yield* sys.open(path);
  if (isErr(fd)) return fd;
  const parts: Uint8Array[] = [];
  for (;;) {
    const r = yield* sys.read(fd, 65536);
    if (isErr(r)) {
      yield* sys.close(fd);
      return r;
    }
    const b = typeof r === 'string' ? encodeUtf8(r) : r;
    if (b.length === 0) break;
    parts.push(b);
  }
  yield* sys.close(fd);
  return concatBytes(parts);
}

/** Create or replace path with data (O_APPEND instead of O_TRUNC when `append`). */
export function* writeFile(path: string, data: string | Uint8Array, append = false, mode = 0o644): Sys<number | Errno> {
  const fd = yield* sys.open(path, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), mode);
  if (isErr(fd)) return fd;
  const r = yield* writeAll(fd, data);
  yield* sys.close(fd);
  return r;
}
