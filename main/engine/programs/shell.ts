// The machine shell: prompt, read a line, run the program in the foreground, wait for it.
// Like bash it catches SIGINT for itself (Ctrl-C at the prompt just gives a new prompt) while the
// foreground program gets the terminal's SIGINT.
import { isErr, sys, type Sys } from '../process';
import { err, out } from './stdio';
import { splitWords } from './words';

export const shellPrompt = (host: string) => `${host}$ `;

export function* shell(_argv: string[]): Sys<number> {
  const host = yield* sys.gethostname();
  const me = yield* sys.getpid();
  yield* sys.sigaction('SIGINT', 'catch');
  for (;;) {
    yield* sys.tcsetpgrp(0, me);
    yield* out(shellPrompt(host));
    const line = yield* sys.read(0);
    if (isErr(line)) {
      yield* sys.sigtimedwait(); // Ctrl-C at the prompt: the tty echoed ^C; new line, new prompt
      yield* out('\n');
      continue;
    }
    if (line === '' || line instanceof Uint8Array) {
      yield* out('exit\n');
      return 0;
    }
    const words = splitWords(line);
    if ('error' in words) {
      yield* err(`sh: ${words.error}\n`);
      continue;
    }
    if (words.length === 0) continue;
    const [cmd] = words as [string];
    if (cmd === 'exit') return Number(words[1] ?? 0) & 255;
    if (cmd === 'clear') {
      yield* out('\x1b[H\x1b[2J\x1b[3J');
      continue;
    }
    const child = yield* sys.spawn(words);
    if (isErr(child)) {
      yield* err(`${cmd}: command not found\n`);
      continue;
    }
    yield* sys.tcsetpgrp(0, child);
    for (;;) {
      const st = yield* sys.waitpid(child);
      if (!isErr(st)) {
        if (st.signal === 'SIGINT') yield* out('\n');
        else if (st.signal === 'SIGKILL') yield* err('Killed\n');
        else if (st.signal === 'SIGTERM') yield* err('Terminated\n');
        break;
      }
      if (st.name !== 'EINTR') break;
      yield* sys.sigtimedwait();
    }
  }
}
