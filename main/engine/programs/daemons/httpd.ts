// An HTTP/1.1 origin server for static files (RFC 9110 semantics, RFC 9112 message syntax), in the
// manner of Apache's prefork MPM: one process per connection, running as www-data, serving
// /var/www/html. GET and HEAD; persistent connections (RFC 9112 §9.3) closed after 5 s idle or 100
// requests; directory index.html or a generated listing; errors with their status codes: 400 (bad
// syntax, missing Host), 403, 404, 405 (+ Allow), 413, 414, 431, 501, 505. Access log in Common
// Log Format in /var/log/httpd.log.
import { formatIpv4 } from '../../../../shared/wire';
import { isErr, POLLIN, sys, type Sys } from '../../process';
import { encodeUtf8 } from '../../process/utf8';
import { clfDate, httpDate } from '../lib/clock';
import { serveTcp, type Peer } from '../lib/daemon';
import { readFile } from '../lib/files';
import { LineReader, TOO_LONG, writeAll } from '../lib/lineio';
import type { DaemonLog } from '../lib/log';
import { portArg } from './args';

export const DOC_ROOT = '/var/www/html';
const SERVER = 'PacketLab-httpd/1.0';
const KEEPALIVE_NS = 5e9;
/** A first request must arrive this soon (Apache's RequestReadTimeout header=20). */
const FIRST_REQUEST_NS = 20e9;
const MAX_REQUESTS = 100;
const MAX_LINE = 8190; // Apache's LimitRequestLine and LimitRequestFieldSize
const MAX_HEADERS = 100; // LimitRequestFields
const MAX_BODY = 1 << 20;
const WWW_DATA_UID = 33;

const REASON: Record<number, string> = {
  200: 'OK', 301: 'Moved Permanently', 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  408: 'Request Timeout', 413: 'Content Too Large', 414: 'URI Too Long', 431: 'Request Header Fields Too Large',
  500: 'Internal Server Error', 501: 'Not Implemented', 505: 'HTTP Version Not Supported',
};

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8', htm: 'text/html; charset=utf-8', txt: 'text/plain; charset=utf-8', css: 'text/css',
  js: 'text/javascript', json: 'application/json', svg: 'image/svg+xml', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg',
  gif: 'image/gif', ico: 'image/x-icon', pdf: 'application/pdf',
};

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);

interface Request {
  method: string;
  target: string;
  version: string;
  headers: Map<string, string>;
}

interface Response {
  status: number;
  headers: [string, string][];
  body: Uint8Array;
  /** Close the connection after this response. */
  close: boolean;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function errorPage(status: number, detail: string): Uint8Array {
  const title = `${status} ${REASON[status] ?? ''}`;
  return encodeUtf8(`<!DOCTYPE html>\n<html><head><title>${title}</title></head>\n<body><h1>${REASON[status] ?? title}</h1>\n<p>${escapeHtml(detail)}</p>\n<hr><address>${SERVER}</address></body></html>\n`);
}

function error(status: number, detail: string, extra: [string, string][] = [], close = false): Response {
  return { status, headers: [['Content-Type', TYPES.html!], ...extra], body: errorPage(status, detail), close };
}

/** Read one request (line and header fields); null when the client closed or went idle. */
function* readRequest(r: LineReader, first: boolean): Sys<Request | Response | null> {
  let line = yield* r.line();
  // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request line.
  if (line === '') line = yield* r.line();
  if (line === null || isErr(line)) return null;
  if (line === TOO_LONG) return error(414, 'The request line is longer than this server accepts.', [], true);
  const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) (\S+) (HTTP\/\d\.\d)$/.exec(line);
  if (!m) return error(400, first && /^[\x16\x80]/.test(line) ? 'This port speaks plain HTTP.' : 'Your browser sent a request that this server could not understand.', [], true);
  const [, method, target, version] = m as unknown as [string, string, string, string];
  const headers = new Map<string, string>();
  for (let n = 0; ; n++) {
    const h = yield* r.line();
    if (h === null || isErr(h)) return null;
    if (h === TOO_LONG || n >= MAX_HEADERS) return error(431, 'A header field, or the number of them, exceeds the server limit.', [], true);
    if (h === '') break;
    const colon = h.indexOf(':');
    // RFC 9112 §5.1: no whitespace between the field name and the colon.
    if (colon <= 0 || /\s/.test(h.slice(0, colon))) return error(400, `Malformed header field: ${h.slice(0, 40)}`, [], true);
    const name = h.slice(0, colon).toLowerCase();
    const value = h.slice(colon + 1).trim();
    headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value);
  }
  return { method, target, version, headers };
}

function contentType(path: string): string {
  const dot = path.lastIndexOf('.');
  return TYPES[dot >= 0 ? path.slice(dot + 1).toLowerCase() : ''] ?? 'application/octet-stream';
}

/** The path part of the target, percent-decoded; null if it is not an origin-form path. */
function targetPath(target: string): string | null {
  let t = target;
  const abs = /^http:\/\/[^/]+(\/.*)?$/i.exec(t); // absolute-form (RFC 9112 §3.2.2)
  if (abs) t = abs[1] ?? '/';
  if (!t.startsWith('/')) return null;
  t = t.replace(/[?#].*$/, '');
  try {
    return decodeURIComponent(t);
  } catch {
    return null;
  }
}

function* listing(urlPath: string, dir: string): Sys<Uint8Array | null> {
  const entries = yield* sys.readdir(dir);
  if (isErr(entries)) return null;
  const rows = entries
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((e) => `<li><a href="${encodeURI(e.name)}${e.stat.type === 'dir' ? '/' : ''}">${escapeHtml(e.name)}${e.stat.type === 'dir' ? '/' : ''}</a> ${e.stat.type === 'dir' ? '-' : e.stat.size}</li>`);
  const title = `Index of ${escapeHtml(urlPath)}`;
  return encodeUtf8(`<!DOCTYPE html>\n<html><head><title>${title}</title></head>\n<body><h1>${title}</h1>\n<ul>\n${urlPath !== '/' ? '<li><a href="../">../</a></li>\n' : ''}${rows.join('\n')}\n</ul></body></html>\n`);
}

function* respond(req: Request): Sys<Response> {
  if (!METHODS.has(req.method)) return error(501, `Method ${req.method} is not implemented.`);
  if (req.method !== 'GET' && req.method !== 'HEAD') return error(405, `The method ${req.method} is not allowed for this URL.`, [['Allow', 'GET, HEAD']]);
  if (req.version === 'HTTP/1.1' && !req.headers.has('host')) return error(400, 'HTTP/1.1 requests must carry a Host header (RFC 9112 section 3.2).');
  const path = targetPath(req.target);
  if (path === null || path.includes('\0')) return error(400, 'The request target is not a valid path.');
  // Normalize against the document root: ".." never climbs above it.
  const parts: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  const urlPath = '/' + parts.join('/') + (path.endsWith('/') && parts.length ? '/' : '');
  const fsPath = DOC_ROOT + '/' + parts.join('/');
  const st = yield* sys.stat(fsPath);
  if (isErr(st)) {
    if (st.name === 'EACCES') return error(403, `You don't have permission to access ${urlPath} on this server.`);
    return error(404, `The requested URL ${urlPath} was not found on this server.`);
  }
  let file = fsPath;
  let mtime = st.mtimeNs;
  if (st.type === 'dir') {
    if (!urlPath.endsWith('/')) {
      const loc = `${urlPath}/`;
      return { ...error(301, `The document has moved to ${loc}.`), headers: [['Location', loc], ['Content-Type', TYPES.html!]] };
    }
    const index = `${fsPath.replace(/\/$/, '')}/index.html`;
    const ist = yield* sys.stat(index);
    if (isErr(ist)) {
      const body = yield* listing(urlPath, fsPath);
      return body ? { status: 200, headers: [['Content-Type', TYPES.html!]], body, close: false } : error(403, `You don't have permission to list ${urlPath}.`);
    }
    file = index;
    mtime = ist.mtimeNs;
  }
  const body = yield* readFile(file);
  if (isErr(body)) return body.name === 'EACCES' ? error(403, `You don't have permission to access ${urlPath} on this server.`) : error(404, `The requested URL ${urlPath} was not found on this server.`);
  return { status: 200, headers: [['Last-Modified', httpDate(mtime)], ['Content-Type', contentType(file)]], body, close: false };
}

function* connection(peer: Peer, log: DaemonLog): Sys<number> {
  yield* sys.setproctitle(`httpd: ${formatIpv4(peer.addr)}:${peer.port}`);
  // Apache's workers drop root after binding; a worker that cannot (httpd started by a user) keeps
  // that user's identity, which is what a user-run Apache does too.
  const me = yield* sys.getuid();
  if (me.euid === 0 && isErr(yield* sys.setuid(WWW_DATA_UID))) return 1;
  const r = new LineReader(peer.fd, MAX_LINE);
  for (let served = 0; served < MAX_REQUESTS; served++) {
    if (r.buffered === 0) {
      const ready = yield* sys.poll([{ fd: peer.fd, events: POLLIN }], served > 0 ? KEEPALIVE_NS : FIRST_REQUEST_NS);
      if (isErr(ready) || ready.length === 0) break; // idle: the keep-alive (or first-request) timeout closes it
    }
    const req = yield* readRequest(r, served === 0);
    if (req === null) break;
    let res: Response;
    let line = '-';
    let keep = false;
    if ('status' in req) res = req;
    else {
      line = `${req.method} ${req.target} ${req.version}`;
      if (req.version !== 'HTTP/1.1' && req.version !== 'HTTP/1.0') res = error(505, `${req.version} is not supported; use HTTP/1.1.`, [], true);
      else if (req.headers.has('transfer-encoding')) res = error(501, 'Request bodies with Transfer-Encoding are not supported.', [], true);
      else {
        const cl = req.headers.get('content-length') ?? '0';
        // RFC 9112 §6.3: Content-Length is 1*DIGIT; anything else is an unrecoverable framing error.
        const len = /^\d{1,16}$/.test(cl) ? Number(cl) : -1;
        if (!Number.isSafeInteger(len) || len < 0) res = error(400, 'Bad Content-Length.', [], true);
        else if (len > MAX_BODY) res = error(413, 'The request body is too large.', [], true);
        else {
          for (let left = len; left > 0; ) {
            const b = yield* r.bytes(left);
            if (isErr(b) || b.length === 0) return 0;
            left -= b.length;
          }
          res = yield* respond(req);
        }
      }
      const conn = (req.headers.get('connection') ?? '').toLowerCase();
      keep = req.version === 'HTTP/1.1' ? !conn.split(/\s*,\s*/).includes('close') : conn.split(/\s*,\s*/).includes('keep-alive');
    }
    keep = keep && !res.close && served + 1 < MAX_REQUESTS;
    const now = yield* sys.now();
    const head = [
      `HTTP/1.1 ${res.status} ${REASON[res.status] ?? ''}`,
      `Date: ${httpDate(now)}`,
      `Server: ${SERVER}`,
      ...res.headers.map(([k, v]) => `${k}: ${v}`),
      `Content-Length: ${res.body.length}`,
      ...(keep ? [`Keep-Alive: timeout=${KEEPALIVE_NS / 1e9}, max=${MAX_REQUESTS - served - 1}`, 'Connection: Keep-Alive'] : ['Connection: close']),
      '',
      '',
    ].join('\r\n');
    const isHead = typeof req === 'object' && 'method' in req && req.method === 'HEAD';
    const w = yield* writeAll(peer.fd, head);
    if (!isErr(w) && !isHead && res.body.length) yield* writeAll(peer.fd, res.body);
    yield* log.line(`${formatIpv4(peer.addr)} - - [${clfDate(now)}] "${line}" ${res.status} ${isHead ? 0 : res.body.length}`);
    if (!keep || isErr(w)) break;
  }
  yield* sys.close(peer.fd);
  return 0;
}

export function* httpd(argv: string[]): Sys<number> {
  const port = yield* portArg(argv, 80);
  if (port === null) return 2;
  return yield* serveTcp('httpd', port, connection);
}
