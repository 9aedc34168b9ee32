// Entry point of `npm run lab -- ...` and the packet-lab bin.
import { bridgeMain } from './bridge';
import { parseArgs } from './args';
import { main, type CliIo } from './main';
import { applyHeapPolicy } from '../service';

applyHeapPolicy();

const io: CliIo = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
};
const argv = process.argv.slice(2);
const args = parseArgs(argv);
if (!('error' in args) && args.command === 'bridge') {
  const stop = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  void bridgeMain(args, io, stop).then((code) => {
    process.exitCode = code;
  });
} else process.exitCode = main(argv, io);
