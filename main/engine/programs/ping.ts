// ping, after iputils: an ICMP "ping socket" (socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)) sends
// echo requests; the kernel fills in the identifier (the socket's port) and the checksum.
// Output follows iputils' format (ping.c / ping_common.c), with times from the virtual clock.
import { formatIpv4, ICMP_HEADER_LEN, IcmpType, IcmpUnreachCode, readU16 } from '../../../shared/wire';
import { resolveHost } from './lib/net';
import { isErr, POLLIN, sys, type Sys } from '../process';
import { err, out } from './stdio';

const MS = 1e6;

const UNREACH_TEXT: Record<number, string> = {
  [IcmpUnreachCode.NET]: 'Destination Net Unreachable',
  [IcmpUnreachCode.HOST]: 'Destination Host Unreachable',
  [IcmpUnreachCode.PROTOCOL]: 'Destination Protocol Unreachable',
  [IcmpUnreachCode.PORT]: 'Destination Port Unreachable',
  [IcmpUnreachCode.FRAG_NEEDED]: 'Frag needed',
};

interface Options {
  count: number; // 0 = until interrupted
  intervalNs: number;
  size: number;
  lingerNs: number;
  flood: boolean;
  quiet: boolean;
  dest: number;
  destText: string;
  /** -t: IP time to live of the requests. */
  ttl: number;
}

const USAGE = 'Usage: ping [-c count] [-i interval] [-s size] [-t ttl] [-W timeout] [-f] [-q] <destination>\n';

function parseArgs(argv: string[]): Options | string {
  const o: Options = { count: 0, intervalNs: 1000 * MS, size: 56, lingerNs: 10_000 * MS, flood: false, quiet: false, dest: 0, destText: '', ttl: 64 };
  const args = argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = () => args[++i];
    if (a === '-f') {
      o.flood = true;
      o.intervalNs = 0;
    } else if (a === '-q') o.quiet = true;
    else if (a === '-t') {
      const v = value();
      const n = Number(v);
      if (v === undefined || !Number.isInteger(n) || n < 1 || n > 255) return `ping: invalid argument: '${v ?? ''}': out of range: 1 <= value <= 255\n`;
      o.ttl = n;
    } else if (a === '-c' || a === '-i' || a === '-s' || a === '-W') {
      const v = value();
      const n = Number(v);
      if (v === undefined || !Number.isFinite(n) || n < 0) return `ping: invalid argument: '${v ?? ''}'\n`;
      if (a === '-c') {
        if (n < 1 || !Number.isInteger(n)) return `ping: invalid argument: '${v}': out of range: 1 <= value <= 9223372036854775807\n`;
        o.count = n;
      } else if (a === '-i') o.intervalNs = Math.round(n * 1000) * MS;
      else if (a === '-s') {
        if (!Number.isInteger(n) || n > 65507) return `ping: invalid argument: '${v}': out of range: 0 <= value <= 65507\n`;
        o.size = n;
      } else o.lingerNs = Math.round(n * 1000) * MS;
    } else if (a.startsWith('-')) return `ping: invalid option -- '${a.slice(1)}'\n${USAGE}`;
    else if (o.destText) return USAGE;
    else o.destText = a;
  }
  if (!o.destText) return `ping: usage error: Destination address required\n`;
  return o;
}

/** iputils prints 3 significant digits: 0.045, 2.05, 12.3, 123 (ms). */
function formatRtt(ns: number): string {
  const us = Math.round(ns / 1000);
  if (us >= 100_000 - 50) return `${Math.round(us / 1000)}`;
  if (us >= 10_000 - 5) return (us / 1000).toFixed(1);
  if (us >= 1000) return (us / 1000).toFixed(2);
  return (us / 1000).toFixed(3);
}

function echoRequest(seq: number, size: number, nowNs: number): Uint8Array {
  const b = new Uint8Array(ICMP_HEADER_LEN + size);
  b[0] = IcmpType.ECHO_REQUEST;
  b[6] = (seq >> 8) & 255;
  b[7] = seq & 255;
  for (let i = 0; i < size; i++) b[ICMP_HEADER_LEN + i] = i & 255;
  if (size >= 16) {
    // struct timeval (x86_64, little-endian): tv_sec, tv_usec, as iputils writes it
    const dv = new DataView(b.buffer, ICMP_HEADER_LEN, 16);
    dv.setBigUint64(0, BigInt(Math.floor(nowNs / 1e9)), true);
    dv.setBigUint64(8, BigInt(Math.floor((nowNs % 1e9) / 1000)), true);
  }
  return b;
}

export function* ping(argv: string[]): Sys<number> {
  const o = parseArgs(argv);
  if (typeof o === 'string') {
    yield* err(o);
    return 2;
  }
  const d = yield* resolveHost(o.destText);
  if ('error' in d) {
    yield* err(`ping: ${o.destText}: ${d.error}\n`);
    return 2;
  }
  o.dest = d.addr;
  const fd = yield* sys.socket('dgram', 'icmp');
  if (isErr(fd)) {
    yield* err(`ping: socket: ${fd.message}\n`);
    return 2;
  }
  if (o.ttl !== 64) yield* sys.setsockopt(fd, 'IP_TTL', o.ttl);
  yield* sys.sigaction('SIGINT', 'catch');
  yield* out(`PING ${o.destText} (${formatIpv4(o.dest)}) ${o.size}(${o.size + 28}) bytes of data.\n`);
  const start = yield* sys.now();
  const sentAt = new Map<number, number>();
  const rtts: number[] = [];
  let sent = 0;
  let received = 0;
  let errors = 0;
  let nextSend = start;
  let lastSend = start;
  for (;;) {
    let now = yield* sys.now();
    const moreToSend = o.count === 0 || sent < o.count;
    if (moreToSend && now >= nextSend) {
      const seq = (sent + 1) & 0xffff;
      const r = yield* sys.sendto(fd, echoRequest(seq, o.size, now), o.dest);
      sent++;
      lastSend = now;
      if (isErr(r)) {
        errors++;
        yield* err(`ping: sendmsg: ${r.message}\n`);
      } else sentAt.set(seq, now);
      if (o.flood && !o.quiet) yield* out('.');
      nextSend = now + (o.flood ? 10 * MS : o.intervalNs);
    }
    if (o.count && received + errors >= o.count) break;
    now = yield* sys.now();
    const stillSending = o.count === 0 || sent < o.count;
    const waitUntil = stillSending ? nextSend : lastSend + o.lingerNs;
    if (!stillSending && now >= waitUntil) break;
    const ready = yield* sys.poll([{ fd, events: POLLIN }], Math.max(0, waitUntil - now));
    if (isErr(ready)) break; // EINTR: Ctrl-C
    if (ready.length === 0) continue;
    const msg = yield* sys.recvfrom(fd);
    if (isErr(msg) || msg.data.length < ICMP_HEADER_LEN) continue;
    const type = msg.data[0]!;
    const code = msg.data[1]!;
    const seq = readU16(msg.data, 6);
    now = yield* sys.now();
    if (type === IcmpType.ECHO_REPLY) {
      const t0 = sentAt.get(seq);
      if (t0 === undefined) continue;
      sentAt.delete(seq);
      received++;
      rtts.push(now - t0);
      if (o.flood) {
        if (!o.quiet) yield* out('\b \b');
        nextSend = Math.min(nextSend, now); // flood: next request as soon as a reply is back
      } else if (!o.quiet) {
        yield* out(`${msg.data.length} bytes from ${formatIpv4(msg.addr)}: icmp_seq=${seq} ttl=${msg.ttl} time=${formatRtt(now - t0)} ms\n`);
      }
    } else if (type === IcmpType.DEST_UNREACH || type === IcmpType.TIME_EXCEEDED) {
      // An error about one of our requests (the kernel matched the quoted echo's identifier).
      errors++;
      const qseq = msg.data.length >= 36 ? readU16(msg.data, 34) : seq;
      sentAt.delete(qseq);
      // iputils' pr_icmph texts; "fragmentation needed" carries the next hop's MTU (RFC 1191).
      const text =
        type === IcmpType.TIME_EXCEEDED
          ? 'Time to live exceeded'
          : code === IcmpUnreachCode.FRAG_NEEDED
            ? `Frag needed and DF set (mtu = ${readU16(msg.data, 6)})`
            : (UNREACH_TEXT[code] ?? `Dest Unreachable, Bad Code: ${code}`);
      if (!o.quiet) yield* out(`From ${formatIpv4(msg.addr)} icmp_seq=${qseq} ${text}\n`);
    }
  }
  const end = yield* sys.now();
  yield* out(`\n--- ${o.destText} ping statistics ---\n`);
  const loss = sent ? ((sent - received) * 100) / sent : 0;
  const errText = errors ? `+${errors} errors, ` : '';
  yield* out(`${sent} packets transmitted, ${received} received, ${errText}${Number(loss.toPrecision(6))}% packet loss, time ${Math.round((end - start) / MS)}ms\n`);
  if (received) {
    const ms = rtts.map((r) => r / MS);
    const min = Math.min(...ms);
    const max = Math.max(...ms);
    const avg = ms.reduce((a, b) => a + b, 0) / ms.length;
    const mdev = Math.sqrt(Math.max(0, ms.reduce((a, b) => a + b * b, 0) / ms.length - avg * avg));
    yield* out(`rtt min/avg/max/mdev = ${min.toFixed(3)}/${avg.toFixed(3)}/${max.toFixed(3)}/${mdev.toFixed(3)} ms\n`);
  }
  yield* sys.close(fd);
  return received ? 0 : 1;
}
