#!/usr/bin/env node
// The packet-lab command. better-sqlite3 13 needs N-API 10 (Node >= 22.14): on an older Node this
// re-runs itself on the project's own Node 22 (the "node" devDependency) before loading anything.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

if (Number(process.versions.napi) < 10) {
  const node22 = join(root, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(node22)) {
    process.stderr.write(`packet-lab: needs Node >= 22.14 (this is ${process.version}); run npm install in ${root} first\n`);
    process.exit(2);
  }
  const r = spawnSync(node22, [fileURLToPath(import.meta.url), ...args], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const { register } = await import('tsx/esm/api');
register();
process.argv = [process.argv[0], join(root, 'main/cli/index.ts'), ...args];
await import(join(root, 'main/cli/index.ts'));
