// `node scripts/engine.mjs ENTRY.ts [args]`: run an engine entry from source (npm run web, npm run
// lab) with the engine's V8 flags (engine-flags.mjs) and tsx's loader, in one child process
// (child-process.mjs).
import { ENGINE_V8_FLAGS } from './engine-flags.mjs';
import { runInPlace } from './child-process.mjs';
import { root } from './electron-binary.mjs';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  process.stderr.write('usage: node scripts/engine.mjs ENTRY.ts [args]\n');
  process.exit(2);
}
runInPlace(process.execPath, [...ENGINE_V8_FLAGS, '--import', 'tsx', entry, ...args], { cwd: root });
