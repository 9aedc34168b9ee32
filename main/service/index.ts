// main/service: the LabService and what every transport and the CLI share.
export { LabService, type LabServiceOptions } from './lab-service';
export { Autosave } from './autosave';
export { dispatch, ApiError, isLabMethod } from './dispatch';
export { runHeadless, formatTranscript, formatSeconds, DEFAULT_LIMIT_NS, type HeadlessResult } from './headless';
export { Pacer, systemClock, type WallClock } from './pacer';
export { defaultLabPath, readDefaultLab } from './default-lab';
export { addGateway, Bridge, parseBridgeSpec, runRealtime, type BridgeSpec, type GatewayPlan } from './bridge';
export { NODE_PROGRAMS } from './programs';
export { reason } from './errors';
export { applyHeapPolicy } from './heap-policy';
