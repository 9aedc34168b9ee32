// `npm run e2e`: build, then run Playwright. Under xvfb-run when it exists, so the Electron spec
// has a display where the Electron binary is present (chromium itself runs headless).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from './electron-binary.mjs';

const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', cwd: root }).status ?? 1;

let status = run(bin('electron-vite'), ['build']);
if (status !== 0) process.exit(status);
const hasXvfb = spawnSync('sh', ['-c', 'command -v xvfb-run'], { stdio: 'ignore' }).status === 0;
const args = ['test', ...process.argv.slice(2)];
status = hasXvfb ? run('xvfb-run', ['-a', bin('playwright'), ...args]) : run(bin('playwright'), args);
process.exit(status);
