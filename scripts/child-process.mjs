// Run a child process in place of this one: it gets the signals this one gets, and this process
// exits as the child did (128 + signal number when a signal ended it).
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { isatty } from 'node:tty';

export function runInPlace(command, args, options = {}) {
  const child = spawn(command, args, { stdio: 'inherit', ...options });
  // SIGTERM is passed on. A Ctrl-C in a terminal already reaches the child (one process group):
  // passing it on too would deliver it twice, and a second SIGINT kills an entry that is cleaning up
  // after the first. Without a terminal (kill -INT, a supervisor, npm passing it on) SIGINT reaches
  // the child only through here. This process waits for the child either way. A terminal is judged
  // by stdin: a Ctrl-C with stdin redirected (`< file`, a pipe) reaches the child twice.
  const fromTerminal = isatty(0);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  process.on('SIGINT', () => {
    if (!fromTerminal) child.kill('SIGINT');
  });
  child.on('error', (err) => {
    process.stderr.write(`cannot start ${command}: ${err.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0)));
}
