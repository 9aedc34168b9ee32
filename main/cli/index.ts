// Entry point of `npm run lab -- ...` and the packet-lab bin.
import { bridgeMain } from './bridge';
import { parseArgs } from './args';
import { main, type CliIo } from './main';
import { applyHeapPolicy } from '../service/heap-policy';

applyHeapPolicy();

const io: CliIo = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
};
const argv = process.argv.slice(2);
const args = parseArgs(argv);
if (!('error' in args) && args.command === 'bridge') {
  const stop = new Promise<void>((resolve) => {
    // `on`, not `once`: a Ctrl-C can arrive twice (from the terminal and from a launcher that passes
    // signals on), and a second one must not kill the bridge while it writes the trace.
    process.on('SIGINT', () => resolve());
    process.on('SIGTERM', () => resolve());
  });
  void bridgeMain(args, io, stop).then((code) => {
    process.exitCode = code;
  });
} else process.exitCode = main(argv, io);
