// `node scripts/engine.mjs ENTRY.ts [args]`: run an engine entry from source (npm run web, npm run
// lab) with the engine's V8 flags (engine-flags.mjs) and tsx's loader, in one child process. SIGINT
// and SIGTERM are passed on, so the entry cleans up as it would if started directly.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { ENGINE_V8_FLAGS } from './engine-flags.mjs';
import { root } from './electron-binary.mjs';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  process.stderr.write('usage: node scripts/engine.mjs ENTRY.ts [args]\n');
  process.exit(2);
}
const child = spawn(process.execPath, [...ENGINE_V8_FLAGS, '--import', 'tsx', entry, ...args], { stdio: 'inherit', cwd: root });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0)));
