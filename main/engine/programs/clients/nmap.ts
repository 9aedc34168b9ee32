// nmap, the port scanner (nmap 7.93's output), for finding what listens where:
//   nmap [-sS|-sT|-sU] [-p PORTS] [-Pn] [--reason] [-n] HOST
// -sS (the default as root): SYN scan through a raw socket. A SYN-ACK means open, a RST closed, no
//     answer after a retry filtered; the scanner never completes the handshake: the target's
//     SYN-ACK is answered by our own kernel's RST (no socket expects it), so each open port costs
//     SYN, SYN-ACK, RST on the wire.
// -sT (the default otherwise): connect() to each port, in parallel, non-blocking; open ports are
//     closed again at once (the target logs a connection).
// -sU: an empty UDP datagram per port; ICMP port unreachable means closed (Linux rate-limits those
//     to about one per second, which is why UDP scans are slow), an answer open, silence
//     open|filtered.
// Default ports: 1-1024 and well-known higher ones (nmap scans its "top 1000"; the lab's list is
// smaller and says so in --help). -p accepts lists and ranges ("22,80,8000-8100", "-" for all).
import { formatIpv4, IpProto, parseIpv4Header, parseTcp, TcpFlag, writeTcp } from '../../../../shared/wire';
import { isErr, POLLERR, POLLIN, POLLOUT, sys, type Sys } from '../../process';
import { getopt } from '../getopt';
import { civil } from '../lib/clock';
import { resolveHost } from '../lib/net';
import { serviceName } from '../services';
import { err, out } from '../stdio';

const EXTRA_TCP = [1080, 1433, 1521, 2049, 2222, 3128, 3306, 3389, 5000, 5432, 5900, 6379, 8000, 8008, 8080, 8443, 8888, 9000, 9090, 10000, 27017, 31337];
const DEFAULT_UDP = [7, 53, 67, 68, 69, 111, 123, 137, 138, 161, 162, 500, 514, 520, 1900, 4500, 5353];
const BATCH = 64;
const PROBE_TIMEOUT_NS = 300_000_000;
const UDP_TIMEOUT_NS = 1_000_000_000;

type State = 'open' | 'closed' | 'filtered' | 'open|filtered';
interface Result {
  port: number;
  state: State;
  reason: string;
}

function parsePorts(spec: string): number[] | string {
  const out = new Set<number>();
  if (spec === '-') spec = '1-65535';
  for (const part of spec.split(',')) {
    const m = /^(\d*)-(\d*)$/.exec(part);
    const [lo, hi] = m ? [m[1] ? Number(m[1]) : 1, m[2] ? Number(m[2]) : 65535] : [Number(part), Number(part)];
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 1 || hi > 65535 || lo > hi) return `Ports specified must be between 0 and 65535 inclusive ("${part}")`;
    for (let p = lo; p <= hi; p++) out.add(p);
  }
  return [...out].sort((a, b) => a - b);
}

/** The local address the kernel would use toward dst (the UDP connect trick). */
function* sourceFor(dst: number): Sys<number | null> {
  const fd = yield* sys.socket('dgram', 'udp');
  if (isErr(fd)) return null;
  const c = yield* sys.connect(fd, dst, 9);
  const name = isErr(c) ? c : yield* sys.getsockname(fd);
  yield* sys.close(fd);
  return isErr(name) ? null : name.addr;
}

function* synScan(target: number, ports: number[]): Sys<Result[] | string> {
  const raw = yield* sys.socket('raw', 'tcp');
  if (isErr(raw)) return raw.name === 'EPERM' ? 'You requested a scan type which requires root privileges.' : `socket: ${raw.message}`;
  yield* sys.setNonblock(raw, true); // read what has arrived, then go back to sending
  const src = yield* sourceFor(target);
  if (src === null) return 'no route to the target';
  const pid = yield* sys.getpid();
  const srcPort = 40000 + ((pid * 7919) % 20000);
  const results = new Map<number, Result>();
  const syn = (port: number, seq: number) => {
    const seg = new Uint8Array(24);
    writeTcp(seg, 0, { srcPort, dstPort: port, seq, ack: 0, flags: TcpFlag.SYN, window: 1024, options: [{ kind: 'mss', mss: 1460 }], payloadLength: 0, src, dst: target });
    return seg;
  };
  const collect = function* (untilNs: number): Sys<void> {
    for (;;) {
      const now = yield* sys.now();
      if (now >= untilNs) return;
      const ready = yield* sys.poll([{ fd: raw, events: POLLIN }], untilNs - now);
      if (isErr(ready) || ready.length === 0) return;
      for (;;) {
        const m = yield* sys.recvfrom(raw, 65536);
        if (isErr(m)) break;
        const ip = parseIpv4Header(m.data, 0);
        if (!ip.ok || ip.value.src !== target || ip.value.protocol !== IpProto.TCP) continue;
        const tcp = parseTcp(m.data, ip.value.headerLength, ip.value.totalLength);
        if (!tcp.ok || tcp.value.dstPort !== srcPort || results.has(tcp.value.srcPort)) continue;
        const f = tcp.value.flags;
        const ttl = ip.value.ttl;
        if ((f & (TcpFlag.SYN | TcpFlag.ACK)) === (TcpFlag.SYN | TcpFlag.ACK)) results.set(tcp.value.srcPort, { port: tcp.value.srcPort, state: 'open', reason: `syn-ack ttl ${ttl}` });
        else if (f & TcpFlag.RST) results.set(tcp.value.srcPort, { port: tcp.value.srcPort, state: 'closed', reason: `reset ttl ${ttl}` });
      }
    }
  };
  // Two rounds, like nmap's one retransmission for ports that stayed silent.
  for (let round = 0; round < 2; round++) {
    const todo = ports.filter((p) => !results.has(p));
    for (let i = 0; i < todo.length; i += BATCH) {
      for (const port of todo.slice(i, i + BATCH)) yield* sys.sendto(raw, syn(port, (port * 2654435761 + pid) >>> 0), target, 0);
      yield* collect((yield* sys.now()) + 1_000_000);
    }
    yield* collect((yield* sys.now()) + PROBE_TIMEOUT_NS);
  }
  yield* sys.close(raw);
  return ports.map((p) => results.get(p) ?? { port: p, state: 'filtered', reason: 'no-response' });
}

function* connectScan(target: number, ports: number[]): Sys<Result[]> {
  const results: Result[] = [];
  for (let i = 0; i < ports.length; i += BATCH) {
    const batch: { port: number; fd: number }[] = [];
    for (const port of ports.slice(i, i + BATCH)) {
      const fd = yield* sys.socket('stream', 'tcp');
      if (isErr(fd)) continue;
      yield* sys.setNonblock(fd, true);
      yield* sys.connect(fd, target, port);
      batch.push({ port, fd });
    }
    const deadline = (yield* sys.now()) + 2 * PROBE_TIMEOUT_NS;
    const pending = new Map(batch.map((b) => [b.fd, b.port]));
    while (pending.size) {
      const now = yield* sys.now();
      if (now >= deadline) break;
      const ready = yield* sys.poll([...pending.keys()].map((fd) => ({ fd, events: POLLOUT })), deadline - now);
      if (isErr(ready) || ready.length === 0) break;
      for (const r of ready) {
        const port = pending.get(r.fd)!;
        const e = yield* sys.getsockopt(r.fd, 'SO_ERROR');
        if (e === 0 && !(r.revents & POLLERR)) results.push({ port, state: 'open', reason: 'syn-ack' });
        else results.push({ port, state: 'closed', reason: 'conn-refused' });
        pending.delete(r.fd);
        yield* sys.close(r.fd);
      }
    }
    for (const [fd, port] of pending) {
      results.push({ port, state: 'filtered', reason: 'no-response' });
      yield* sys.close(fd);
    }
  }
  return results.sort((a, b) => a.port - b.port);
}

function* udpScan(target: number, ports: number[]): Sys<Result[]> {
  const results: Result[] = [];
  for (const port of ports) {
    const fd = yield* sys.socket('dgram', 'udp');
    if (isErr(fd)) continue;
    yield* sys.connect(fd, target, port);
    yield* sys.send(fd, new Uint8Array(0));
    const ready = yield* sys.poll([{ fd, events: POLLIN }], UDP_TIMEOUT_NS);
    if (isErr(ready) || ready.length === 0) results.push({ port, state: 'open|filtered', reason: 'no-response' });
    else {
      const d = yield* sys.recv(fd, 65536);
      if (isErr(d)) results.push({ port, state: 'closed', reason: 'port-unreach' });
      else results.push({ port, state: 'open', reason: 'udp-response' });
    }
    yield* sys.close(fd);
  }
  return results;
}

const USAGE = `Nmap 7.93 ( https://nmap.org ), as the lab runs it
Usage: nmap [Scan Type(s)] [Options] {target}
  -sS: TCP SYN scan (default as root)    -sT: TCP connect() scan    -sU: UDP scan
  -p <port ranges>: e.g. -p22; -p1-65535; -p 21,80,8000-8100; -p- for all ports
  -Pn: skip host discovery   -n: no DNS resolution   --reason: why each port has its state
Default TCP ports: 1-1024 and ${EXTRA_TCP.length} common higher ones (nmap's own default is its top 1000).
`;

export function* nmap(argv: string[]): Sys<number> {
  const g = getopt('nmap', argv, 's:p:P::nvh', { reason: { key: 'R', arg: 'none' }, help: { key: 'h', arg: 'none' } });
  if ('error' in g) {
    yield* err(`${g.error}${USAGE}`);
    return 255;
  }
  const { euid } = yield* sys.getuid();
  let type: 'S' | 'T' | 'U' = euid === 0 ? 'S' : 'T';
  let portSpec: string | null = null;
  let reason = false;
  let assumeUp = false;
  for (const o of g.opts) {
    if (o.key === 's') {
      if (o.value !== 'S' && o.value !== 'T' && o.value !== 'U') {
        yield* err(`Unrecognized scan type -s${o.value ?? ''}\n`);
        return 255;
      }
      type = o.value;
    } else if (o.key === 'p') portSpec = o.value ?? null;
    else if (o.key === 'R') reason = true;
    else if (o.key === 'P' && o.value === 'n') assumeUp = true;
    else if (o.key === 'h') {
      yield* out(USAGE);
      return 0;
    }
  }
  const host = g.args[0];
  if (!host) {
    yield* err(USAGE);
    return 255;
  }
  const ports = portSpec === null ? (type === 'U' ? DEFAULT_UDP : [...Array.from({ length: 1024 }, (_, i) => i + 1), ...EXTRA_TCP]) : parsePorts(portSpec);
  if (typeof ports === 'string') {
    yield* err(`${ports}\nQUITTING!\n`);
    return 1;
  }
  const t0 = yield* sys.now();
  const c = civil(t0);
  const p2 = (n: number) => String(n).padStart(2, '0');
  yield* out(`Starting Nmap 7.93 ( https://nmap.org ) at ${c.year}-${p2(c.month)}-${p2(c.day)} ${p2(c.hour)}:${p2(c.minute)} UTC\n`);
  const r = yield* resolveHost(host);
  if ('error' in r) {
    yield* err(`Failed to resolve "${host}".\nWARNING: No targets were specified, so 0 hosts scanned.\n`);
    yield* out(`Nmap done: 0 IP addresses (0 hosts up) scanned in ${(((yield* sys.now()) - t0) / 1e9).toFixed(2)} seconds\n`);
    return 0;
  }
  const found = type === 'S' ? yield* synScan(r.addr, ports) : type === 'T' ? yield* connectScan(r.addr, ports) : yield* udpScan(r.addr, ports);
  if (typeof found === 'string') {
    yield* err(`${found}\nQUITTING!\n`);
    return 1;
  }
  const proto = type === 'U' ? 'udp' : 'tcp';
  const secs = (((yield* sys.now()) - t0) / 1e9).toFixed(2);
  // Without -Pn a host that answered nothing is taken as down (nmap's host discovery would say so).
  const up = assumeUp || found.some((x) => x.reason !== 'no-response');
  const name = host === formatIpv4(r.addr) ? host : `${host} (${formatIpv4(r.addr)})`;
  if (!up) {
    yield* out(`Note: Host seems down. If it is really up, but blocking our ping probes, try -Pn\nNmap done: 1 IP address (0 hosts up) scanned in ${secs} seconds\n`);
    return 0;
  }
  yield* out(`Nmap scan report for ${name}\nHost is up.\n`);
  // The most common state is summarised in "Not shown", as nmap does when it covers many ports.
  const counts = new Map<State, number>();
  for (const x of found) counts.set(x.state, (counts.get(x.state) ?? 0) + 1);
  const [common, n] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!;
  const hide = n > 25 ? common : null;
  if (hide) {
    const why = hide === 'closed' ? (proto === 'tcp' ? 'reset' : 'port-unreach') : 'no-response';
    yield* out(`Not shown: ${n} ${hide} ${proto} ports (${why})\n`);
  }
  const shown = found.filter((x) => x.state !== hide);
  if (shown.length === 0) yield* out(`All ${found.length} scanned ports on ${name} are in ignored states.\n`);
  else {
    const rows = shown.map((x) => [`${x.port}/${proto}`, x.state, serviceName(x.port, proto) ?? 'unknown', x.reason]);
    const w0 = Math.max(4, ...rows.map((row) => row[0]!.length));
    const w1 = Math.max(5, ...rows.map((row) => row[1]!.length));
    const w2 = Math.max(7, ...rows.map((row) => row[2]!.length));
    yield* out(`${'PORT'.padEnd(w0)} ${'STATE'.padEnd(w1)} ${reason ? `${'SERVICE'.padEnd(w2)} REASON` : 'SERVICE'}\n`);
    for (const row of rows) yield* out(`${row[0]!.padEnd(w0)} ${row[1]!.padEnd(w1)} ${reason ? `${row[2]!.padEnd(w2)} ${row[3]}` : row[2]}\n`);
  }
  yield* out(`\nNmap done: 1 IP address (1 host up) scanned in ${secs} seconds\n`);
  return 0;
}
