// `npm run bench` (scripts/bench.mjs bundles and runs this): every benchmark, one JSON line per result. Later issues add their cases here.
import { spawnSync } from 'node:child_process';
import { applyHeapPolicy } from '../main/service/heap-policy';
import { benchPingFlood } from './ping-flood';
import { benchTcpBulk } from './tcp-bulk';
import { benchTcpConnections } from './tcp-conns';
import { benchTcpStar } from './tcp-star';
import { benchTraceFilter } from './trace-filter';
import { benchTraceScale } from './trace-scale';

const CASES: Record<string, () => void> = {
  'ping-flood': benchPingFlood,
  'tcp-bulk': () => {
    benchTcpBulk(100_000_000, true);
    benchTcpBulk(100_000_000, false);
  },
  'tcp-star': () => benchTcpStar(),
  'tcp-conns': () => benchTcpConnections(),
  'trace-filter': () => benchTraceFilter(),
  'trace-scale': () => benchTraceScale(),
  // The UI in chromium (browser mode): build, then Playwright with playwright.bench.config.ts.
  'ui-200': () => uiBench('ui-200', 'bench/ui/editor-200.bench.ts'),
  'ui-trace': () => uiBench('ui-trace', 'bench/ui/trace-1m.bench.ts'),
};

function uiBench(name: string, spec: string): void {
  const r = spawnSync(process.execPath, ['scripts/e2e.mjs', '-c', 'playwright.bench.config.ts', spec], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${name} benchmark failed (exit ${r.status})`);
}

// The engine's processes run with this policy (main/service/heap-policy.ts), so the figures do too.
applyHeapPolicy();
const only = process.argv.slice(2);
const unknown = only.filter((name) => !Object.hasOwn(CASES, name));
if (unknown.length > 0) {
  process.stderr.write(`npm run bench: no benchmark named ${unknown.join(', ')}; the benchmarks: ${Object.keys(CASES).join(', ')}\n`);
  process.exit(2);
}
for (const [name, run] of Object.entries(CASES)) if (only.length === 0 || only.includes(name)) run();
