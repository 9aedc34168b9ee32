// The lab module's one door (DESIGN.md 8.7): the file format's types, parsing, validation,
// resolution, serialization and units. Import from here, not from the files behind it.

export * from './types';
export { parseLab, validateLab } from './parse';
export { serializeLab } from './serialize';
export { parseDuration, formatDuration, parseRate, formatRate } from './units';
export { LabDocSchema } from './schema';
export { parseLinkEnd } from './topology';
export {
  MACHINE_KINDS,
  hasNics,
  deriveMac,
  portName,
  portNumber,
  MACHINE_ID_RE,
  NIC_NAME_RE,
  DEFAULT_SEED,
  DEFAULT_PORTS,
  MAX_PORTS,
  MAX_NICS,
  DEFAULT_LATENCY,
  DEFAULT_BANDWIDTH,
  DEFAULT_LOSS,
  DEFAULT_MTU,
  MIN_MTU,
  MAX_MTU,
} from './limits';
