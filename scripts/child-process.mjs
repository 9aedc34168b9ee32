// Run a child process in place of this one: SIGINT and SIGTERM are passed on, and this process
// exits as the child did (128 + signal number when a signal ended it).
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

export function runInPlace(command, args, options = {}) {
  const child = spawn(command, args, { stdio: 'inherit', ...options });
  // A Ctrl-C reaches the child from the terminal too; the entries take a repeated signal as one.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('error', (err) => {
    process.stderr.write(`cannot start ${command}: ${err.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0)));
}
