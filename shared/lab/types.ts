// The lab document (`*.lab.json`, format "packet-lab/1") as written by people, and the resolved form
// the engine runs. The schema in schema.ts validates the first and produces the second.

export const LAB_FORMAT = 'packet-lab/1';

export type MachineKind = 'host' | 'server' | 'router' | 'switch' | 'hub';

export interface NicDoc {
  name: string;
  /** IPv4 address with prefix length, "10.0.0.1/24". */
  ip?: string;
  /** "02:00:00:00:01:01"; derived deterministically when absent. */
  mac?: string;
}

export interface MachineDoc {
  id: string;
  kind: MachineKind;
  nics?: NicDoc[];
  /** Default gateway, an IPv4 address inside one NIC's subnet. */
  gateway?: string;
  /** Switch/hub port count (ports are named p1..pN); grows to the highest port a link names. */
  ports?: number;
  /** Canvas position, kept exactly as stored (no random layout on open). */
  position?: { x: number; y: number };
  /** Kernel settings, e.g. { "net.ipv4.tcp_syncookies": 0 } (see shared/kernel/sysctl.ts). */
  sysctl?: Record<string, string | number>;
  /** The DNS server this machine asks (its /etc/resolv.conf nameserver), an IPv4 address. */
  dns?: string;
  /** Accounts; they replace the default user "student" (password "student"). root always exists. */
  users?: UserDoc[];
  /** Services started when the lab starts (shared/kernel/services.ts), on their well-known port unless given. */
  services?: ServiceDoc[];
  /** Static routes beyond the connected ones and the gateway: `{ "to": "10.0.2.0/24", "via": "10.0.1.1" }`. */
  routes?: RouteDoc[];
}

export interface RouteDoc {
  to: string;
  via: string;
}

export interface UserDoc {
  name: string;
  password: string;
}

export interface ServiceDoc {
  name: string;
  port?: number;
}

export interface LinkDoc {
  /** "machine:nic", e.g. "client:eth0" or "sw1:p1". */
  a: string;
  b: string;
  /** Duration string: "500us", "20ms", "1.5s". */
  latency?: string;
  /** Rate string: "10Mbps", "1Gbps". */
  bandwidth?: string;
  /** Probability 0..1 that a frame is lost. */
  loss?: number;
  /** Largest IP packet (Ethernet payload) the link carries. */
  mtu?: number;
  /** false: the cable is unplugged (both NICs report NO-CARRIER); absent or true: up. */
  up?: boolean;
}

export interface ScriptEntryDoc {
  at: string;
  on: string;
  run: string;
  /** Lines typed into the running program, each when it next waits for terminal input. */
  input?: string[];
}

export interface LabDoc {
  format: typeof LAB_FORMAT;
  name: string;
  description?: string;
  seed?: number;
  machines: MachineDoc[];
  links: LinkDoc[];
  script?: ScriptEntryDoc[];
}

// ---- resolved form: numbers, not strings (addresses as u32/u48, durations in ns) ----

export interface ResolvedNic {
  name: string;
  mac: number;
  ip?: { addr: number; prefix: number };
}

export interface ResolvedMachine {
  id: string;
  kind: MachineKind;
  nics: ResolvedNic[];
  gateway?: number;
  /** Validated sysctl values as text. */
  sysctl?: Record<string, string>;
  /** Accounts replacing the default user `student` (root always exists). */
  users?: { name: string; password: string }[];
  /** Services started at time 0 (`service NAME start PORT`). */
  services?: { name: string; port?: number }[];
  /** Resolver address (/etc/resolv.conf). */
  dns?: number;
  /** Static routes (ip route add DST via GW). */
  routes?: { dst: number; prefix: number; via: number }[];
}

export interface LinkEnd {
  machine: string;
  nic: string;
}

export interface ResolvedLink {
  a: LinkEnd;
  b: LinkEnd;
  latencyNs: number;
  bandwidthBps: number;
  loss: number;
  mtu: number;
  up: boolean;
}

export interface ResolvedScriptEntry {
  atNs: number;
  on: string;
  run: string;
  input: string[];
}

export interface ResolvedLab {
  name: string;
  seed: number;
  machines: ResolvedMachine[];
  links: ResolvedLink[];
  script: ResolvedScriptEntry[];
}

/** A problem in a lab file: `path` is a JSON path like `machines[1].nics[0].ip`. */
export interface LabError {
  path: string;
  message: string;
}

export type LabParseResult =
  | { ok: true; doc: LabDoc; lab: ResolvedLab }
  | { ok: false; errors: LabError[] };

export function formatLabError(e: LabError): string {
  return e.path ? `${e.path}: ${e.message}` : e.message;
}
