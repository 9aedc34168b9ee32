// Run by heap-policy.test.ts in a child process: ~40 MB kept alive while objects that live long
// enough to be promoted die in the old generation; prints the largest heap seen. With `policy`,
// the engine's heap policy is applied first.
import { applyHeapPolicy } from './heap-policy';

if (process.argv[2] === 'policy') applyHeapPolicy();
const live: unknown[] = [];
for (let i = 0; i < 400_000; i++) live.push({ a: i, b: [i, i + 1], c: `x${i}` });
const ring: unknown[] = new Array(200_000);
let peak = 0;
for (let i = 0; i < 3_000_000; i++) {
  ring[i % ring.length] = { i, d: [i, i, i, i] };
  if (i % 10_000 === 0) peak = Math.max(peak, process.memoryUsage().heapTotal);
}
process.stdout.write(JSON.stringify({ peakMB: Math.round(peak / 2 ** 20), live: live.length }));
