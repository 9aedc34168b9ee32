// Preloaded (NODE_OPTIONS=--import) by engine-launch.test.ts into every Node process a launcher
// starts: appends the process's V8 and Node flags to the file named by EXEC_ARGV_LOG. Processes
// only: the preload also runs in worker threads (esbuild starts one when tsx compiles a file its
// cache does not hold), which have the process's flags.
import { appendFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

if (process.env.EXEC_ARGV_LOG && isMainThread) appendFileSync(process.env.EXEC_ARGV_LOG, `${JSON.stringify(process.execArgv)}\n`);
