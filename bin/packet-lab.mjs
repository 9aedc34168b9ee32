#!/usr/bin/env node
// The packet-lab command. better-sqlite3 13 needs N-API 10 (Node >= 22.14): on an older Node this
// re-runs itself on the project's own Node 22 (the "node" devDependency) before loading anything,
// and with the engine's V8 flags.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInPlace } from '../scripts/child-process.mjs';
import { ENGINE_V8_FLAGS } from '../scripts/engine-flags.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

const oldNode = Number(process.versions.napi) < 10;
// The engine's V8 flags (scripts/engine-flags.mjs) can only be given at start: re-run with them,
// once (the mark stops a loop should the flags ever not show in execArgv).
const rerun = process.env.PACKET_LAB_RERUN === '1';
const flagged = ENGINE_V8_FLAGS.every((f) => process.execArgv.includes(f)) || rerun;
// Not passed on to what the command starts (a packet-lab started from a lab re-runs as usual).
delete process.env.PACKET_LAB_RERUN;
const node22 = join(root, 'node_modules', 'node', 'bin', 'node');
if (oldNode && rerun) {
  // The project's own Node is old too (a stale install): re-running again would loop.
  process.stderr.write(`packet-lab: ${process.execPath} is ${process.version}; needs >= 22.14 (run npm install in ${root})\n`);
  process.exit(2);
}
if (oldNode || !flagged) {
  if (oldNode && !existsSync(node22)) {
    process.stderr.write(`packet-lab: needs Node >= 22.14 (this is ${process.version}); run npm install in ${root} first\n`);
    process.exit(2);
  }
  runInPlace(oldNode ? node22 : process.execPath, [...ENGINE_V8_FLAGS, fileURLToPath(import.meta.url), ...args], { env: { ...process.env, PACKET_LAB_RERUN: '1' } });
} else {
  const { register } = await import('tsx/esm/api');
  register();
  process.argv = [process.argv[0], join(root, 'main/cli/index.ts'), ...args];
  await import(join(root, 'main/cli/index.ts'));
}
