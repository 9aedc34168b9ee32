// Started by engine-launch.test.ts through scripts/engine.mjs: reports the flags and young
// generation grew to under load, then waits for SIGTERM and says it saw it.
import { getHeapSpaceStatistics } from 'node:v8';

// Short-lived garbage with some survivors: V8 grows the young generation to its limit.
const kept: object[] = [];
for (let i = 0; i < 3_000_000; i++) {
  const o = { i, a: [i, i] };
  if (i % 50 === 0) kept.push(o);
  if (kept.length > 20_000) kept.shift();
}
const keepAlive = setInterval(() => {}, 1000);
process.once('SIGTERM', () => {
  clearInterval(keepAlive);
  process.stdout.write('SIGTERM\n');
});
const newSpace = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
process.stdout.write(`${JSON.stringify({ execArgv: process.execArgv, args: process.argv.slice(2), newSpaceMaxMB: (newSpace?.space_size ?? 0) / 2 ** 20 })}\n`);
