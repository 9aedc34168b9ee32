// nc, after OpenBSD netcat (Debian's netcat-openbsd): TCP or UDP (-u) client and server.
//   nc HOST PORT            connect; lines typed are sent, what arrives is printed
//   nc -l [-p] PORT         listen (backlog 1, as netcat), accept one connection (-k: keep going)
//   nc -z [-v] HOST PORT[-PORT]   scan: connect and close
// -v prints netcat's messages ("Connection to 10.0.0.2 5000 port [tcp/*] succeeded!",
// "Listening on 0.0.0.0 5000", "Connection received on 10.0.0.1 42620"); a failed connect is
// always reported ("nc: connect to 10.0.0.2 port 5001 (tcp) failed: Connection refused").
// -w SECS bounds connect() and idle time; -N shuts the socket's write side at end of input
// (Ctrl-D); -q SECS quits SECS after end of input; -d never reads the terminal; -s/-p pick the
// source address/port. The main loop is netcat's readwrite(): poll() over stdin and the socket.
import { formatIpv4, parseIpv4 } from '../../../shared/wire';
import { ERRNO, isErr, POLLIN, POLLOUT, sys, type Sys } from '../process';
import { encodeUtf8 } from '../process/utf8';
import { getopt } from './getopt';
import { serviceName, servicePort } from './services';
import { err, out } from './stdio';

const USAGE = `usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]
	  [-m minttl] [-O length] [-P proxy_username] [-p source_port]
	  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]
	  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]
	  [destination] [port]
`;

const HELP = `OpenBSD netcat (Debian patchlevel 1.226-1), as the lab runs it
${USAGE}	Command Summary:
		-4		Use IPv4
		-d		Detach from stdin
		-h		This help text
		-k		Keep inbound sockets open for multiple connects
		-l		Listen mode, for inbound connects
		-N		Shutdown the network socket after EOF on stdin
		-n		Suppress name/port resolutions
		-p port		Specify local port for remote connects
		-q secs		quit after EOF on stdin and delay of secs
		-s sourceaddr	Local source address
		-u		UDP mode
		-v		Verbose
		-w timeout	Timeout for connects and final net reads
		-z		Zero-I/O mode [used for scanning]
	Port numbers can be individual or ranges: lo-hi [inclusive]
`;

interface Opts {
  listen: boolean;
  keep: boolean;
  udp: boolean;
  verbose: boolean;
  zero: boolean;
  noStdin: boolean;
  shutdownOnEof: boolean;
  quitAfter: number | null;
  timeoutNs: number | null;
  srcAddr: number;
  srcPort: number;
  numeric: boolean;
}

const proto = (o: Opts) => (o.udp ? 'udp' : 'tcp');
const svc = (port: number, o: Opts) => (o.numeric ? '*' : (serviceName(port, proto(o)) ?? '*'));

/** "5000", "http", "20-25" -> the ports, or an error message. */
function parsePorts(spec: string, o: Opts): number[] | string {
  const one = (s: string): number | string => {
    if (/^\d+$/.test(s)) {
      const n = Number(s);
      return n >= 1 && n <= 65535 ? n : `port number ${n > 65535 ? 'too large' : 'too small'}: ${s}`;
    }
    return servicePort(s, proto(o)) ?? `service "${s}" unknown`;
  };
  const m = /^([^-]+)-([^-]+)$/.exec(spec);
  if (!m) {
    const p = one(spec);
    return typeof p === 'string' ? p : [p];
  }
  const lo = one(m[1]!);
  const hi = one(m[2]!);
  if (typeof lo === 'string') return lo;
  if (typeof hi === 'string') return hi;
  const [a, b] = lo <= hi ? [lo, hi] : [hi, lo];
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

function errnoText(n: number): string {
  return Object.values(ERRNO).find(([code]) => code === n)?.[1] ?? `Unknown error ${n}`;
}

/** netcat's readwrite(): shuttle terminal lines to the socket and socket data to the terminal. */
function* readwrite(fd: number, o: Opts, peer: { addr: number; port: number } | null): Sys<number> {
  let stdinOpen = !o.noStdin;
  let quitAt: number | null = null;
  for (;;) {
    const fds = [{ fd, events: POLLIN }];
    if (stdinOpen) fds.push({ fd: 0, events: POLLIN });
    const now = yield* sys.now();
    let timeout = o.timeoutNs;
    if (quitAt !== null) timeout = Math.max(0, quitAt - now);
    if (!stdinOpen && quitAt === null && o.quitAfter === 0) return 0;
    const ready = yield* sys.poll(fds, timeout);
    if (isErr(ready)) return 1;
    if (ready.length === 0) return 0; // -w idle timeout, or -q delay over
    for (const r of ready) {
      if (r.fd === 0) {
        const line = yield* sys.read(0);
        if (isErr(line)) continue;
        const data = typeof line === 'string' ? encodeUtf8(line) : line;
        if (data.length === 0) {
          stdinOpen = false;
          if (o.shutdownOnEof && !o.udp) yield* sys.shutdown(fd, 'wr');
          if (o.quitAfter !== null) quitAt = (yield* sys.now()) + o.quitAfter * 1e9;
          continue;
        }
        const sent = peer ? yield* sys.sendto(fd, data, peer.addr, peer.port) : yield* sys.send(fd, data);
        if (isErr(sent)) {
          if (sent.name !== 'ECONNREFUSED') yield* err(`nc: write failed: ${sent.message}\n`);
          return 1;
        }
      } else {
        if (peer) {
          const d = yield* sys.recvfrom(fd);
          if (isErr(d)) return 1;
          peer.addr = d.addr;
          peer.port = d.port;
          yield* sys.write(1, d.data);
          continue;
        }
        const d = yield* sys.recv(fd);
        if (isErr(d)) return o.udp && d.name === 'ECONNREFUSED' ? 1 : 0;
        if (d.length === 0) return 0; // the peer closed
        yield* sys.write(1, d);
      }
    }
  }
}

/** connect(), bounded by -w: non-blocking connect, poll for POLLOUT, SO_ERROR (netcat's timeout_connect). */
function* connectTo(fd: number, addr: number, port: number, o: Opts): Sys<string | null> {
  if (o.timeoutNs === null) {
    const r = yield* sys.connect(fd, addr, port);
    return isErr(r) ? `failed: ${r.message}` : null;
  }
  yield* sys.setNonblock(fd, true);
  const r = yield* sys.connect(fd, addr, port);
  if (isErr(r) && r.name !== 'EINPROGRESS') return `failed: ${r.message}`;
  if (isErr(r)) {
    const ready = yield* sys.poll([{ fd, events: POLLOUT }], o.timeoutNs);
    if (!isErr(ready) && ready.length === 0) return `timed out: ${ERRNO.EINPROGRESS[1]}`;
    const e = yield* sys.getsockopt(fd, 'SO_ERROR');
    if (typeof e === 'number' && e !== 0) return `failed: ${errnoText(e)}`;
    if (isErr(e)) {
      const again = yield* sys.connect(fd, addr, port);
      if (isErr(again) && again.name !== 'EISCONN') return `failed: ${again.message}`;
    }
  }
  yield* sys.setNonblock(fd, false);
  return null;
}

function* client(host: string, addr: number, ports: number[], o: Opts): Sys<number> {
  let status = 1;
  for (const port of ports) {
    const fd = yield* sys.socket(o.udp ? 'dgram' : 'stream', proto(o));
    if (isErr(fd)) {
      yield* err(`nc: socket: ${fd.message}\n`);
      return 1;
    }
    if (o.srcAddr || o.srcPort) {
      const b = yield* sys.bind(fd, o.srcAddr, o.srcPort);
      if (isErr(b)) {
        yield* err(`nc: bind failed: ${b.message}\n`);
        return 1;
      }
    }
    const failure = yield* connectTo(fd, addr, port, o);
    if (failure) {
      yield* err(`nc: connect to ${host} port ${port} (${proto(o)}) ${failure}\n`);
      yield* sys.close(fd);
      continue;
    }
    status = 0;
    if (o.verbose) yield* err(`Connection to ${host} ${port} port [${proto(o)}/${svc(port, o)}] succeeded!\n`);
    if (o.zero) {
      yield* sys.close(fd);
      continue;
    }
    const rw = yield* readwrite(fd, o, null);
    yield* sys.close(fd);
    return rw;
  }
  return status;
}

function* server(addr: number, port: number, o: Opts): Sys<number> {
  const fd = yield* sys.socket(o.udp ? 'dgram' : 'stream', proto(o));
  if (isErr(fd)) {
    yield* err(`nc: socket: ${fd.message}\n`);
    return 1;
  }
  yield* sys.setsockopt(fd, 'SO_REUSEADDR', 1);
  const b = yield* sys.bind(fd, addr, port);
  if (isErr(b)) {
    yield* err(`nc: ${b.message}\n`);
    return 1;
  }
  if (o.udp) {
    if (o.verbose) yield* err(`Bound on ${formatIpv4(addr)} ${port}\n`);
    const first = yield* sys.recvfrom(fd);
    if (isErr(first)) return 1;
    if (o.verbose) yield* err(`Connection received on ${formatIpv4(first.addr)} ${first.port}\n`);
    yield* sys.write(1, first.data);
    if (o.keep) return yield* readwrite(fd, o, { addr: first.addr, port: first.port });
    const c = yield* sys.connect(fd, first.addr, first.port);
    if (isErr(c)) return 1;
    return yield* readwrite(fd, o, null);
  }
  const l = yield* sys.listen(fd, 1);
  if (isErr(l)) {
    yield* err(`nc: listen: ${l.message}\n`);
    return 1;
  }
  if (o.verbose) yield* err(`Listening on ${formatIpv4(addr)} ${port}\n`);
  for (;;) {
    const c = yield* sys.accept(fd);
    if (isErr(c)) {
      yield* err(`nc: accept: ${c.message}\n`);
      return 1;
    }
    if (o.verbose) yield* err(`Connection received on ${formatIpv4(c.addr)} ${c.port}\n`);
    yield* readwrite(c.fd, o, null);
    yield* sys.close(c.fd);
    if (!o.keep) return 0;
  }
}

export function* nc(argv: string[]): Sys<number> {
  const g = getopt('nc', argv, '46CDdFhI:i:klM:m:NnO:P:p:q:rSs:T:tUuV:vW:w:X:x:Zz');
  if ('error' in g) {
    yield* err(g.error + USAGE);
    return 1;
  }
  const o: Opts = { listen: false, keep: false, udp: false, verbose: false, zero: false, noStdin: false, shutdownOnEof: false, quitAfter: null, timeoutNs: null, srcAddr: 0, srcPort: 0, numeric: false };
  let srcPortText: string | null = null;
  for (const { key, value } of g.opts) {
    switch (key) {
      case 'l': o.listen = true; break;
      case 'k': o.keep = true; break;
      case 'u': o.udp = true; break;
      case 'v': o.verbose = true; break;
      case 'z': o.zero = true; break;
      case 'd': o.noStdin = true; break;
      case 'N': o.shutdownOnEof = true; break;
      case 'n': o.numeric = true; break;
      case 'p': srcPortText = value!; break;
      case 'q':
        if (!/^-?\d+$/.test(value!)) {
          yield* err(`nc: quit timer ${value}: invalid\n`);
          return 1;
        }
        o.quitAfter = Number(value) < 0 ? null : Number(value);
        break;
      case 'w':
        if (!/^\d+$/.test(value!)) {
          yield* err(`nc: timeout invalid: ${value}\n`);
          return 1;
        }
        o.timeoutNs = Number(value) * 1e9;
        break;
      case 's': {
        const a = parseIpv4(value!);
        if (a === null) {
          yield* err(`nc: getaddrinfo: Name or service not known\n`);
          return 1;
        }
        o.srcAddr = a;
        break;
      }
      case 'h':
        yield* out(HELP);
        return 1;
      case '6':
        yield* err('nc: getaddrinfo: Address family for hostname not supported\n');
        return 1;
      default:
        break; // -4 and the options the lab has nothing for
    }
  }
  if (o.keep && !o.listen) {
    yield* err('nc: must use -l with -k\n');
    return 1;
  }
  const args = [...g.args];
  if (srcPortText !== null) {
    const p = parsePorts(srcPortText, o);
    if (typeof p === 'string' || p.length !== 1) {
      yield* err(`nc: ${typeof p === 'string' ? p : 'port range not valid'}\n`);
      return 1;
    }
    o.srcPort = p[0]!;
  }
  if (o.listen) {
    // nc -l PORT, nc -l -p PORT, nc -l ADDR PORT
    let host: string | undefined;
    let portText: string | undefined;
    if (args.length === 2) [host, portText] = args;
    else if (args.length === 1) {
      if (o.srcPort) host = args[0];
      else portText = args[0];
    } else if (args.length > 2) {
      yield* err(USAGE);
      return 1;
    }
    const port = portText !== undefined ? parsePorts(portText, o) : o.srcPort ? [o.srcPort] : 'missing port number';
    if (typeof port === 'string' || port.length !== 1) {
      yield* err(`nc: ${typeof port === 'string' ? port : 'port range not valid'}\n`);
      return 1;
    }
    const addr = host === undefined ? o.srcAddr : parseIpv4(host);
    if (addr === null) {
      yield* err(`nc: getaddrinfo for host "${host}" port ${port[0]}: Name or service not known\n`);
      return 1;
    }
    return yield* server(addr, port[0]!, o);
  }
  if (args.length !== 2) {
    yield* err(args.length === 1 ? 'nc: missing port number\n' : USAGE);
    return 1;
  }
  const [host, portSpec] = args as [string, string];
  const ports = parsePorts(portSpec, o);
  if (typeof ports === 'string') {
    yield* err(`nc: ${ports}\n`);
    return 1;
  }
  const addr = parseIpv4(host);
  if (addr === null) {
    yield* err(`nc: getaddrinfo for host "${host}" port ${portSpec}: Name or service not known\n`);
    return 1;
  }
  if (ports.length > 1 && !o.zero) {
    yield* err('nc: port range not valid\n');
    return 1;
  }
  return yield* client(host, addr, ports, o);
}
