// `npm run bench [case ...]`: bundle the benchmarks as the desktop app's main process is bundled
// (no tsx: its keepNames rewrites every named function's `name`, which costs the engine memory and
// time the app does not pay), then run the bundle. The trace's thread entries sit beside it under
// the names the engine looks for (main/trace/writer-host.ts threadEntry).
import { join } from 'node:path';
import { build } from 'esbuild';
import { root } from './electron-binary.mjs';
import { runInPlace } from './child-process.mjs';
import { ENGINE_V8_FLAGS } from './engine-flags.mjs';

const outdir = join(root, 'out', 'bench');
await build({
  absWorkingDir: root,
  entryPoints: {
    run: 'bench/run.ts',
    'trace-writer': 'main/trace/writer-thread.ts',
    'trace-checkpoint': 'main/trace/checkpoint-thread.ts',
  },
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  logLevel: 'warning',
});
// With the engine's flags, as the app runs; --expose-gc: the benchmarks that measure a live heap
// collect before they read it.
runInPlace(process.execPath, [...ENGINE_V8_FLAGS, '--expose-gc', join(outdir, 'run.js'), ...process.argv.slice(2)], { cwd: root });
