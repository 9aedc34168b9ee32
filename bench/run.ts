// `npm run bench`: every benchmark, one JSON line per result. Later issues add their cases here.
import { spawnSync } from 'node:child_process';
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
  // The editor in chromium (browser mode): build, then Playwright with playwright.bench.config.ts.
  'ui-200': () => {
    const r = spawnSync(process.execPath, ['scripts/e2e.mjs', '-c', 'playwright.bench.config.ts'], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`ui-200 benchmark failed (exit ${r.status})`);
  },
};

const only = process.argv.slice(2);
for (const [name, run] of Object.entries(CASES)) if (only.length === 0 || only.includes(name)) run();
