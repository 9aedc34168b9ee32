// getpass(3): print the prompt, turn the terminal's echo off, read a line, restore echo and end
// the line the user could not see being typed. Without a terminal (ENOTTY) the line is read as is.
import { isErr, sys, type Sys } from '../../process';
import { decodeUtf8 } from '../../process/utf8';

/** The password typed, or null at end of input. */
export function* getpass(prompt: string): Sys<string | null> {
  yield* sys.write(1, prompt);
  const tty = !isErr(yield* sys.setEcho(0, false));
  const line = yield* sys.read(0, 4096);
  if (tty) {
    yield* sys.setEcho(0, true);
    yield* sys.write(1, '\n');
  }
  if (isErr(line)) return null;
  const text = typeof line === 'string' ? line : decodeUtf8(line);
  return text === '' ? null : text.replace(/\r?\n$/, '');
}
