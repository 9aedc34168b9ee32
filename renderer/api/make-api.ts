// Builds a typed LabApi from a transport's untyped `call(method, args)`.
import type { LabApi, LabMethod } from '../../shared/api/contract';

export type CallFn = (method: LabMethod, args: unknown[]) => Promise<unknown>;

/** Every LabApi method, checked exhaustive by the Record type. */
const METHODS: Record<LabMethod, true> = {
  getState: true,
  openLab: true,
  editLab: true,
  saveLab: true,
  getRecovery: true,
  settleRecovery: true,
  moveMachine: true,
  run: true,
  pause: true,
  step: true,
  reset: true,
  setSpeed: true,
  openConsole: true,
  consoleInput: true,
  closeConsole: true,
  listFrames: true,
  capturePoints: true,
  getFrame: true,
  listDrops: true,
  exportCapture: true,
  followStream: true,
  importCapture: true,
  flowGraph: true,
  trafficStats: true,
  ioGraph: true,
  getMachineState: true,
  getSwitchState: true,
  getDelivery: true,
  listServices: true,
  startService: true,
  stopService: true,
  machineLog: true,
  startBridge: true,
  stopBridge: true,
  listBridges: true,
};

export const LAB_METHODS = Object.keys(METHODS) as LabMethod[];

/**
 * The results are trusted to match the contract: main validates arguments, and the renderer only
 * displays what comes back.
 */
export function makeLabApi(call: CallFn): LabApi {
  const api: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const method of LAB_METHODS) {
    api[method] = (...args: unknown[]) => call(method, args);
  }
  return api as unknown as LabApi;
}

/**
 * Electron wraps errors thrown in ipcMain.handle as
 * "Error invoking remote method 'lab:call': Error: <message>": keep only the message.
 */
export function cleanErrorMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const m = /^Error invoking remote method '[^']*': (?:\w*Error: )?([\s\S]*)$/.exec(text);
  return m ? m[1] : text;
}
