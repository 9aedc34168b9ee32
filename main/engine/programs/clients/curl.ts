// curl, the HTTP/1.1 subset (curl 8's messages and -v format):
//   curl [-v] [-i] [-I] [-s] [-o FILE] [-X METHOD] [-H 'Name: value'] [-0|--http1.0] URL...
// Several URLs on one host reuse the connection, as curl does ("Re-using existing connection").
// The body is read by Content-Length, chunked transfer coding (RFC 9112 §7.1) or until close.
import { concatBytes, formatIpv4 } from '../../../../shared/wire';
import { isErr, sys, type Errno, type Sys } from '../../process';
import { decodeUtf8 } from '../../process/utf8';
import { getopt } from '../getopt';
import { writeFile } from '../lib/files';
import { LineReader, TOO_LONG, writeAll } from '../lib/lineio';
import { resolveHost, type Resolved } from '../lib/net';
import { err, out } from '../stdio';

const UA = 'curl/8.5.0';

interface Opts {
  verbose: boolean;
  include: boolean;
  head: boolean;
  silent: boolean;
  output?: string;
  method?: string;
  headers: string[];
  http10: boolean;
}

interface Url {
  host: string;
  port: number;
  path: string;
  hostHeader: string;
}

interface Conn {
  fd: number;
  reader: LineReader;
  key: string;
  addr: number;
}

function parseUrl(s: string): Url | { code: number; msg: string } {
  const m = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):\/\/)?([^/:?#]+)(?::(\d*))?([/?][^#]*)?(?:#.*)?$/.exec(s);
  if (!m) return { code: 3, msg: 'URL rejected: Malformed input to a URL function' };
  const scheme = (m[1] ?? 'http').toLowerCase();
  if (scheme !== 'http') return { code: 1, msg: `Protocol "${scheme}" not supported` };
  const port = m[3] ? Number(m[3]) : 80;
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { code: 3, msg: 'URL rejected: Port number was not a decimal number between 0 and 65535' };
  let path = m[4] ?? '/';
  if (path.startsWith('?')) path = `/${path}`;
  return { host: m[2]!, port, path, hostHeader: port === 80 ? m[2]! : `${m[2]}:${port}` };
}

function* verbose(o: Opts, text: string): Sys<void> {
  if (o.verbose) yield* err(text);
}

/** The response: status line and header fields, then the body by the framing they announce. */
function* readResponse(c: Conn, o: Opts, method: string): Sys<{ status: number; headers: [string, string][]; rawHead: string; body: Uint8Array; close: boolean } | string> {
  const statusLine = yield* c.reader.line();
  if (statusLine === null || isErr(statusLine)) return 'Empty reply from server';
  if (statusLine === TOO_LONG) return 'Weird server reply';
  const m = /^HTTP\/(\d\.\d) (\d{3})(?: (.*))?$/.exec(statusLine);
  if (!m) return 'Unsupported HTTP version in response';
  const headers: [string, string][] = [];
  let rawHead = `${statusLine}\r\n`;
  yield* verbose(o, `< ${statusLine}\n`);
  for (;;) {
    const h = yield* c.reader.line();
    if (h === null || isErr(h)) return 'Failure when receiving data from the peer';
    if (h === TOO_LONG) return 'Header too large';
    rawHead += `${h}\r\n`;
    yield* verbose(o, `< ${h}\n`);
    if (h === '') break;
    const colon = h.indexOf(':');
    if (colon > 0) headers.push([h.slice(0, colon).toLowerCase(), h.slice(colon + 1).trim()]);
  }
  const get = (k: string) => headers.find(([n]) => n === k)?.[1];
  const status = Number(m[2]);
  const close = (get('connection') ?? '').toLowerCase().includes('close') || m[1] === '1.0';
  const parts: Uint8Array[] = [];
  const noBody = method === 'HEAD' || status === 204 || status === 304 || (status >= 100 && status < 200);
  if (!noBody) {
    if ((get('transfer-encoding') ?? '').toLowerCase().includes('chunked')) {
      for (;;) {
        const sizeLine = yield* c.reader.line();
        if (sizeLine === null || isErr(sizeLine) || sizeLine === TOO_LONG) return 'Problem (2) in the Chunked-Encoded data';
        const size = parseInt(sizeLine.split(';')[0]!, 16);
        if (!Number.isFinite(size) || size < 0) return 'Problem (3) in the Chunked-Encoded data';
        if (size === 0) {
          while ((yield* c.reader.line()) !== '') {} // trailer fields
          break;
        }
        const chunk = yield* readN(c, size);
        if (typeof chunk === 'string') return chunk;
        parts.push(chunk);
        yield* c.reader.line(); // CRLF after the chunk
      }
    } else if (get('content-length') !== undefined) {
      const chunk = yield* readN(c, Number(get('content-length')));
      if (typeof chunk === 'string') return chunk;
      parts.push(chunk);
    } else {
      for (;;) {
        const b = yield* c.reader.bytes(65536);
        if (isErr(b) || b.length === 0) break;
        parts.push(b);
      }
    }
  }
  const body = concatBytes(parts);
  return { status, headers, rawHead, body, close: close || (!get('content-length') && !get('transfer-encoding') && !noBody) };
}

function* readN(c: Conn, n: number): Sys<Uint8Array | string> {
  const out = new Uint8Array(n);
  for (let got = 0; got < n; ) {
    const b = yield* c.reader.bytes(n - got);
    if (isErr(b)) return `Recv failure: ${b.message}`;
    if (b.length === 0) return `transfer closed with ${n - got} bytes remaining to read`;
    out.set(b, got);
    got += b.length;
  }
  return out;
}

function* connect(u: Url, o: Opts, r: Resolved): Sys<Conn | { code: number; msg: string }> {
  if ('error' in r) return { code: 6, msg: `Could not resolve host: ${u.host}` };
  const ip = formatIpv4(r.addr);
  yield* verbose(o, `*   Trying ${ip}:${u.port}...\n`);
  const fd = yield* sys.socket('stream', 'tcp');
  if (isErr(fd)) return { code: 7, msg: fd.message };
  const t0 = yield* sys.now();
  const c = yield* sys.connect(fd, r.addr, u.port);
  if (isErr(c)) {
    yield* sys.close(fd);
    const ms = Math.round(((yield* sys.now()) - t0) / 1e6);
    if (c.name === 'ETIMEDOUT') return { code: 28, msg: `Failed to connect to ${u.host} port ${u.port} after ${ms} ms: Couldn't connect to server` };
    return { code: 7, msg: `Failed to connect to ${u.host} port ${u.port} after ${ms} ms: Couldn't connect to server` };
  }
  yield* verbose(o, `* Connected to ${u.host} (${ip}) port ${u.port}\n`);
  return { fd, reader: new LineReader(fd, 65536), key: `${r.addr}:${u.port}`, addr: r.addr };
}

function* fetch(u: Url, o: Opts, reuse: Conn | null, resolved: Resolved): Sys<{ conn: Conn | null; code: number }> {
  let conn = reuse;
  if (conn) yield* verbose(o, `* Re-using existing connection with host ${u.host}\n`);
  else {
    const c = yield* connect(u, o, resolved);
    if ('code' in c) {
      yield* err(`curl: (${c.code}) ${c.msg}\n`);
      return { conn: null, code: c.code };
    }
    conn = c;
  }
  const method = o.method ?? (o.head ? 'HEAD' : 'GET');
  const lines = [
    `${method} ${u.path} ${o.http10 ? 'HTTP/1.0' : 'HTTP/1.1'}`,
    `Host: ${u.hostHeader}`,
    `User-Agent: ${UA}`,
    'Accept: */*',
    ...o.headers,
  ];
  for (const l of lines) yield* verbose(o, `> ${l}\n`);
  yield* verbose(o, '> \n');
  const w = yield* writeAll(conn.fd, lines.join('\r\n') + '\r\n\r\n');
  if (isErr(w)) {
    yield* err(`curl: (55) Failed sending data to the peer: ${(w as Errno).message}\n`);
    yield* sys.close(conn.fd);
    return { conn: null, code: 55 };
  }
  const res = yield* readResponse(conn, o, method);
  if (typeof res === 'string') {
    yield* err(`curl: (${res.startsWith('Empty') ? 52 : 56}) ${res}\n`);
    yield* sys.close(conn.fd);
    return { conn: null, code: res.startsWith('Empty') ? 52 : 56 };
  }
  if (o.include || o.head) yield* out(res.rawHead);
  if (o.output) {
    const wr = yield* writeFile(o.output, res.body);
    if (isErr(wr)) {
      yield* err(`curl: (23) Failure writing output to destination: ${o.output}: ${wr.message}\n`);
      return { conn, code: 23 };
    }
  } else if (res.body.length) yield* out(decodeUtf8(res.body));
  if (res.close) {
    yield* verbose(o, `* Closing connection\n`);
    yield* sys.close(conn.fd);
    return { conn: null, code: 0 };
  }
  yield* verbose(o, `* Connection #0 to host ${u.host} left intact\n`);
  return { conn, code: 0 };
}

export function* curl(argv: string[]): Sys<number> {
  const g = getopt('curl', argv, 'viIso:X:H:0', {
    verbose: { key: 'v', arg: 'none' },
    include: { key: 'i', arg: 'none' },
    head: { key: 'I', arg: 'none' },
    silent: { key: 's', arg: 'none' },
    output: { key: 'o', arg: 'required' },
    request: { key: 'X', arg: 'required' },
    header: { key: 'H', arg: 'required' },
    'http1.0': { key: '0', arg: 'none' },
  });
  if ('error' in g) {
    yield* err(`${g.error}curl: try 'curl --help' for more information\n`);
    return 2;
  }
  const o: Opts = { verbose: false, include: false, head: false, silent: false, headers: [], http10: false };
  for (const { key, value } of g.opts) {
    if (key === 'v') o.verbose = true;
    else if (key === 'i') o.include = true;
    else if (key === 'I') o.head = true;
    else if (key === 's') o.silent = true;
    else if (key === 'o') o.output = value;
    else if (key === 'X') o.method = value;
    else if (key === 'H') o.headers.push(value!);
    else if (key === '0') o.http10 = true;
  }
  if (g.args.length === 0) {
    yield* err("curl: no URL specified\ncurl: try 'curl --help' for more information\n");
    return 2;
  }
  let conn: Conn | null = null;
  let code = 0;
  for (const a of g.args) {
    const u = parseUrl(a);
    if ('code' in u) {
      yield* err(`curl: (${u.code}) ${u.msg}\n`);
      code = u.code;
      continue;
    }
    const r = yield* resolveHost(u.host);
    const key = 'error' in r ? '' : `${r.addr}:${u.port}`;
    if (conn && conn.key !== key) {
      yield* sys.close(conn.fd);
      conn = null;
    }
    const res: { conn: Conn | null; code: number } = yield* fetch(u, o, conn, r);
    conn = res.conn;
    if (res.code) code = res.code;
  }
  if (conn) yield* sys.close(conn.fd);
  return code;
}

