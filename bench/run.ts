// `npm run bench`: every benchmark, one JSON line per result. Later issues add their cases here.
import { benchPingFlood } from './ping-flood';

const CASES: Record<string, () => void> = {
  'ping-flood': benchPingFlood,
};

const only = process.argv.slice(2);
for (const [name, run] of Object.entries(CASES)) if (only.length === 0 || only.includes(name)) run();
