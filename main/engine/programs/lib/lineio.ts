// Buffered line input over a socket or terminal fd (stdio's fgets on a FILE*): the text protocols
// (FTP, SMTP, HTTP, Telnet) read commands and replies a line at a time. A line ends at LF (a CR
// before it is dropped). A line longer than `maxLine` is reported as too long and skipped up to
// its end, so a peer cannot make a server buffer without limit.
import { concatBytes } from '../../../../shared/wire';
import { isErr, sys, type Errno, type Sys } from '../../process';
import { decodeUtf8, encodeUtf8 } from '../../process/utf8';

export const TOO_LONG: unique symbol = Symbol('line too long');
export type TooLong = typeof TOO_LONG;

export class LineReader {
  private buf: Uint8Array = new Uint8Array(0);
  private start = 0;
  private eof = false;
  /** How the last line returned ended: CR LF, a bare LF, or end of input. */
  lastEnding: 'crlf' | 'lf' | 'eof' = 'eof';

  constructor(
    readonly fd: number,
    readonly maxLine = 4096,
  ) {}

  /** The next line without its ending; null at end of input (an unterminated last line comes first). */
  *line(): Sys<string | null | Errno | TooLong> {
    let skipping = false;
    for (;;) {
      const nl = this.buf.indexOf(10, this.start);
      if (nl >= 0) {
        const end = nl > this.start && this.buf[nl - 1] === 13 ? nl - 1 : nl;
        this.lastEnding = end === nl ? 'lf' : 'crlf';
        const tooLong = skipping || end - this.start > this.maxLine;
        const text = tooLong ? '' : decodeUtf8(this.buf.subarray(this.start, end));
        this.start = nl + 1;
        return tooLong ? TOO_LONG : text;
      }
      if (this.buf.length - this.start > this.maxLine) {
        // Drop what is buffered of the over-long line and keep reading to its end.
        skipping = true;
        this.start = this.buf.length;
      }
      if (this.eof) {
        this.lastEnding = 'eof';
        if (this.start >= this.buf.length) return null;
        const text = decodeUtf8(this.buf.subarray(this.start));
        this.start = this.buf.length;
        return skipping ? TOO_LONG : text;
      }
      const r = yield* this.fill();
      if (isErr(r)) return r;
    }
  }

  /** Up to n bytes: what is buffered first, then from the fd; an empty array at end of input. */
  *bytes(n: number): Sys<Uint8Array | Errno> {
    if (this.start >= this.buf.length && !this.eof) {
      const r = yield* this.fill();
      if (isErr(r)) return r;
    }
    const take = Math.min(n, this.buf.length - this.start);
    const out = this.buf.slice(this.start, this.start + take);
    this.start += take;
    return out;
  }

  /** Bytes already read from the fd and not yet handed out. */
  get buffered(): number {
    return this.buf.length - this.start;
  }

  private *fill(): Sys<number | Errno> {
    const r = yield* sys.read(this.fd, 4096);
    if (isErr(r)) return r;
    const chunk = typeof r === 'string' ? encodeUtf8(r) : r;
    if (chunk.length === 0) {
      this.eof = true;
      return 0;
    }
    this.buf = concatBytes([this.buf.subarray(this.start), chunk]);
    this.start = 0;
    return chunk.length;
  }
}

/** Write all of `text` (a short write is retried, as stdio's fflush does). */
export function* writeAll(fd: number, data: string | Uint8Array): Sys<number | Errno> {
  let bytes = typeof data === 'string' ? encodeUtf8(data) : data;
  while (bytes.length > 0) {
    const n = yield* sys.write(fd, bytes);
    if (isErr(n)) return n;
    bytes = bytes.subarray(n);
  }
  return 0;
}
