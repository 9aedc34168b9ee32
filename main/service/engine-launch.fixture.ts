// Started by engine-launch.test.ts through scripts/engine.mjs: reports the flags and young
// generation grew to under load, then waits for SIGTERM or SIGINT and says which it saw.
import { getHeapSpaceStatistics } from 'node:v8';

// Short-lived garbage with some survivors: V8 grows the young generation to its limit.
const kept: object[] = [];
for (let i = 0; i < 3_000_000; i++) {
  const o = { i, a: [i, i] };
  if (i % 50 === 0) kept.push(o);
  if (kept.length > 20_000) kept.shift();
}
const keepAlive = setInterval(() => {}, 1000);
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    clearInterval(keepAlive);
    process.stdout.write(`${signal}\n`);
  });
}
const newSpace = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
process.stdout.write(`${JSON.stringify({ execArgv: process.execArgv, args: process.argv.slice(2), newSpaceMaxMB: (newSpace?.space_size ?? 0) / 2 ** 20 })}\n`);
