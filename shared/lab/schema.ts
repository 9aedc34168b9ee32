// The zod schema of a lab document (format "packet-lab/1"). Strict: an unknown key is an error, so a
// typo ("nic" for "nics") is reported, not ignored. It checks each field on its own (types, syntax,
// ranges); relations between fields (ids, links, addresses across machines) are in checks.ts.

import { z } from 'zod';
import { formatSubnet, isMulticastMac, parseCidr, parseIpv4, parseMac, prefixMask, subnetEdge } from '../wire/address';
import {
  LINK_END_RE,
  LOOPBACK_NAME,
  MACHINE_ID_RE,
  MACHINE_KINDS,
  MAX_MACHINES,
  MAX_MTU,
  MAX_NICS,
  MAX_PORTS,
  MAX_PASSWORD,
  MAX_ROUTES,
  MAX_SEED,
  MAX_SERVICES,
  MAX_USERS,
  MIN_MTU,
  NIC_NAME_RE,
  USER_NAME_RE,
} from './limits';
import { SERVICE_CATALOG, serviceInfo } from '../kernel/services';
import { describe, isNot, showValue, type Expected } from './messages';
import { LAB_FORMAT, type LabDoc } from './types';
import { parseDuration, parseRate } from './units';

/** What each field holds, in the words of its error messages. */
export const EXPECTED = {
  labDoc: { article: 'a', noun: 'lab document', hint: `a JSON object with "format": "${LAB_FORMAT}"` },
  name: { article: 'a', noun: 'lab name', hint: 'a non-empty string, like "two hosts"' },
  description: { article: 'a', noun: 'description', hint: 'a string' },
  seed: { article: 'a', noun: 'seed', hint: `an integer 0..${MAX_SEED}` },
  machines: { article: 'a', noun: 'list of machines', hint: 'use [] for none' },
  machine: { article: 'a', noun: 'machine', hint: 'an object with "id" and "kind"' },
  machineId: { article: 'a', noun: 'machine id', hint: '1..32 letters, digits, "-" or "_", starting with a letter' },
  kind: { article: 'a', noun: 'machine kind', hint: MACHINE_KINDS.map((k) => `"${k}"`).join(', ') },
  nics: { article: 'a', noun: 'list of NICs' },
  nic: { article: 'a', noun: 'NIC', hint: 'an object with "name"' },
  nicName: { article: 'a', noun: 'NIC name', hint: '1..15 letters, digits, "-" or "_", starting with a letter, like "eth0"' },
  cidr: { article: 'an', noun: 'IPv4 address with prefix', hint: 'like "10.0.0.1/24"' },
  mac: { article: 'a', noun: 'MAC address', hint: 'like "02:00:00:00:01:01"' },
  gateway: { article: 'an', noun: 'IPv4 address', hint: 'like "10.0.0.254"' },
  ports: { article: 'a', noun: 'port count', hint: `an integer 1..${MAX_PORTS}` },
  sysctl: { article: 'an', noun: 'object of sysctl settings', hint: 'like { "net.ipv4.tcp_syncookies": 0 }' },
  dns: { article: 'an', noun: 'IPv4 address', hint: 'the DNS server, like "10.0.0.10"' },
  users: { article: 'a', noun: 'list of users', hint: 'like [{ "name": "alice", "password": "secret" }]' },
  user: { article: 'a', noun: 'user', hint: 'an object with "name" and "password"' },
  userName: { article: 'a', noun: 'user name', hint: '1..32 lower-case letters, digits, "-" or "_", starting with a letter or "_"' },
  password: { article: 'a', noun: 'password', hint: `1..${MAX_PASSWORD} characters, no line breaks` },
  services: { article: 'a', noun: 'list of services', hint: 'like [{ "name": "ftp" }, { "name": "http", "port": 8080 }]' },
  service: { article: 'a', noun: 'service', hint: 'an object with "name" and optionally "port"' },
  serviceName: { article: 'a', noun: 'service name', hint: SERVICE_CATALOG.map((s) => `"${s.name}"`).join(', ') },
  port: { article: 'a', noun: 'port number', hint: 'an integer 1..65535' },
  routes: { article: 'a', noun: 'list of routes', hint: 'like [{ "to": "10.0.2.0/24", "via": "10.0.1.1" }]' },
  route: { article: 'a', noun: 'route', hint: 'an object with "to" and "via"' },
  network: { article: 'a', noun: 'network', hint: 'like "10.0.2.0/24" (no host bits)' },
  position: { article: 'a', noun: 'position', hint: '{ "x": number, "y": number }' },
  coordinate: { article: 'a', noun: 'coordinate', hint: 'a number' },
  links: { article: 'a', noun: 'list of links', hint: 'use [] for none' },
  link: { article: 'a', noun: 'link', hint: 'an object with "a" and "b"' },
  linkEnd: { article: 'a', noun: 'link end', hint: '"machine:nic", like "client:eth0"' },
  duration: { article: 'a', noun: 'duration', hint: 'like "500us", "20ms", "1.5s"' },
  rate: { article: 'a', noun: 'rate', hint: 'like "10Mbps", "1Gbps"' },
  loss: { article: 'a', noun: 'loss probability', hint: 'a number 0..1' },
  mtu: { article: 'an', noun: 'MTU', hint: `an integer ${MIN_MTU}..${MAX_MTU}` },
  linkUp: { article: 'a', noun: 'link state', hint: 'true (up, the default) or false (down: both ends lose carrier)' },
  script: { article: 'a', noun: 'list of script entries' },
  scriptEntry: { article: 'a', noun: 'script entry', hint: 'an object with "at", "on" and "run"' },
  scriptOn: { article: 'a', noun: 'machine id', hint: 'the host, server or router that runs the command' },
  command: { article: 'a', noun: 'command line', hint: 'like "ping -c 3 10.0.0.2"' },
  inputLines: { article: 'a', noun: 'list of input lines' },
  inputLine: { article: 'a', noun: 'line of input', hint: 'a string without line breaks' },
} as const satisfies Record<string, Expected>;

// ---- field checks: null when fine, else the whole message ----

const test = (ok: boolean, v: unknown, e: Expected): string | null => (ok ? null : isNot(v, e));

function checkMachineId(s: string): string | null {
  return test(MACHINE_ID_RE.test(s), s, EXPECTED.machineId);
}

function checkNicName(s: string): string | null {
  if (s === LOOPBACK_NAME) return `"${LOOPBACK_NAME}" is the loopback interface; give the NIC another name, like "eth0"`;
  return test(NIC_NAME_RE.test(s), s, EXPECTED.nicName);
}

/** 0.0.0.0/8 ("this network"), 127.0.0.0/8 (loopback), 224.0.0.0/4 and above (multicast, reserved): RFC 1122 3.2.1.3. */
function isHostUnicast(addr: number): boolean {
  const first = addr >>> 24;
  return first !== 0 && first !== 127 && first < 224;
}

const RESERVED = '0.0.0.0/8, 127.0.0.0/8 and 224.0.0.0 and above are not host addresses';

function checkCidr(s: string): string | null {
  const c = parseCidr(s);
  if (!c) return isNot(s, EXPECTED.cidr);
  if (!isHostUnicast(c.addr)) return `${showValue(s)} is not a host address (${RESERVED})`;
  const edge = subnetEdge(c.addr, c.prefix);
  return edge === null ? null : `${showValue(s)} is the ${edge} address of ${formatSubnet(c.addr, c.prefix)}, not a host address`;
}

/** An IPv4 host address (a gateway, a DNS server). */
const hostAddress = (e: Expected) => (s: string): string | null => {
  const a = parseIpv4(s);
  if (a === null) return isNot(s, e);
  return isHostUnicast(a) ? null : `${showValue(s)} is not a host address (${RESERVED})`;
};
const checkGateway = hostAddress(EXPECTED.gateway);

/** Linux is_valid_ether_addr(): not multicast (which includes broadcast) and not all zeros. */
function checkMac(s: string): string | null {
  const m = parseMac(s);
  if (m === null) return isNot(s, EXPECTED.mac);
  if (m === 0) return `${showValue(s)} is not a usable MAC address (all zeros)`;
  if (isMulticastMac(m)) return `${showValue(s)} is a multicast MAC address; a NIC needs a unicast one`;
  return null;
}

function checkLinkEnd(s: string): string | null {
  return test(LINK_END_RE.test(s), s, EXPECTED.linkEnd);
}

function checkInputLine(s: string): string | null {
  return test(!/[\r\n]/.test(s), s, EXPECTED.inputLine);
}

// ---- schema builders ----

function str(e: Expected, check?: (s: string) => string | null) {
  const base = z.string({ error: describe(e) });
  if (!check) return base;
  return base.superRefine((s, ctx) => {
    const problem = check(s);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem, input: s });
  });
}

/** A finite number passing `ok`; -0 becomes 0 so a document survives a JSON round trip unchanged. */
function num(e: Expected, ok: (n: number) => boolean = () => true) {
  return z
    .number({ error: describe(e) })
    .refine(ok, { error: (issue) => isNot(issue.input, e) })
    .overwrite((n) => (n === 0 ? 0 : n));
}

const intIn = (lo: number, hi: number) => (n: number) => Number.isInteger(n) && n >= lo && n <= hi;

function list<T extends z.ZodType>(item: T, e: Expected, max?: { count: number; plural: string }) {
  const base = z.array(item, { error: describe(e) });
  if (!max) return base;
  return base.superRefine((xs, ctx) => {
    if (xs.length > max.count) ctx.addIssue({ code: 'custom', message: `${xs.length} ${max.plural} are too many (at most ${max.count})`, input: xs });
  });
}

function strict<S extends z.core.$ZodLooseShape>(shape: S, e: Expected) {
  // unrecognized_keys issues get their message in issues.ts, where the known keys are at hand.
  return z.strictObject(shape, { error: describe(e) });
}

// ---- the schema ----

export const PositionSchema = strict({ x: num(EXPECTED.coordinate), y: num(EXPECTED.coordinate) }, EXPECTED.position);

export const NicSchema = strict(
  {
    name: str(EXPECTED.nicName, checkNicName),
    ip: str(EXPECTED.cidr, checkCidr).optional(),
    mac: str(EXPECTED.mac, checkMac).optional(),
  },
  EXPECTED.nic,
);

export const UserSchema = strict(
  {
    name: str(EXPECTED.userName, (s) => test(USER_NAME_RE.test(s), s, EXPECTED.userName)),
    password: str(EXPECTED.password, (s) => test(s.length >= 1 && s.length <= MAX_PASSWORD && !/[\r\n]/.test(s), s, EXPECTED.password)),
  },
  EXPECTED.user,
);

export const ServiceSchema = strict(
  {
    name: str(EXPECTED.serviceName, (s) => test(serviceInfo(s) !== undefined, s, EXPECTED.serviceName)),
    port: num(EXPECTED.port, intIn(1, 65535)).optional(),
  },
  EXPECTED.service,
);

function checkNetwork(s: string): string | null {
  const c = parseCidr(s);
  if (!c) return isNot(s, EXPECTED.network);
  return ((c.addr & prefixMask(c.prefix)) >>> 0) === c.addr ? null : `${showValue(s)} has host bits set; the network is ${formatSubnet(c.addr, c.prefix)}`;
}

export const RouteSchema = strict(
  {
    to: str(EXPECTED.network, checkNetwork),
    via: str(EXPECTED.gateway, hostAddress(EXPECTED.gateway)),
  },
  EXPECTED.route,
);

export const MachineSchema = strict(
  {
    id: str(EXPECTED.machineId, checkMachineId),
    kind: z.enum(MACHINE_KINDS, { error: describe(EXPECTED.kind) }),
    nics: list(NicSchema, EXPECTED.nics, { count: MAX_NICS, plural: 'NICs' }).optional(),
    gateway: str(EXPECTED.gateway, checkGateway).optional(),
    ports: num(EXPECTED.ports, intIn(1, MAX_PORTS)).optional(),
    position: PositionSchema.optional(),
    sysctl: z.record(z.string(), z.union([z.string(), z.number()]), { error: describe(EXPECTED.sysctl) }).optional(),
    dns: str(EXPECTED.dns, hostAddress(EXPECTED.dns)).optional(),
    users: list(UserSchema, EXPECTED.users, { count: MAX_USERS, plural: 'users' }).optional(),
    services: list(ServiceSchema, EXPECTED.services, { count: MAX_SERVICES, plural: 'services' }).optional(),
    routes: list(RouteSchema, EXPECTED.routes, { count: MAX_ROUTES, plural: 'routes' }).optional(),
  },
  EXPECTED.machine,
);

export const LinkSchema = strict(
  {
    a: str(EXPECTED.linkEnd, checkLinkEnd),
    b: str(EXPECTED.linkEnd, checkLinkEnd),
    latency: str(EXPECTED.duration, (s) => test(parseDuration(s) !== null, s, EXPECTED.duration)).optional(),
    bandwidth: str(EXPECTED.rate, (s) => test(parseRate(s) !== null, s, EXPECTED.rate)).optional(),
    loss: num(EXPECTED.loss, (n) => n >= 0 && n <= 1).optional(),
    mtu: num(EXPECTED.mtu, intIn(MIN_MTU, MAX_MTU)).optional(),
    up: z.boolean({ error: describe(EXPECTED.linkUp) }).optional(),
  },
  EXPECTED.link,
);

export const ScriptEntrySchema = strict(
  {
    at: str(EXPECTED.duration, (s) => test(parseDuration(s) !== null, s, EXPECTED.duration)),
    on: str(EXPECTED.scriptOn),
    run: str(EXPECTED.command, (s) => test(s.trim() !== '', s, EXPECTED.command)),
    input: list(str(EXPECTED.inputLine, checkInputLine), EXPECTED.inputLines).optional(),
  },
  EXPECTED.scriptEntry,
);

export const LabDocSchema = strict(
  {
    format: z.literal(LAB_FORMAT, {
      error: (issue) =>
        issue.input === undefined
          ? `missing (a lab file has "format": "${LAB_FORMAT}")`
          : `${showValue(issue.input)} is not a supported format (expected "${LAB_FORMAT}")`,
    }),
    name: str(EXPECTED.name, (s) => test(s.trim() !== '', s, EXPECTED.name)),
    description: str(EXPECTED.description).optional(),
    seed: num(EXPECTED.seed, intIn(0, MAX_SEED)).optional(),
    machines: list(MachineSchema, EXPECTED.machines, { count: MAX_MACHINES, plural: 'machines' }),
    links: list(LinkSchema, EXPECTED.links),
    script: list(ScriptEntrySchema, EXPECTED.script).optional(),
  },
  EXPECTED.labDoc,
);

// The schema's output is exactly the LabDoc of types.ts: a change to either breaks this line.
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;
export type SchemaMatchesLabDoc = Assert<Equals<z.output<typeof LabDocSchema>, LabDoc>>;
