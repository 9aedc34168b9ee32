// `npm start`: build and open the desktop app. Where the Electron binary is absent, say so plainly
// and point at browser mode, which runs the same UI and engine.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { electronBinary, root } from './electron-binary.mjs';
import { runInPlace } from './child-process.mjs';
import { ELECTRON_JS_FLAGS } from './engine-flags.mjs';

const { path, reason } = electronBinary();
if (!path) {
  process.stderr.write(`Packet Lab: cannot open the desktop app: ${reason}.\n` +
    'Install Electron where its binary can be downloaded (npm install electron), or use browser mode:\n  npm run web\n');
  process.exit(1);
}
const bin = (name) => join(root, 'node_modules', '.bin', name);
const build = spawnSync(bin('electron-vite'), ['build'], { stdio: 'inherit', cwd: root });
if (build.status !== 0) process.exit(build.status ?? 1);
// The engine runs in the main process: its V8 flags go in through --js-flags (read at start;
// engine-flags.mjs says what the renderers make of them).
runInPlace(path, [ELECTRON_JS_FLAGS, root], { cwd: root });
