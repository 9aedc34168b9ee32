// ip (iproute2): addr, link, route, neigh in iproute2's output format, and `ip route add|del`.
import { formatIpv4, formatMac, parseCidr, parseIpv4, prefixMask } from '../../../shared/wire';
import type { AddrInfo, LinkInfo, NeighInfo, RouteInfo } from '../net/netlink';
import { isErr, sys, type Sys } from '../process';
import { err, out } from './stdio';

const OBJECTS: [string, string][] = [
  ['address', 'addr'],
  ['link', 'link'],
  ['route', 'route'],
  ['neighbour', 'neigh'],
  ['neighbor', 'neigh'],
];

/** iproute2 accepts any unambiguous prefix of an object name ("a", "addr", "r", "n"). */
function objectFor(word: string): string | undefined {
  return OBJECTS.find(([full]) => full.startsWith(word))?.[1];
}

function linkFlags(l: LinkInfo): string {
  const f = l.loopback ? ['LOOPBACK'] : ['BROADCAST', 'MULTICAST'];
  if (l.adminUp) f.push('UP');
  if (l.adminUp && l.carrier) f.push('LOWER_UP');
  else if (l.adminUp) f.unshift('NO-CARRIER');
  return f.join(',');
}

function linkLines(l: LinkInfo): string {
  const state = l.loopback ? 'UNKNOWN' : l.adminUp && l.carrier ? 'UP' : 'DOWN';
  const qdisc = l.loopback ? 'noqueue' : 'fq_codel';
  const kind = l.loopback ? 'loopback' : 'ether';
  const brd = l.loopback ? '00:00:00:00:00:00' : 'ff:ff:ff:ff:ff:ff';
  return (
    `${l.index}: ${l.name}: <${linkFlags(l)}> mtu ${l.mtu} qdisc ${qdisc} state ${state} mode DEFAULT group default qlen 1000\n` +
    `    link/${kind} ${formatMac(l.mac)} brd ${brd}\n`
  );
}

function* showAddr(): Sys<void> {
  const links = yield* sys.netlink<LinkInfo[]>('links');
  const addrs = yield* sys.netlink<AddrInfo[]>('addrs');
  for (const l of links) {
    yield* out(linkLines(l).replace(' mode DEFAULT', ''));
    for (const a of addrs.filter((x) => x.index === l.index)) {
      const brd = a.scope === 'global' && a.prefix < 31 ? ` brd ${formatIpv4((a.addr | ~prefixMask(a.prefix)) >>> 0)}` : '';
      yield* out(`    inet ${formatIpv4(a.addr)}/${a.prefix}${brd} scope ${a.scope} ${a.dev}\n       valid_lft forever preferred_lft forever\n`);
    }
  }
}

function* showLink(): Sys<void> {
  for (const l of yield* sys.netlink<LinkInfo[]>('links')) yield* out(linkLines(l));
}

function* showRoute(): Sys<void> {
  for (const r of yield* sys.netlink<RouteInfo[]>('routes')) {
    const dst = r.prefix === 0 ? 'default' : `${formatIpv4(r.dst)}/${r.prefix}`;
    const via = r.gateway !== undefined ? ` via ${formatIpv4(r.gateway)}` : '';
    const proto = r.proto === 'kernel' ? ' proto kernel' : r.proto === 'static' ? ' proto static' : '';
    const scope = r.scope === 'global' ? '' : ` scope ${r.scope}`;
    const src = r.src !== undefined ? ` src ${formatIpv4(r.src)}` : '';
    yield* out(`${dst}${via} dev ${r.dev}${proto}${scope}${src} \n`);
  }
}

function* showNeigh(): Sys<void> {
  for (const n of yield* sys.netlink<NeighInfo[]>('neigh')) {
    const ll = n.mac !== undefined ? ` lladdr ${formatMac(n.mac)}` : '';
    yield* out(`${formatIpv4(n.addr)} dev ${n.dev}${ll} ${n.state}\n`);
  }
}

/** "default", "10.0.1.0/24" or a host address (/32). */
function parseDest(text: string): { dst: number; prefix: number } | null {
  if (text === 'default') return { dst: 0, prefix: 0 };
  const c = parseCidr(text.includes('/') ? text : `${text}/32`);
  return c ? { dst: c.addr, prefix: c.prefix } : null;
}

const RTNETLINK: Partial<Record<string, string>> = {
  EEXIST: 'RTNETLINK answers: File exists',
  ENETUNREACH: 'Error: Nexthop has invalid gateway.',
  EPERM: 'RTNETLINK answers: Operation not permitted',
  ESRCH: 'RTNETLINK answers: No such process',
  EINVAL: 'Error: Invalid prefix for given prefix length.',
};

/** ip route add DEST [via GW] [dev DEV] | ip route del DEST */
function* changeRoute(verb: 'add' | 'del', args: string[]): Sys<number> {
  const dest = args[0] === undefined ? null : parseDest(args[0]);
  if (!dest) {
    yield* err(`Error: any valid prefix is expected rather than "${args[0] ?? ''}".\n`);
    return 1;
  }
  let via: number | undefined;
  let dev: string | undefined;
  for (let i = 1; i < args.length; i += 2) {
    const v = args[i + 1];
    if (args[i] === 'via' && v !== undefined && parseIpv4(v) !== null) via = parseIpv4(v)!;
    else if (args[i] === 'dev' && v !== undefined) dev = v;
    else {
      yield* err(`Error: either "to" is duplicate, or "${args[i]}" is a garbage.\n`);
      return 1;
    }
  }
  if (verb === 'add' && via === undefined && dev === undefined) {
    yield* err('Error: Device for nexthop is not up.\n');
    return 2;
  }
  const r = verb === 'add' ? yield* sys.routeAdd(dest.dst, dest.prefix, via, dev) : yield* sys.routeDel(dest.dst, dest.prefix);
  if (!isErr(r)) return 0;
  yield* err(r.name === 'ENODEV' ? `Cannot find device "${dev}"\n` : `${RTNETLINK[r.name] ?? `RTNETLINK answers: ${r.message}`}\n`);
  return 2;
}

export function* ip(argv: string[]): Sys<number> {
  const [word = '', verb = 'show'] = argv.slice(1);
  if ((verb === 'add' || verb === 'del' || verb === 'delete') && objectFor(word) === 'route') return yield* changeRoute(verb === 'add' ? 'add' : 'del', argv.slice(3));
  if (word === '' || word === 'help') {
    yield* err('Usage: ip OBJECT { show }\nwhere  OBJECT := { address | link | route | neigh }\n');
    return word === 'help' ? 0 : 255;
  }
  const obj = objectFor(word);
  if (!obj) {
    yield* err(`Object "${word}" is unknown, try "ip help".\n`);
    return 1;
  }
  if (!['show', 'list', 'ls', 'lst', 'sh', 's'].includes(verb)) {
    yield* err(`Command "${verb}" is unknown, try "ip ${word} help".\n`);
    return 255;
  }
  if (obj === 'addr') yield* showAddr();
  else if (obj === 'link') yield* showLink();
  else if (obj === 'route') yield* showRoute();
  else yield* showNeigh();
  return 0;
}
