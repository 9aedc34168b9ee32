// Starts a TypeScript worker entry when Packet Lab runs from source (tsx, vitest): registers tsx's
// loader in this thread, then imports the entry named in workerData. Built apps start the bundled
// .js entry directly and never load this file.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
