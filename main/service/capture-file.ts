// A capture file named by its path (the desktop's Capture dialog, `npm run web -- --trace`): what
// kind it is, and a pcap/pcapng's bytes. A Packet Lab trace is not read here (it is viewed in place,
// of any size). Opened without blocking and checked to be a regular file first: a FIFO chosen in
// the dialog would otherwise hang the app's main process, and a device would never end.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { isSqlite } from '../trace/trace-import';

/** The largest pcap/pcapng read by its path: the import holds the whole file and its packets in memory. */
export const CAPTURE_FILE_MAX_BYTES = 2 ** 31 - 1;

export type CaptureFile = { ok: true; kind: 'trace' } | { ok: true; kind: 'packets'; bytes: Buffer } | { ok: false; error: string };

/**
 * Open `path` to read, without blocking on it (a FIFO would): its descriptor and size, or why it is
 * not a capture file (missing, a folder, not a regular file). The caller closes the descriptor.
 */
export function openRegularFile(path: string): { ok: true; fd: number; size: number } | { ok: false; error: string } {
  const name = basename(path);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { ok: false, error: err.code === 'ENOENT' ? `${name}: no such file (${path})` : `${name} could not be opened: ${err.message}` };
  }
  try {
    const st = fstatSync(fd);
    const not = st.isDirectory() ? 'is a folder' : !st.isFile() ? 'is not a regular file (a device, pipe or socket)' : null;
    if (not === null) return { ok: true, fd, size: st.size };
    closeSync(fd);
    return { ok: false, error: `${name} ${not}, not a capture file` };
  } catch (e) {
    closeSync(fd);
    return { ok: false, error: `${name} could not be read: ${(e as Error).message}` };
  }
}

/**
 * What the capture file at `path` is: a Packet Lab trace (not read: it is viewed in place), or a
 * pcap/pcapng with its bytes (up to CAPTURE_FILE_MAX_BYTES); or why it cannot be opened, named.
 */
export function readCaptureFile(path: string): CaptureFile {
  const name = basename(path);
  const file = openRegularFile(path);
  if (!file.ok) return file;
  const { fd, size } = file;
  try {
    const head = Buffer.alloc(16);
    if (isSqlite(head.subarray(0, readSync(fd, head, 0, head.length, 0)))) return { ok: true, kind: 'trace' };
    if (size > CAPTURE_FILE_MAX_BYTES) return { ok: false, error: `${name} is ${size} bytes; Packet Lab imports pcap and pcapng files up to ${CAPTURE_FILE_MAX_BYTES} bytes (cut it with editcap)` };
    const bytes = Buffer.alloc(size);
    let at = 0;
    for (let n = 1; n > 0 && at < bytes.length; at += n) n = readSync(fd, bytes, at, bytes.length - at, at);
    return { ok: true, kind: 'packets', bytes: bytes.subarray(0, at) };
  } catch (e) {
    return { ok: false, error: `${name} could not be read: ${(e as Error).message}` };
  } finally {
    closeSync(fd);
  }
}
