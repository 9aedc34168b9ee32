// The one entry point for calls that cross a process boundary (Electron IPC, WebSocket): the
// method name and every argument are validated before LabService sees them.
import { z } from 'zod';
import { EXPORT_FORMATS, IMPORT_MAX_BYTES, importTooLargeMessage, type LabApi, type LabMethod } from '../../shared/api/contract';
import type { LabDoc } from '../../shared/lab/types';
import { MAX_LOG_LIMIT } from '../../shared/api/services';
import { FLOW_MAX_ITEMS } from '../../shared/api/analysis';
import { IO_INTERVALS_NS } from '../../shared/analysis/io-graph';
import { SERVICE_CATALOG } from '../../shared/kernel/services';

const id = z.string().min(1).max(64);
const none = z.tuple([]);
const serviceName = z.enum(SERVICE_CATALOG.map((s) => s.name) as [string, ...string[]]);
const port = z.number().int().min(1).max(65535);
/** A display filter's text. */
const filter = z.string().max(4096);
/** A capture point: one machine's NICs, or one NIC. */
const point = z.object({ machine: id, nic: id.optional() }).strict();

const ARGS: { [K in LabMethod]: z.ZodType<Parameters<LabApi[K]>> } = {
  getState: none,
  openLab: z.tuple([z.string().max(16 * 1024 * 1024)]),
  // The document is checked whole by the lab file's own validation (LabService.editLab).
  editLab: z.tuple([z.unknown()]) as unknown as z.ZodType<[LabDoc]>,
  saveLab: none,
  getRecovery: none,
  settleRecovery: z.tuple([z.enum(['recover', 'discard'])]),
  moveMachine: z.tuple([id, z.number().finite().min(-1e6).max(1e6), z.number().finite().min(-1e6).max(1e6)]),
  run: none,
  pause: none,
  step: z.tuple([z.enum(['event', 'frame']).nullish().transform((u) => u ?? undefined)]),
  reset: none,
  setSpeed: z.tuple([
    z.discriminatedUnion('mode', [
      z.object({ mode: z.literal('realtime'), factor: z.number().finite().min(0.0001).max(1000) }).strict(),
      z.object({ mode: z.literal('max') }).strict(),
    ]),
  ]),
  openConsole: z.tuple([id]),
  consoleInput: z.tuple([id, z.string().max(64 * 1024)]),
  closeConsole: z.tuple([id]),
  listFrames: z.tuple([
    z.object({
      offset: z.number().int().min(0),
      limit: z.number().int().min(1).max(10_000),
      allCapturePoints: z.boolean().optional(),
      filter: filter.optional(),
      point: point.optional(),
    }).strict(),
  ]),
  getFrame: z.tuple([z.number().int().min(1)]),
  capturePoints: none,
  listDrops: z.tuple([z.object({ offset: z.number().int().min(0), limit: z.number().int().min(1).max(10_000) }).strict()]),
  exportCapture: z.tuple([
    z.enum(EXPORT_FORMATS),
    filter.nullish().transform((f) => f ?? undefined),
    point.nullish().transform((p) => p ?? undefined),
  ]),
  followStream: z.tuple([z.number().int().min(0)]),
  importCapture: z.tuple([
    z.string().min(1).max(255),
    z.string().max(Math.ceil(IMPORT_MAX_BYTES / 3) * 4, { message: importTooLargeMessage() }),
  ]),
  flowGraph: z.tuple([
    z.object({
      stream: z.number().int().min(0).optional(),
      filter: filter.optional(),
      limit: z.number().int().min(1).max(FLOW_MAX_ITEMS).optional(),
    }).strict(),
  ]),
  trafficStats: none,
  ioGraph: z.tuple([
    z.object({
      intervalNs: z.literal(IO_INTERVALS_NS),
      filter: filter.optional(),
    }).strict(),
  ]),
  getMachineState: z.tuple([id]),
  getSwitchState: z.tuple([id]),
  getDelivery: z.tuple([z.number().int().min(1)]),
  listServices: z.tuple([id]),
  // Without a port, the well-known one; JSON carries an absent trailing argument as null.
  startService: z.tuple([id, serviceName, port.nullish().transform((p) => p ?? undefined)]),
  stopService: z.tuple([id, serviceName]),
  startBridge: z.tuple([id, port, z.number().int().min(0).max(65535).nullish().transform((p) => p ?? undefined)]),
  stopBridge: z.tuple([port]),
  listBridges: z.tuple([]),
  machineLog: z.tuple([
    id,
    z.object({
      offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
      limit: z.number().int().min(1).max(MAX_LOG_LIMIT).optional(),
    }).strict().optional(),
  ]),
};

export class ApiError extends Error {}

export function isLabMethod(m: unknown): m is LabMethod {
  return typeof m === 'string' && Object.hasOwn(ARGS, m);
}

/** Validate and perform one call. Throws ApiError (bad call) or the service's own Error (bad state). */
export async function dispatch(api: LabApi, method: unknown, args: unknown): Promise<unknown> {
  if (!isLabMethod(method)) throw new ApiError(`unknown method ${JSON.stringify(method)?.slice(0, 80)}`);
  const parsed = ARGS[method].safeParse(args);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ApiError(`${method}: invalid argument ${issue.path.join('.') || '(arguments)'}: ${issue.message}`);
  }
  const fn = api[method] as (...a: unknown[]) => Promise<unknown>;
  return fn.apply(api, parsed.data as unknown[]);
}
