// The engine's one door. Pure TypeScript: no Node, no Electron, no SQLite, no wall clock.
export { World } from './world';
export { ScriptRunner, type ScriptRun } from './script';
export type { Machine, Terminal } from './machine';
export { Scheduler, MS, SEC, US } from './sim';
export * as programKit from './programs/sdk';
