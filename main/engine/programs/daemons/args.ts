// Daemon command lines: `NAME -p PORT` (the port `service` chose).
import { err } from '../stdio';
import type { Sys } from '../../process';

export function* portArg(argv: string[], fallback: number): Sys<number | null> {
  const i = argv.indexOf('-p');
  if (i < 0) return fallback;
  const port = Number(argv[i + 1]);
  if (Number.isInteger(port) && port >= 1 && port <= 65535) return port;
  yield* err(`${argv[0]}: -p ${argv[i + 1] ?? ''}: not a port number\n`);
  return null;
}
