// Entry point of `npm run lab -- ...` and the packet-lab bin.
import { main } from './main';

process.exitCode = main(process.argv.slice(2), {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
});
