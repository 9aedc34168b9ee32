// Limits and defaults of lab format v1, in one place so the schema, the checks, resolution and the
// editor agree.

import type { MachineKind } from './types';

export const MACHINE_KINDS = ['host', 'server', 'router', 'switch', 'hub'] as const satisfies readonly MachineKind[];

/** Machines with NICs and a shell; the others (switch, hub) have ports p1..pN and no shell. */
export function hasNics(kind: MachineKind): boolean {
  return kind === 'host' || kind === 'server' || kind === 'router';
}

/** Letters, digits, '-' and '_', 1..32 chars, starting with a letter (no ':' so "machine:nic" is unambiguous). */
export const MACHINE_ID_RE = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;
/** Like a machine id but at most 15 chars: Linux IFNAMSIZ is 16 including the NUL. */
export const NIC_NAME_RE = /^[A-Za-z][A-Za-z0-9_-]{0,14}$/;
/** The loopback interface every host-like machine has; a NIC may not take its name. */
export const LOOPBACK_NAME = 'lo';
/** A link end, "machine:nic": exactly one ':' between two non-empty parts, no whitespace (groups: machine, nic). */
export const LINK_END_RE = /^([^:\s]+):([^:\s]+)$/;
/** A switch/hub port name: p1..p64. */
export const PORT_NAME_RE = /^p([1-9][0-9]*)$/;

/** A login name as Debian's adduser accepts it (NAME_REGEX). */
export const USER_NAME_RE = /^[a-z_][a-z0-9_-]{0,31}$/;
export const MAX_PASSWORD = 128;
export const MAX_USERS = 32;
export const MAX_SERVICES = 16;
export const MAX_ROUTES = 64;

export const DEFAULT_SEED = 1;
export const MAX_SEED = 0xffff_ffff;
export const DEFAULT_PORTS = 8;
export const MAX_PORTS = 64;
/** At most this many NICs per machine: the derived MAC has one byte for the NIC. */
export const MAX_NICS = 64;

export const DEFAULT_LATENCY = '100us';
export const DEFAULT_BANDWIDTH = '1Gbps';
export const DEFAULT_LOSS = 0;
export const DEFAULT_MTU = 1500;
/** RFC 791: every internet module must be able to forward a datagram of 68 octets. */
export const MIN_MTU = 68;
/** Jumbo frames. */
export const MAX_MTU = 9000;

/** The port name of a 1-based port number. */
export function portName(n: number): string {
  return `p${n}`;
}

/** The 1-based port number of a switch/hub port name, or null when it is not p1..p64. */
export function portNumber(name: string): number | null {
  const m = PORT_NAME_RE.exec(name);
  if (!m) return null;
  const n = Number(m[1]);
  return n <= MAX_PORTS ? n : null;
}

/**
 * The MAC a NIC or port gets when the file gives none: locally administered 02:00, then three bytes
 * of the machine's index + 1 and one byte of the NIC's (port's) index + 1, so the first machine's
 * first NIC is 02:00:00:00:01:01. Distinct for distinct (machine, NIC) pairs within the limits.
 */
export function deriveMac(machineIndex: number, nicIndex: number): number {
  return 0x02 * 2 ** 40 + (machineIndex + 1) * 2 ** 8 + (nicIndex + 1);
}

/** The derived MAC has three bytes for the machine's index + 1. */
export const MAX_MACHINES = 0xff_ffff;
