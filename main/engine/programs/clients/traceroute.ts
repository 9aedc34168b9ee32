// traceroute (the traceroute 2.x default method): UDP probes to ports 33434, 33435, ... with
// TTL 1, 2, 3, ..., three per hop. Each router where a probe's TTL runs out answers ICMP time
// exceeded, which names it; the destination answers ICMP port unreachable, which ends the trace.
//   traceroute [-m MAXHOPS] [-q NQUERIES] [-w WAIT] [-n] HOST
// Lab difference: the ICMP answers are read through a raw socket, so traceroute needs root here
// (the real one uses IP_RECVERR on its UDP socket and runs as any user).
import { formatIpv4, IcmpType, IcmpUnreachCode, IpProto, parseIpv4Header, readU16 } from '../../../../shared/wire';
import { isErr, POLLIN, sys, type Sys } from '../../process';
import { resolveHost } from '../lib/net';
import { err, out } from '../stdio';

const BASE_PORT = 33434;
const PACKET_LEN = 60; // traceroute's default: 20 IP + 8 UDP + 32 data
const PAYLOAD = new Uint8Array(PACKET_LEN - 28);

interface Answer {
  from: number;
  rttNs: number;
  /** ICMP type and code of the answer. */
  type: number;
  code: number;
}

function parseOpts(argv: string[]): { host: string; maxHops: number; queries: number; waitNs: number; numeric: boolean } | string {
  let maxHops = 30;
  let queries = 3;
  let waitS = 5;
  let numeric = false;
  let host: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    const num = () => Number(argv[++i]);
    if (a === '-m') maxHops = num();
    else if (a === '-q') queries = num();
    else if (a === '-w') waitS = num();
    else if (a === '-n') numeric = true;
    else if (a.startsWith('-')) return `Bad option \`${a}' (argc ${i})`;
    else host = a;
  }
  if (!host) return 'Usage: traceroute [ -n ] [ -m max_ttl ] [ -q nqueries ] [ -w waittime ] host';
  if (!(Number.isInteger(maxHops) && maxHops >= 1 && maxHops <= 255)) return `first hop out of range`;
  if (!(Number.isInteger(queries) && queries >= 1 && queries <= 10)) return 'no more than 10 probes per hop';
  if (!(waitS > 0)) return `bad wait specifications \`${waitS}' used`;
  return { host, maxHops, queries, waitNs: waitS * 1e9, numeric };
}

/** Wait for the ICMP answer to the probe sent from `srcPort` to `dstPort`. */
function* awaitAnswer(raw: number, target: number, srcPort: number, dstPort: number, sentAt: number, waitNs: number): Sys<Answer | null> {
  const deadline = sentAt + waitNs;
  for (;;) {
    const now = yield* sys.now();
    if (now >= deadline) return null;
    const ready = yield* sys.poll([{ fd: raw, events: POLLIN }], deadline - now);
    if (isErr(ready) || ready.length === 0) return null;
    const m = yield* sys.recvfrom(raw, 65536);
    if (isErr(m)) continue;
    const outer = parseIpv4Header(m.data, 0);
    if (!outer.ok || outer.value.protocol !== IpProto.ICMP) continue;
    const icmp = outer.value.headerLength;
    const type = m.data[icmp]!;
    const code = m.data[icmp + 1]!;
    if (type !== IcmpType.TIME_EXCEEDED && type !== IcmpType.DEST_UNREACH) continue;
    // The quoted probe: its IP header and the first 8 bytes of its UDP header (RFC 792).
    const inner = parseIpv4Header(m.data, icmp + 8);
    if (!inner.ok || inner.value.protocol !== IpProto.UDP || inner.value.dst !== target) continue;
    const udp = icmp + 8 + inner.value.headerLength;
    if (m.data.length < udp + 4 || readU16(m.data, udp) !== srcPort || readU16(m.data, udp + 2) !== dstPort) continue;
    return { from: outer.value.src, rttNs: (yield* sys.now()) - sentAt, type, code };
  }
}

/** traceroute's annotation after the time for an unreachable answer (!H, !N, !P, !F...); '' for a port unreachable. */
function flag(a: Answer): string {
  if (a.type !== IcmpType.DEST_UNREACH) return '';
  switch (a.code) {
    case IcmpUnreachCode.PORT:
      return '';
    case IcmpUnreachCode.NET:
      return ' !N';
    case IcmpUnreachCode.HOST:
      return ' !H';
    case IcmpUnreachCode.PROTOCOL:
      return ' !P';
    case IcmpUnreachCode.FRAG_NEEDED:
      return ' !F';
    default:
      return ` !<${a.code}>`;
  }
}

export function* traceroute(argv: string[]): Sys<number> {
  const o = parseOpts(argv);
  if (typeof o === 'string') {
    yield* err(`${o}\n`);
    return 2;
  }
  const r = yield* resolveHost(o.host);
  if ('error' in r) {
    yield* err(`${o.host}: ${r.error}\nCannot handle "host" cmdline arg \`${o.host}' on position 1 (argc 1)\n`);
    return 2;
  }
  const raw = yield* sys.socket('raw', 'icmp');
  if (isErr(raw)) {
    yield* err(raw.name === 'EPERM' ? 'traceroute: the lab reads ICMP answers through a raw socket: run it as root\n' : `socket: ${raw.message}\n`);
    return 2;
  }
  const udp = yield* sys.socket('dgram', 'udp');
  if (isErr(udp)) return 2;
  yield* sys.bind(udp, 0, 0);
  const name = yield* sys.getsockname(udp);
  const srcPort = isErr(name) ? 0 : name.port;
  yield* out(`traceroute to ${o.host} (${formatIpv4(r.addr)}), ${o.maxHops} hops max, ${PACKET_LEN} byte packets\n`);
  let seq = 0;
  for (let ttl = 1; ttl <= o.maxHops; ttl++) {
    yield* sys.setsockopt(udp, 'IP_TTL', ttl);
    let line = `${String(ttl).padStart(2)} `;
    let last: number | null = null;
    let done = false;
    for (let q = 0; q < o.queries; q++) {
      const port = BASE_PORT + seq++;
      const sentAt = yield* sys.now();
      yield* sys.sendto(udp, PAYLOAD, r.addr, port);
      const a = yield* awaitAnswer(raw, r.addr, srcPort, port, sentAt, o.waitNs);
      if (!a) {
        line += ' *';
        continue;
      }
      if (a.from !== last) {
        line += o.numeric ? ` ${formatIpv4(a.from)}` : ` ${formatIpv4(a.from)} (${formatIpv4(a.from)})`;
        last = a.from;
      }
      line += `  ${(a.rttNs / 1e6).toFixed(3)} ms${flag(a)}`;
      if (a.type === IcmpType.DEST_UNREACH) done = true;
    }
    yield* out(`${line}\n`);
    if (done) break;
  }
  yield* sys.close(udp);
  yield* sys.close(raw);
  return 0;
}
