// ss (iproute2 misc/ss.c): socket statistics from the kernel's socket table (sock_diag).
// Follows ss.c closely: the default/-a/-l state sets, which tables (dbs) each option selects, the
// kernel's dump order (unix, raw, udp, tcp; TCP listeners before the established hash), the
// column-buffer renderer (render_calc_width/render) in its non-tty "compact" mode (our console has
// no TIOCGWINSZ, so columns are as wide as their widest field, like `ss > file`), users:(...) in
// /proc scan order, timer:(...) via print_ms_timer, and service names except in the ephemeral range.
import type { SocketRow, SocketStateName } from '../../../shared/api/kernel-view';
import { formatIpv4, parseIpv4 } from '../../../shared/wire';
import { sys, type Sys } from '../process';
import { getopt, type LongOpt } from './getopt';
import { serviceName, servicePort } from './services';
import { err, out } from './stdio';

/** net.ipv4.ip_local_port_range, or ss's fallback (1024 4999) when it cannot be read. */
function* ephemeralRange(): Sys<[number, number]> {
  const v = yield* sys.sysctl('net.ipv4.ip_local_port_range');
  const m = typeof v === 'string' ? /^\s*(\d+)\s+(\d+)/.exec(v) : null;
  return m ? [Number(m[1]), Number(m[2])] : [1024, 4999];
}

// ---------------------------------------------------------------- ss states and tables

/** ss.c's SS_* numbering (the kernel's TCP_* state numbers). */
const SS: Record<string, number> = {
  ESTABLISHED: 1,
  SYN_SENT: 2,
  SYN_RECV: 3,
  FIN_WAIT1: 4,
  FIN_WAIT2: 5,
  TIME_WAIT: 6,
  CLOSE: 7,
  UNCONN: 7,
  CLOSE_WAIT: 8,
  LAST_ACK: 9,
  LISTEN: 10,
  CLOSING: 11,
};
const SS_MAX = 12;
const SS_ALL = (1 << SS_MAX) - 1;
const bit = (s: number) => 1 << s;
const SS_CONN = SS_ALL & ~(bit(SS.LISTEN!) | bit(SS.CLOSE!) | bit(SS.TIME_WAIT!) | bit(SS.SYN_RECV!));

/** sstate_name[] */
const STATE_NAME = ['UNKNOWN', 'ESTAB', 'SYN-SENT', 'SYN-RECV', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT', 'UNCONN', 'CLOSE-WAIT', 'LAST-ACK', 'LISTEN', 'CLOSING'];

/** scan_state(): names accepted after `state` / `exclude`. */
function scanState(name: string): number | undefined {
  const n = name.toLowerCase();
  const named: Record<string, number> = {
    close: bit(SS.CLOSE!),
    closed: bit(SS.CLOSE!),
    'syn-rcv': bit(SS.SYN_RECV!),
    all: SS_ALL,
    connected: SS_ALL & ~(bit(SS.CLOSE!) | bit(SS.LISTEN!)),
    synchronized: SS_ALL & ~(bit(SS.CLOSE!) | bit(SS.LISTEN!) | bit(SS.SYN_SENT!)),
    bucket: bit(SS.SYN_RECV!) | bit(SS.TIME_WAIT!),
    big: SS_ALL & ~(bit(SS.SYN_RECV!) | bit(SS.TIME_WAIT!)),
  };
  if (named[n] !== undefined) return named[n];
  const long = ['unknown', 'established', 'syn-sent', 'syn-recv', 'fin-wait-1', 'fin-wait-2', 'time-wait', 'unconnected', 'close-wait', 'last-ack', 'listening', 'closing'];
  const i = long.indexOf(n);
  return i > 0 ? bit(i) : undefined;
}

type Db = 'tcp' | 'udp' | 'raw' | 'dccp' | 'mptcp' | 'sctp' | 'unix_st' | 'unix_dg' | 'unix_sq' | 'packet_r' | 'packet_dg' | 'netlink' | 'vsock_st' | 'vsock_dg' | 'xdp' | 'tipc';
type Af = 'inet' | 'inet6' | 'unix' | 'packet' | 'netlink' | 'vsock' | 'tipc' | 'xdp';

const INET_DBS: Db[] = ['tcp', 'mptcp', 'udp', 'dccp', 'sctp', 'raw'];
const UNIX_DBS: Db[] = ['unix_dg', 'unix_st', 'unix_sq'];
/** default_dbs[]: the states and families each table brings when selected. */
const DB_DEFAULTS: Record<Db, { states: number; families: Af[] }> = {
  tcp: { states: SS_CONN, families: ['inet', 'inet6'] },
  mptcp: { states: SS_CONN, families: ['inet', 'inet6'] },
  dccp: { states: SS_CONN, families: ['inet', 'inet6'] },
  sctp: { states: SS_CONN, families: ['inet', 'inet6'] },
  udp: { states: bit(SS.ESTABLISHED!), families: ['inet', 'inet6'] },
  raw: { states: bit(SS.ESTABLISHED!), families: ['inet', 'inet6'] },
  unix_dg: { states: bit(SS.CLOSE!), families: ['unix'] },
  unix_st: { states: SS_CONN, families: ['unix'] },
  unix_sq: { states: SS_CONN, families: ['unix'] },
  packet_r: { states: bit(SS.CLOSE!), families: ['packet'] },
  packet_dg: { states: bit(SS.CLOSE!), families: ['packet'] },
  netlink: { states: bit(SS.CLOSE!), families: ['netlink'] },
  vsock_st: { states: SS_CONN, families: ['vsock'] },
  vsock_dg: { states: SS_CONN, families: ['vsock'] },
  tipc: { states: bit(SS.ESTABLISHED!) | bit(SS.LISTEN!) | bit(SS.CLOSE!), families: ['tipc'] },
  xdp: { states: bit(SS.CLOSE!), families: ['xdp'] },
};
/** default_afs[] */
const AF_DEFAULTS: Record<Af, { states: number; dbs: Db[] }> = {
  inet: { states: SS_CONN, dbs: INET_DBS },
  inet6: { states: SS_CONN, dbs: INET_DBS },
  unix: { states: SS_CONN, dbs: UNIX_DBS },
  packet: { states: bit(SS.CLOSE!), dbs: ['packet_dg', 'packet_r'] },
  netlink: { states: bit(SS.CLOSE!), dbs: ['netlink'] },
  vsock: { states: SS_CONN, dbs: ['vsock_st', 'vsock_dg'] },
  tipc: { states: bit(SS.ESTABLISHED!) | bit(SS.LISTEN!) | bit(SS.CLOSE!), dbs: ['tipc'] },
  xdp: { states: bit(SS.CLOSE!), dbs: ['xdp'] },
};
/** filter_db_parse() table names (-A). */
const DB_NAMES: Record<string, Db[]> = {
  all: ['udp', 'dccp', 'tcp', 'mptcp', 'raw', 'unix_st', 'unix_dg', 'unix_sq', 'packet_r', 'packet_dg', 'netlink', 'sctp', 'vsock_st', 'vsock_dg', 'xdp'],
  inet: ['udp', 'dccp', 'tcp', 'mptcp', 'sctp', 'raw'],
  udp: ['udp'],
  dccp: ['dccp'],
  tcp: ['tcp'],
  mptcp: ['mptcp'],
  sctp: ['sctp'],
  raw: ['raw'],
  unix: UNIX_DBS,
  unix_stream: ['unix_st'],
  u_str: ['unix_st'],
  unix_dgram: ['unix_dg'],
  u_dgr: ['unix_dg'],
  unix_seqpacket: ['unix_sq'],
  u_seq: ['unix_sq'],
  packet: ['packet_r', 'packet_dg'],
  netlink: ['netlink'],
  vsock: ['vsock_st', 'vsock_dg'],
  xdp: ['xdp'],
};

class Filter {
  dbs = new Set<Db>();
  states = 0;
  families = new Set<Af>();
  doDefault = true;

  dbSet(db: Db, enable: boolean): void {
    if (enable) {
      this.states |= DB_DEFAULTS[db].states;
      this.dbs.add(db);
    } else this.dbs.delete(db);
    this.doDefault = false;
  }

  afSet(af: Af): void {
    this.states |= AF_DEFAULTS[af].states;
    this.families.add(af);
    this.doDefault = false;
  }

  /** filter_merge_defaults() */
  mergeDefaults(): void {
    for (const db of this.dbs) if (!DB_DEFAULTS[db].families.some((f) => this.families.has(f))) DB_DEFAULTS[db].families.forEach((f) => this.families.add(f));
    for (const af of this.families) if (!AF_DEFAULTS[af].dbs.some((d) => this.dbs.has(d))) AF_DEFAULTS[af].dbs.forEach((d) => this.dbs.add(d));
  }
}

// ---------------------------------------------------------------- filter expressions

type Pred = (r: SocketRow) => boolean;

/** The part of ssfilter.y the lab supports: sport/dport/src/dst comparisons, and/or/not, parens. */
function parseExpression(words: string[], proto: (r: SocketRow) => string): Pred | null {
  const toks = words.flatMap((w) => w.split(/([()])/).filter((t) => t !== ''));
  let i = 0;
  const peek = () => toks[i];
  const portOf = (s: string | undefined, p: string): number | null => {
    if (s === undefined) return null;
    const t = s.startsWith(':') ? s.slice(1) : s;
    if (/^\d+$/.test(t)) return Number(t);
    return servicePort(t, p) ?? servicePort(t, 'tcp') ?? null;
  };
  const cmp = (op: string): ((a: number, b: number) => boolean) | null => {
    if (['=', '==', 'eq'].includes(op)) return (a, b) => a === b;
    if (['!=', 'ne', 'neq'].includes(op)) return (a, b) => a !== b;
    if (['>', 'gt'].includes(op)) return (a, b) => a > b;
    if (['<', 'lt'].includes(op)) return (a, b) => a < b;
    if (['>=', 'ge', 'geq'].includes(op)) return (a, b) => a >= b;
    if (['<=', 'le', 'leq'].includes(op)) return (a, b) => a <= b;
    return null;
  };
  const hostCond = (spec: string, local: boolean): Pred | null => {
    const m = /^(.*?)(?::([^:]*))?$/.exec(spec)!;
    const host = m[1] ?? '';
    const addr = host === '' || host === '*' ? null : parseIpv4(host);
    if (host !== '' && host !== '*' && addr === null) return null;
    const port = m[2] === undefined || m[2] === '*' ? null : portOf(m[2], 'tcp');
    if (m[2] !== undefined && m[2] !== '*' && port === null) return null;
    return (r) => (addr === null || (local ? r.localAddr : r.peerAddr) === addr) && (port === null || (local ? r.localPort : r.peerPort) === port);
  };
  const term = (): Pred | null => {
    const t = toks[i++];
    if (t === undefined) return null;
    if (t === '(') {
      const e = expr();
      if (toks[i++] !== ')') return null;
      return e;
    }
    if (t === '!' || t === 'not') {
      const e = term();
      return e && ((r) => !e(r));
    }
    if (t === 'sport' || t === 'dport') {
      let op = '=';
      if (peek() !== undefined && cmp(peek()!)) op = toks[i++]!;
      const v = toks[i++];
      const f = cmp(op)!;
      const local = t === 'sport';
      return (r) => {
        const p = portOf(v, proto(r));
        return p !== null && f(local ? r.localPort : r.peerPort, p);
      };
    }
    if (t === 'src' || t === 'dst') {
      if (peek() === '=' || peek() === '==') i++;
      const v = toks[i++];
      return v === undefined ? null : hostCond(v, t === 'src');
    }
    return null;
  };
  const andExpr = (): Pred | null => {
    let left = term();
    while (left && peek() !== undefined && peek() !== ')' && peek() !== 'or' && peek() !== '||') {
      if (peek() === 'and' || peek() === '&&') i++;
      const right = term();
      if (!right) return null;
      const l = left;
      left = (r) => l(r) && right(r);
    }
    return left;
  };
  const expr = (): Pred | null => {
    let left = andExpr();
    while (left && (peek() === 'or' || peek() === '||')) {
      i++;
      const right = andExpr();
      if (!right) return null;
      const l = left;
      left = (r) => l(r) || right(r);
    }
    return left;
  };
  const e = expr();
  return e && i === toks.length ? e : null;
}

// ---------------------------------------------------------------- the column renderer

type Align = 'left' | 'right';
interface Column {
  align: Align;
  header: string;
  ldelim: string;
  disabled: boolean;
}

const COL_NETID = 0;
const COL_STATE = 1;
const COL_EXT = 8;

function columns(): Column[] {
  return [
    { align: 'left', header: 'Netid', ldelim: '', disabled: false },
    { align: 'left', header: 'State', ldelim: ' ', disabled: false },
    { align: 'left', header: 'Recv-Q', ldelim: ' ', disabled: false },
    { align: 'left', header: 'Send-Q', ldelim: ' ', disabled: false },
    { align: 'right', header: 'Local Address:', ldelim: ' ', disabled: false },
    { align: 'left', header: 'Port', ldelim: '', disabled: false },
    { align: 'right', header: 'Peer Address:', ldelim: ' ', disabled: false },
    { align: 'left', header: 'Port', ldelim: '', disabled: false },
    { align: 'left', header: 'Process', ldelim: '', disabled: false },
    { align: 'left', header: '', ldelim: '', disabled: false },
  ];
}

/**
 * ss.c render_calc_width() + render() for a non-tty stdout (compact_output): each column is as
 * wide as its widest field plus its left delimiter; right-aligned columns pad on the left.
 * A field's length is measured when it is flushed (field_flush), and the field being written when
 * render() runs never is: so the last line's fields from `unflushedFrom` on do not widen their
 * columns (that is why a lone LISTEN row's users:(...) leaves the "Process" header unpadded).
 */
function renderColumns(cols: Column[], lines: string[][], unflushedFrom = cols.length): string {
  const live = cols.map((c, i) => ({ ...c, i })).filter((c) => !c.disabled);
  const width = new Map<number, number>();
  let first = true;
  const last = lines.length - 1;
  for (const c of live) {
    const maxLen = Math.max(0, ...lines.map((l, n) => (n === last && c.i >= unflushedFrom ? 0 : (l[c.i] ?? '').length)));
    const w = !first && maxLen ? maxLen + c.ldelim.length : maxLen;
    width.set(c.i, w);
    if (w) first = false;
  }
  let text = '';
  for (const line of lines) {
    let started = false;
    for (const c of live) {
      const w = width.get(c.i)!;
      const field = line[c.i] ?? '';
      let printed = 0;
      if (started) {
        text += c.ldelim;
        printed = c.ldelim.length;
      }
      started = true;
      if (w && c.align === 'right') {
        const s = w - field.length - printed;
        if (s > 0) {
          text += ' '.repeat(s);
          printed += s;
        }
      }
      text += field;
      printed += field.length;
      if (w && c.align === 'left' && w - printed > 0) text += ' '.repeat(w - printed);
    }
    text += '\n';
  }
  return text;
}

/** print_ms_timer(): 57sec, 880ms, 1.916ms (sic: seconds "." milliseconds "ms"), 1min5sec. */
export function msTimer(timeoutMs: number): string {
  let secs = Math.floor(timeoutMs / 1000);
  const minutes = Math.floor(secs / 60);
  secs %= 60;
  let msecs = timeoutMs % 1000;
  let buf = '';
  if (minutes) {
    msecs = 0;
    buf = `${minutes}min`;
    if (minutes > 9) secs = 0;
  }
  if (secs) {
    if (secs > 9) msecs = 0;
    buf += `${secs}${msecs ? '.' : 'sec'}`;
  }
  if (msecs) buf += `${String(msecs).padStart(3, '0')}ms`;
  return buf;
}

/** users:(("python3",pid=30691,fd=3),("python3",pid=30565,fd=3)): /proc is scanned in pid order and
 * each hit is pushed on the front of a hash chain, so the last found (highest pid, fd) prints first. */
function usersField(r: SocketRow): string {
  if (!r.inode || r.owners.length === 0) return '';
  const owners = [...r.owners].sort((a, b) => b.pid - a.pid || b.fd - a.fd);
  return ` users:(${owners.map((o) => `("${o.name.slice(0, 15)}",pid=${o.pid},fd=${o.fd})`).join(',')})`;
}

function ssState(s: SocketStateName): number {
  return SS[s] ?? 0;
}

function netid(r: SocketRow): string {
  if (r.proto === 'unix') return r.state === 'UNCONN' ? 'u_dgr' : 'u_str';
  return r.proto;
}

function dbOf(r: SocketRow): Db | null {
  if (r.proto === 'tcp') return 'tcp';
  if (r.proto === 'udp') return 'udp';
  if (r.proto === 'unix') return r.state === 'UNCONN' ? 'unix_dg' : 'unix_st';
  return null; // ICMP "ping" sockets are not in any sock_diag table
}

/** Linux dumps TCP listeners (listening hash) before the established hash; order within is the kernel's. */
function dumpOrder(rows: SocketRow[]): SocketRow[] {
  const rank = (r: SocketRow) => (r.proto === 'unix' ? 0 : r.proto === 'udp' ? 2 : r.proto === 'tcp' ? (r.state === 'LISTEN' ? 3 : 4) : 1);
  return rows.map((r, i) => ({ r, i })).sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i).map((x) => x.r);
}

const USAGE = `Usage: ss [ OPTIONS ]
       ss [ OPTIONS ] [ FILTER ]
   -h, --help          this message
   -V, --version       output version information
   -n, --numeric       don't resolve service names
   -r, --resolve       resolve host names
   -a, --all           display all sockets
   -l, --listening     display listening sockets
   -o, --options       show timer information
   -e, --extended      show detailed socket information
   -p, --processes     show process using socket
   -s, --summary       show socket usage summary
   -4, --ipv4          display only IP version 4 sockets
   -6, --ipv6          display only IP version 6 sockets
   -t, --tcp           display only TCP sockets
   -u, --udp           display only UDP sockets
   -w, --raw           display only RAW sockets
   -x, --unix          display only Unix domain sockets
   -f, --family=FAMILY display sockets of type FAMILY
       FAMILY := {inet|inet6|link|unix|netlink|help}
   -H, --no-header     Suppress header line
   -A, --query=QUERY, --socket=QUERY
       QUERY := {all|inet|tcp|udp|raw|unix|unix_dgram|unix_stream|unix_seqpacket|packet|netlink}[,QUERY]
       FILTER := [ state STATE-FILTER ] [ EXPRESSION ]
       STATE-FILTER := {all|connected|synchronized|bucket|big|TCP-STATES}
         TCP-STATES := {established|syn-sent|syn-recv|fin-wait-{1,2}|time-wait|closed|close-wait|last-ack|listening|closing}
       EXPRESSION := { sport|dport OP [:]PORT | src|dst ADDR[:PORT] } joined by and/or/not, ( )
`;

const LONGS: Record<string, LongOpt> = Object.fromEntries(
  (
    [
      ['numeric', 'n'], ['resolve', 'r'], ['options', 'o'], ['extended', 'e'], ['processes', 'p'], ['tcp', 't'], ['udp', 'u'],
      ['raw', 'w'], ['unix', 'x'], ['all', 'a'], ['listening', 'l'], ['ipv4', '4'], ['ipv6', '6'], ['summary', 's'],
      ['version', 'V'], ['help', 'h'], ['no-header', 'H'],
    ] as const
  ).map(([l, k]) => [l, { key: k, arg: 'none' as const }]),
);
LONGS.family = { key: 'f', arg: 'required' };
LONGS.query = { key: 'A', arg: 'required' };
LONGS.socket = { key: 'A', arg: 'required' };

interface Options {
  numeric: boolean;
  users: boolean;
  timers: boolean;
  details: boolean;
  header: boolean;
  summary: boolean;
  /** `ss -s` alone: the summary and nothing else (do_default still set, no filter words). */
  summaryOnly: boolean;
  filter: Filter;
  pred: Pred | null;
}

function parseArgs(argv: string[]): Options | { error: string; status: number; toStdout?: boolean } {
  const g = getopt('ss', argv, 'dhaletuwxnro460spbEf:mMiA:D:F:vVzZN:KHSO', LONGS);
  if ('error' in g) return { error: g.error + USAGE, status: 255 };
  const f = new Filter();
  const o: Options = { numeric: false, users: false, timers: false, details: false, header: true, summary: false, summaryOnly: false, filter: f, pred: null };
  let stateFilter = 0;
  let sawQuery = false;
  for (const { key, value } of g.opts) {
    switch (key) {
      case 'n':
        o.numeric = true;
        break;
      case 'r':
        break; // host names: the lab has no resolver, so addresses stay numeric
      case 'o':
        o.timers = true;
        break;
      case 'e':
        o.timers = true;
        o.details = true;
        break;
      case 'p':
        o.users = true;
        break;
      case 't':
        f.dbSet('tcp', true);
        break;
      case 'u':
        f.dbSet('udp', true);
        break;
      case 'w':
        f.dbSet('raw', true);
        break;
      case 'd':
        f.dbSet('dccp', true);
        break;
      case 'S':
        f.dbSet('sctp', true);
        break;
      case 'M':
        f.dbSet('mptcp', true);
        break;
      case 'x':
        f.afSet('unix');
        break;
      case 'a':
        stateFilter = SS_ALL;
        break;
      case 'l':
        stateFilter = bit(SS.LISTEN!) | bit(SS.CLOSE!);
        break;
      case '4':
        f.afSet('inet');
        break;
      case '6':
        f.afSet('inet6');
        break;
      case '0':
        f.afSet('packet');
        break;
      case 's':
        o.summary = true;
        break;
      case 'H':
        o.header = false;
        break;
      case 'f': {
        const fams: Record<string, Af> = { inet: 'inet', inet6: 'inet6', link: 'packet', unix: 'unix', netlink: 'netlink', vsock: 'vsock', tipc: 'tipc', xdp: 'xdp' };
        if (value === 'help') return { error: USAGE, status: 0, toStdout: true };
        const af = fams[value!];
        if (!af) return { error: `ss: "${value}" is invalid family\n${USAGE}`, status: 255 };
        f.afSet(af);
        break;
      }
      case 'A': {
        if (!sawQuery) {
          f.dbs.clear();
          stateFilter = stateFilter || SS_CONN;
          sawQuery = true;
          f.doDefault = false;
        }
        for (const name of value!.split(',')) {
          const enable = !name.startsWith('!');
          const dbs = DB_NAMES[enable ? name : name.slice(1)];
          if (!dbs) return { error: `ss: "${name}" is illegal socket table id\n${USAGE}`, status: 255 };
          for (const d of dbs) f.dbSet(d, enable);
        }
        break;
      }
      case 'v':
      case 'V':
        return { error: 'ss utility, iproute2-6.18.0\n', status: 0, toStdout: true };
      case 'h':
        return { error: USAGE, status: 0, toStdout: true };
      case 'Z':
      case 'z':
        return { error: 'ss: SELinux is not enabled.\n', status: 1 };
      default:
        break; // -m -i -b -E -K -O -D -F -N: accepted, nothing the lab shows for them
    }
  }
  const rest = g.args;
  let sawStates = false;
  while (rest.length && (rest[0] === 'state' || rest[0] === 'exclude' || rest[0] === 'excl')) {
    const word = rest.shift()!;
    const name = rest.shift();
    if (name === undefined) return { error: `ss: missing argument\n${USAGE}`, status: 255 }; // NEXT_ARG()
    const s = scanState(name);
    if (s === undefined) return { error: `ss: wrong state name: ${name}\n`, status: 255 };
    if (word === 'state') {
      if (!sawStates) stateFilter = 0;
      stateFilter |= s;
    } else {
      if (!sawStates) stateFilter = SS_ALL;
      stateFilter &= ~s;
    }
    sawStates = true;
  }
  o.summaryOnly = o.summary && f.doDefault && rest.length === 0;
  if (f.doDefault) {
    stateFilter = stateFilter || SS_CONN;
    for (const d of DB_NAMES.all!) f.dbSet(d, true);
  }
  if (stateFilter) f.states = stateFilter;
  f.mergeDefaults();
  if (rest.length) {
    o.pred = parseExpression(rest, (r) => r.proto);
    if (!o.pred) return { error: `ss: bison bellows (while parsing filter): "syntax error!"${USAGE}`, status: 255 };
  }
  return o;
}

function* summary(rows: SocketRow[]): Sys<void> {
  const tcp = rows.filter((r) => r.proto === 'tcp');
  const tw = tcp.filter((r) => r.kind === 'timewait').length;
  const tcpSocks = tcp.filter((r) => r.kind === 'socket');
  const hashed = tcpSocks.filter((r) => r.state !== 'CLOSE').length;
  const estab = tcpSocks.filter((r) => r.state === 'ESTABLISHED' || r.state === 'CLOSE_WAIT').length;
  const orphans = tcpSocks.filter((r) => r.owners.length === 0 && r.state !== 'LISTEN' && !r.queued).length;
  const udp = rows.filter((r) => r.proto === 'udp').length;
  const raw = 0;
  const total = rows.filter((r) => r.inode).length;
  const line = (name: string, n: number) => `${name}\t  ${String(n).padEnd(9)} ${String(n).padEnd(9)} ${'0'.padEnd(9)}\n`;
  yield* out(
    `Total: ${total}\n` +
      `TCP:   ${tcpSocks.length + tw} (estab ${estab}, closed ${tcpSocks.length - hashed}, orphaned ${orphans}, timewait ${tw})\n\n` +
      'Transport Total     IP        IPv6\n' +
      line('RAW', raw) +
      line('UDP', udp) +
      line('TCP', hashed) +
      line('INET', raw + udp + hashed) +
      line('FRAG', 0) +
      '\n',
  );
}

export function* ss(argv: string[]): Sys<number> {
  const o = parseArgs(argv);
  if ('error' in o) {
    if (o.toStdout) yield* out(o.error);
    else yield* err(o.error);
    return o.status;
  }
  const all = yield* socketRows();
  if (o.summary) {
    yield* summary(all);
    if (o.summaryOnly) return 0;
  }
  const f = o.filter;
  if (f.dbs.size === 0) {
    yield* err('ss: no socket tables to show with such filter.\n');
    return 0;
  }
  if (f.families.size === 0) {
    yield* err('ss: no families to show with such filter.\n');
    return 0;
  }
  if (f.states === 0) {
    yield* err('ss: no socket states to show with such filter.\n');
    return 0;
  }
  const cols = columns();
  cols[COL_NETID]!.disabled = f.dbs.size <= 1;
  cols[COL_STATE]!.disabled = (f.states & (f.states - 1)) === 0;
  const eph = o.numeric ? ([0, -1] as [number, number]) : yield* ephemeralRange();
  const now = o.timers ? yield* sys.now() : 0;
  const port = (p: number, proto: string) => {
    if (p === 0) return '*';
    if (o.numeric || (p >= eph[0] && p <= eph[1])) return String(p);
    return serviceName(p, proto) ?? String(p);
  };
  const lines: string[][] = [];
  if (o.header) lines.push(cols.map((c, i) => (i === cols.length - 1 ? '' : c.header)));
  for (const r of dumpOrder(all)) {
    const db = dbOf(r);
    if (!db || !f.dbs.has(db)) continue;
    const fam: Af = r.proto === 'unix' ? 'unix' : 'inet';
    if (!f.families.has(fam)) continue;
    if (r.proto === 'tcp' && r.state === 'CLOSE') continue; // not in any hash table inet_diag dumps
    const st = ssState(r.state);
    if (!(f.states & bit(st))) continue;
    if (o.pred && !o.pred(r)) continue;
    const line = Array<string>(cols.length).fill('');
    line[0] = netid(r);
    line[1] = STATE_NAME[st] ?? 'UNKNOWN';
    line[2] = String(r.recvQ).padEnd(6);
    line[3] = String(r.sendQ).padEnd(6);
    if (r.proto === 'unix') {
      line[4] = '* ';
      line[5] = String(r.inode);
      line[6] = '* ';
      line[7] = String(r.peerPort);
    } else {
      line[4] = `${formatIpv4(r.localAddr)}:`;
      line[5] = port(r.localPort, r.proto);
      line[6] = `${formatIpv4(r.peerAddr)}:`;
      line[7] = port(r.peerPort, r.proto);
    }
    let ext = o.users ? usersField(r) : '';
    if (o.timers && r.proto === 'tcp' && r.timer) {
      const ms = Math.max(0, Math.floor((r.timer.expiresNs - now) / 1e6));
      ext += ` timer:(${r.timer.kind},${msTimer(ms)},${r.timer.retransmits})`;
    }
    if (o.details) ext += ` ino:${r.inode} sk:${r.inode.toString(16)}`;
    line[COL_EXT] = ext;
    lines.push(line);
  }
  // After the last socket, the field being written is the one after the peer port (COL_EXT).
  const sockets = lines.length - (o.header ? 1 : 0);
  if (lines.length) yield* out(renderColumns(cols, lines, sockets > 0 ? COL_EXT : cols.length));
  return 0;
}

/** For other tools: is a fetched row list usable (the kernel may not have sockets yet)? */
export function* socketRows(): Sys<SocketRow[]> {
  const rows = yield* sys.netlink<SocketRow[] | undefined>('sockets');
  return Array.isArray(rows) ? rows : [];
}

