// A terminal in canonical mode (Linux n_tty): the kernel echoes keystrokes, edits the line
// (Backspace, Ctrl-U), hands complete lines to read(), turns Ctrl-C into SIGINT for the foreground
// process and Ctrl-D into end of file, and maps "\n" to "\r\n" on output (onlcr).
import { WaitQueue } from '../sim';
import { AGAIN, POLLIN, POLLOUT, type Again, type FileObject } from './file';
import { decodeUtf8 } from './utf8';

export interface TtyHooks {
  /** Bytes for the terminal emulator (xterm, the CLI transcript). */
  output(data: string): void;
  /** Ctrl-C: the kernel sends SIGINT to this pid. */
  interrupt(pid: number): void;
  /**
   * A process started waiting for a line (the script driver types its next input then): in read(),
   * or in poll() with the terminal among its descriptors (`polling`: it may be waiting for the
   * network too, like ssh or nc).
   */
  readerWaiting?(pid: number, polling?: boolean): void;
  /** The last descriptor of this terminal was closed (a pty master then reads end of file). */
  closed?(): void;
  /** Hangup: the kernel sends SIGHUP to this (foreground) pid. */
  hangup?(pid: number): void;
}

const MAX_LINE = 4095; // N_TTY_BUF_SIZE - 1

export class Tty implements FileObject {
  readonly kind = 'tty';
  readonly waitq = new WaitQueue();
  /** Foreground process (Linux: process group); set with tcsetpgrp. */
  foreground = 0;
  private line = '';
  private lines: string[] = [];
  private eof = false;
  hungUp = false;
  /** termios ECHO: off while a program reads a password (getpass); keystrokes are not shown. */
  echoOn = true;

  constructor(
    readonly label: string,
    private readonly hooks: TtyHooks,
  ) {}

  /** Keystrokes from the terminal emulator. Escape sequences (arrow keys) are ignored. */
  input(data: string): void {
    for (let i = 0; i < data.length; i++) {
      const ch = data[i]!;
      const code = ch.charCodeAt(0);
      if (ch === '\x1b') {
        i = skipEscape(data, i);
      } else if (ch === '\r' || ch === '\n') {
        this.echo('\r\n');
        this.lines.push(this.line + '\n');
        this.line = '';
      } else if (ch === '\x7f' || ch === '\b') {
        if (this.line.length) {
          this.line = this.line.slice(0, -1);
          this.echo('\b \b');
        }
      } else if (ch === '\x15') {
        this.echo('\b \b'.repeat(this.line.length));
        this.line = '';
      } else if (ch === '\x03') {
        this.echo('^C');
        this.line = '';
        this.lines = [];
        if (this.foreground) this.hooks.interrupt(this.foreground);
      } else if (ch === '\x04') {
        if (this.line.length) {
          this.lines.push(this.line);
          this.line = '';
        } else this.eof = true;
      } else if (code >= 0x20 && this.line.length < MAX_LINE) {
        this.line += ch;
        this.echo(ch);
      }
    }
    this.waitq.wake();
  }

  read(_max: number): string | Again {
    const l = this.lines.shift();
    if (l !== undefined) return l;
    if (this.eof || this.hungUp) {
      this.eof = false;
      return '';
    }
    this.hooks.readerWaiting?.(this.foreground);
    return AGAIN;
  }

  write(data: Uint8Array | string): number {
    const s = typeof data === 'string' ? data : decodeUtf8(data);
    if (!this.hungUp) this.hooks.output(s.replace(/\r?\n/g, '\r\n'));
    return data.length;
  }

  poll(): number {
    return (this.lines.length || this.eof || this.hungUp ? POLLIN : 0) | POLLOUT;
  }

  /** poll() found nothing to read here and the caller is going to sleep. */
  pollWaiting(): void {
    if (!this.hasInput && !this.hungUp) this.hooks.readerWaiting?.(this.foreground, true);
  }

  /** Is a complete line or EOF waiting to be read? */
  get hasInput(): boolean {
    return this.lines.length > 0 || this.eof;
  }

  /** The other side went away (terminal closed, pty master released): readers get end of file. */
  hangup(): void {
    this.hungUp = true;
    this.waitq.wake();
    if (this.foreground) this.hooks.hangup?.(this.foreground);
  }

  release(): void {
    this.hooks.closed?.();
  }

  private echo(s: string): void {
    // ^C is shown even with ECHO off (ECHOCTL), so an interrupted password prompt still reacts.
    if (!this.hungUp && (this.echoOn || s === '^C')) this.hooks.output(s);
  }
}

/** Skip a CSI/SS3 escape sequence starting at i; returns the index of its last character. */
function skipEscape(s: string, i: number): number {
  if (s[i + 1] === '[' || s[i + 1] === 'O') {
    let j = i + 2;
    while (j < s.length && !/[A-Za-z~]/.test(s[j]!)) j++;
    return j;
  }
  return i + 1;
}
