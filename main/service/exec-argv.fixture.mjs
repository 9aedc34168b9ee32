// Preloaded (NODE_OPTIONS=--import) by engine-launch.test.ts into every Node process a launcher
// starts: appends the process's V8 and Node flags to the file named by EXEC_ARGV_LOG.
import { appendFileSync } from 'node:fs';

if (process.env.EXEC_ARGV_LOG) appendFileSync(process.env.EXEC_ARGV_LOG, `${JSON.stringify(process.execArgv)}\n`);
