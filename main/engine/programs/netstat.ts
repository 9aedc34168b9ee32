// netstat (net-tools 2.10 netstat.c + statistics.c): the classic socket table from /proc/net/tcp,
// udp and unix, `-s` statistics from /proc/net/snmp and /proc/net/netstat with net-tools' sentences,
// and `-r` the routing table. Formats are the printf formats of net-tools; -p names the *first*
// process found for a socket (lowest pid, as the /proc scan keeps the first), unlike ss.
//
// Host names are never resolved (the lab has no reverse DNS), so -n only changes ports and users;
// 0.0.0.0 prints as 0.0.0.0 like modern net-tools.
import type { SocketRow } from '../../../shared/api/kernel-view';
import { formatIpv4, prefixMask } from '../../../shared/wire';
import type { RouteInfo } from '../net/netlink';
import { sys, type Sys } from '../process';
import { Counters, readCounters } from './nstat';
import { processRows } from './ps';
import { getopt, type LongOpt } from './getopt';
import { serviceName } from './services';
import { socketRows } from './ss';
import { err, out } from './stdio';

const USAGE = `usage: netstat [-vWeenNcCF] [<Af>] -r         netstat {-V|--version|-h|--help}
       netstat [-vWnNcaeol] [<Socket> ...]
       netstat { [-vWeenNac] -i | [-cnNe] -M | -s [-6tuw] }

        -r, --route              display routing table
        -i, --interfaces         display interface table
        -g, --groups             display multicast group memberships
        -s, --statistics         display networking statistics (like SNMP)

        -v, --verbose            be verbose
        -W, --wide               don't truncate IP addresses
        -n, --numeric            don't resolve names
        --numeric-hosts          don't resolve host names
        --numeric-ports          don't resolve port names
        --numeric-users          don't resolve user names
        -N, --symbolic           resolve hardware names
        -e, --extend             display other/more information
        -p, --programs           display PID/Program name for sockets
        -o, --timers             display timers
        -c, --continuous         continuous listing

        -l, --listening          display listening server sockets
        -a, --all                display all sockets (default: connected)
        -F, --fib                display Forwarding Information Base (default)
        -C, --cache              display routing cache instead of FIB

  <Socket>={-t|--tcp} {-u|--udp} {-U|--udplite} {-S|--sctp} {-w|--raw}
           {-x|--unix} --ax25 --ipx --netrom
  <AF>=Use '-6|-4' or '-A <af>' or '--<af>'; default: inet
  List of possible address families (which support routing):
    inet (DARPA Internet)
`;

const LONGS: Record<string, LongOpt> = {
  version: { key: 'V', arg: 'none' }, interfaces: { key: 'i', arg: 'none' }, help: { key: 'h', arg: 'none' }, route: { key: 'r', arg: 'none' },
  protocol: { key: 'A', arg: 'required' }, tcp: { key: 't', arg: 'none' }, sctp: { key: 'S', arg: 'none' }, udp: { key: 'u', arg: 'none' },
  udplite: { key: 'U', arg: 'none' }, raw: { key: 'w', arg: 'none' }, unix: { key: 'x', arg: 'none' }, listening: { key: 'l', arg: 'none' },
  all: { key: 'a', arg: 'none' }, timers: { key: 'o', arg: 'none' }, continuous: { key: 'c', arg: 'none' }, extend: { key: 'e', arg: 'none' },
  programs: { key: 'p', arg: 'none' }, verbose: { key: 'v', arg: 'none' }, statistics: { key: 's', arg: 'none' }, wide: { key: 'W', arg: 'none' },
  numeric: { key: 'n', arg: 'none' }, 'numeric-hosts': { key: '!', arg: 'none' }, 'numeric-ports': { key: '@', arg: 'none' },
  'numeric-users': { key: '#', arg: 'none' }, symbolic: { key: 'N', arg: 'none' }, cache: { key: 'C', arg: 'none' }, fib: { key: 'F', arg: 'none' },
  groups: { key: 'g', arg: 'none' }, context: { key: 'Z', arg: 'none' }, inet: { key: '4', arg: 'none' }, inet6: { key: '6', arg: 'none' },
};

interface Flags {
  all: boolean;
  lst: boolean;
  prg: boolean;
  exp: number;
  opt: boolean;
  numPort: boolean;
  numUser: boolean;
  tcp: boolean;
  udp: boolean;
  raw: boolean;
  unx: boolean;
  inet: boolean;
  sta: boolean;
  rou: boolean;
  int: boolean;
}

// ---------------------------------------------------------------- netstat -s (statistics.c)

type Kind = 'number' | 'opt' | 'forward' | 'in' | 'outp' | 'rto';
interface Entry {
  title: string;
  out: string;
  type: Kind;
  static?: boolean;
}
const e = (title: string, out: string, type: Kind = 'number', isStatic = false): Entry => ({ title, out, type, static: isStatic });

/** statistics.c's tables, in their source order: bsearch() over them with strcmp(), exactly as netstat does
 * (which is why "Forwarding" is never found and prints as "Forwarding: 2"). */
const TABLES: Record<string, Entry[]> = {
  Ip: [
    e('DefaultTTL', 'Default TTL is %llu', 'number', true), e('Forwarding', 'Forwarding is %s', 'forward', true), e('ForwDatagrams', '%llu forwarded'),
    e('FragCreates', '%llu fragments created', 'opt'), e('FragFails', '%llu fragments failed', 'opt'), e('FragOKs', '%llu fragments received ok', 'opt'),
    e('InAddrErrors', '%llu with invalid addresses', 'opt'), e('InDelivers', '%llu incoming packets delivered'), e('InDiscards', '%llu incoming packets discarded'),
    e('InHdrErrors', '%llu with invalid headers', 'opt'), e('InReceives', '%llu total packets received'), e('InUnknownProtos', '%llu with unknown protocol', 'opt'),
    e('OutDiscards', '%llu outgoing packets dropped', 'opt'), e('OutNoRoutes', '%llu dropped because of missing route', 'opt'), e('OutRequests', '%llu requests sent out'),
    e('ReasmFails', '%llu packet reassemblies failed', 'opt'), e('ReasmOKs', '%llu packets reassembled ok', 'opt'), e('ReasmReqds', '%llu reassemblies required', 'opt'),
    e('ReasmTimeout', '%llu fragments dropped after timeout', 'opt'),
  ],
  Icmp: [
    e('InAddrMaskReps', 'address mask replies: %llu', 'in'), e('InAddrMasks', 'address mask request: %llu', 'in'), e('InDestUnreachs', 'destination unreachable: %llu', 'in'),
    e('InEchoReps', 'echo replies: %llu', 'in'), e('InEchos', 'echo requests: %llu', 'in'), e('InErrors', '%llu input ICMP message failed'), e('InMsgs', '%llu ICMP messages received'),
    e('InParmProbs', 'wrong parameters: %llu', 'in'), e('InRedirects', 'redirects: %llu', 'in'), e('InSrcQuenchs', 'source quenches: %llu', 'in'),
    e('InTimeExcds', 'timeout in transit: %llu', 'in'), e('InTimestampReps', 'timestamp reply: %llu', 'in'), e('InTimestamps', 'timestamp request: %llu', 'in'),
    e('OutAddrMaskReps', 'address mask replies: %llu', 'outp'), e('OutAddrMasks', 'address mask requests: %llu', 'outp'),
    e('OutDestUnreachs', 'destination unreachable: %llu', 'outp'), e('OutEchoReps', 'echo replies: %llu', 'outp'), e('OutEchos', 'echo requests: %llu', 'outp'),
    e('OutErrors', '%llu ICMP messages failed'), e('OutMsgs', '%llu ICMP messages sent'), e('OutParmProbs', 'wrong parameters: %llu', 'outp'),
    e('OutRedirects', 'redirect: %llu', 'outp'), e('OutSrcQuenchs', 'source quench: %llu', 'outp'), e('OutTimeExcds', 'time exceeded: %llu', 'outp'),
    e('OutTimestampReps', 'timestamp replies: %llu', 'outp'), e('OutTimestamps', 'timestamp requests: %llu', 'outp'),
  ],
  Tcp: [
    e('ActiveOpens', '%llu active connection openings'), e('AttemptFails', '%llu failed connection attempts'), e('CurrEstab', '%llu connections established'),
    e('EstabResets', '%llu connection resets received'), e('InErrs', '%llu bad segments received'), e('InSegs', '%llu segments received'), e('MaxConn', ''),
    e('OutRsts', '%llu resets sent'), e('OutSegs', '%llu segments sent out'), e('PassiveOpens', '%llu passive connection openings'),
    e('RetransSegs', '%llu segments retransmitted'), e('RtoAlgorithm', 'RTO algorithm is %s', 'rto', true), e('RtoMax', ''), e('RtoMin', ''),
  ],
  Udp: [
    e('InDatagrams', '%llu packets received'), e('InErrors', '%llu packet receive errors'), e('NoPorts', '%llu packets to unknown port received'),
    e('OutDatagrams', '%llu packets sent'), e('RcvbufErrors', '%llu receive buffer errors'), e('SndbufErrors', '%llu send buffer errors'),
  ],
  TcpExt: [
    ['DelayedACKLocked', '%llu delayed acks further delayed because of locked socket'], ['DelayedACKLost', 'Quick ack mode was activated %llu times'],
    ['DelayedACKs', '%llu delayed acks sent'], ['EmbryonicRsts', '%llu resets received for embryonic SYN_RECV sockets'], ['ListenDrops', '%llu SYNs to LISTEN sockets dropped'],
    ['ListenOverflows', '%llu times the listen queue of a socket overflowed'], ['LockDroppedIcmps', '%llu ICMP packets dropped because socket was locked'],
    ['OfoPruned', '%llu packets dropped from out-of-order queue because of socket buffer overrun'], ['OutOfWindowIcmps', '%llu ICMP packets dropped because they were out-of-window'],
    ['PAWSActive', '%llu active connections rejected because of time stamp'], ['PAWSEstab', '%llu packetes rejected in established connections because of timestamp'],
    ['PAWSPassive', '%llu passive connections rejected because of time stamp'], ['PruneCalled', '%llu packets pruned from receive queue because of socket buffer overrun'],
    ['RcvPruned', '%llu packets pruned from receive queue'], ['SockMallocOOM', 'Ran %llu times out of system memory during packet sending'],
    ['SyncookiesFailed', '%llu invalid SYN cookies received'], ['SyncookiesRecv', '%llu SYN cookies received'], ['SyncookiesSent', '%llu SYN cookies sent'],
    ['TCPAbortFailed', '%llu times unable to send RST due to no memory'], ['TCPAbortOnClose', '%llu connections reset due to early user close'],
    ['TCPAbortOnData', '%llu connections reset due to unexpected data'], ['TCPAbortOnLinger', '%llu connections aborted after user close in linger timeout'],
    ['TCPAbortOnMemory', '%llu connections aborted due to memory pressure'], ['TCPAbortOnSyn', '%llu connections reset due to unexpected SYN'],
    ['TCPAbortOnTimeout', '%llu connections aborted due to timeout'], ['TCPDirectCopyFromBacklog', '%llu bytes directly in process context from backlog'],
    ['TCPDirectCopyFromPrequeue', '%llu bytes directly received in process context from prequeue'], ['TCPDSACKOfoRecv', '%llu DSACKs for out of order packets received'],
    ['TCPDSACKOfoSent', '%llu DSACKs sent for out of order packets'], ['TCPDSACKOldSent', '%llu DSACKs sent for old packets'], ['TCPDSACKRecv', '%llu DSACKs received'],
    ['TCPDSackUndo', '%llu congestion window recovered without slow start using DSACK'], ['TCPDSACKUndo', '%llu congestion windows recovered without slow start by DSACK'],
    ['TCPFACKReorder', 'Detected reordering %llu times using FACK'], ['TCPFastRetrans', '%llu fast retransmits'], ['TCPForwardRetrans', '%llu forward retransmits'],
    ['TCPFullUndo', '%llu congestion windows fully recovered without slow start'], ['TCPHPAcks', '%llu predicted acknowledgments'],
    ['TCPHPHits', '%llu packet headers predicted', 'number'], ['TCPHPHitsToUser', '%llu packet headers predicted and directly queued to user'],
    ['TCPLossFailures', '%llu timeouts in loss state'], ['TCPLoss', '%llu TCP data loss events'], ['TCPLossUndo', '%llu congestion windows recovered without slow start after partial ack'],
    ['TCPLostRetransmits', '%llu retransmits lost'], ['TCPMemoryPressures', 'TCP ran low on memory %llu times'],
    ['TCPPartialUndo', '%llu congestion windows partially recovered using Hoe heuristic'], ['TCPPrequeued', '%llu packets directly queued to recvmsg prequeue'],
    ['TCPPrequeueDropped', '%llu packets dropped from prequeue'], ['TCPPureAcks', '%llu acknowledgments not containing data payload received'],
    ['TCPRcvCollapsed', '%llu packets collapsed in receive queue due to low socket buffer'], ['TCPRenoFailures', '%llu timeouts after reno fast retransmit'],
    ['TCPRenoRecoveryFailed', '%llu reno fast retransmits failed'], ['TCPRenoRecoveryFail', '%llu classic Reno fast retransmits failed'],
    ['TCPRenoRecovery', '%llu times recovered from packet loss due to fast retransmit'], ['TCPRenoReorder', 'Detected reordering %llu times using reno fast retransmit'],
    ['TCPSackFailures', '%llu timeouts after SACK recovery'], ['TCPSackRecoveryFail', '%llu SACK retransmits failed'],
    ['TCPSackRecovery', '%llu times recovered from packet loss by selective acknowledgements'], ['TCPSACKReneging', '%llu bad SACK blocks received'],
    ['TCPSACKReorder', 'Detected reordering %llu times using SACK'], ['TCPSchedulerFailed', '%llu times receiver scheduled too late for direct processing'],
    ['TCPSlowStartRetrans', '%llu retransmits in slow start'], ['TCPTimeouts', '%llu other TCP timeouts'], ['TCPTSReorder', 'Detected reordering %llu times using time stamp'],
    ['TWKilled', '%llu TCP sockets finished time wait in slow timer'], ['TW', '%llu TCP sockets finished time wait in fast timer'],
    ['TWRecycled', '%llu time wait sockets recycled by time stamp'],
  ].map(([t, o, k]) => e(t!, o!, (k as Kind | undefined) ?? 'opt')),
};

/** Which -s flag shows a known table (f_raw, f_tcp, f_udp); unknown tables always show. */
const TABLE_FLAG: Record<string, 'raw' | 'tcp' | 'udp'> = { Ip: 'raw', Icmp: 'raw', Tcp: 'tcp', Udp: 'udp', TcpExt: 'tcp' };

/** C strcmp on ASCII names. */
const strcmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** glibc bsearch(): the table is not quite sorted, and that shows. */
function bsearch(tab: Entry[], key: string): Entry | undefined {
  let l = 0;
  let u = tab.length;
  while (l < u) {
    const idx = (l + u) >> 1;
    const c = strcmp(key, tab[idx]!.title);
    if (c < 0) u = idx;
    else if (c > 0) l = idx + 1;
    else return tab[idx];
  }
  return undefined;
}

const INDENT: Record<Kind, number> = { number: 4, opt: 4, forward: 4, in: 8, outp: 8, rto: 4 };
const HIST_TITLE: Partial<Record<Kind, string>> = { in: 'ICMP input histogram:', outp: 'ICMP output histogram:' };

/** statistics.c process_fd()/printval() over our counters laid out like /proc/net/snmp + netstat. */
export function statistics(c: Counters, show: { raw: boolean; tcp: boolean; udp: boolean }, staticVals: Record<string, number>): string {
  let text = '';
  let state: Kind = 'number';
  const pad = (n: number) => ' '.repeat(n);
  const value = (group: string, field: string) => (c.has(group, field) ? c.get(group, field) : (staticVals[`${group}.${field}`] ?? 0));
  for (const group of ['Ip', 'Icmp', 'IcmpMsg', 'Tcp', 'Udp', 'UdpLite', 'TcpExt', 'IpExt', 'MPTcpExt']) {
    const fields = c.fields(group);
    if (group === 'IcmpMsg' && fields.length === 0) continue; // the kernel prints no IcmpMsg lines then
    const tab = TABLES[group];
    const flag = TABLE_FLAG[group];
    const on = flag ? show[flag] : true;
    if (on) text += `${group}:\n`;
    if (tab) state = 'number'; // newtable() resets the state for known tables only
    if (!on) continue;
    for (const field of fields) {
      const val = value(group, field);
      const ent = tab ? bsearch(tab, field) : undefined;
      if (!ent) {
        if (val) text += `${pad(INDENT[state])}${field}: ${val}\n`;
        continue;
      }
      if (ent.static || ent.out === '') continue;
      let type = ent.type;
      if (HIST_TITLE[type] && state !== type) text += `${pad(INDENT[state])}${HIST_TITLE[type]}\n`;
      let buf = '';
      if (type === 'number' || (type === 'opt' && val !== 0)) buf = ent.out.replace('%llu', String(val));
      else if (type === 'forward') {
        type = 'number';
        buf = ent.out.replace('%s', val === 2 ? 'enabled' : 'disabled');
      } else if ((type === 'in' || type === 'outp') && val > 0) buf = ent.out.replace('%llu', String(val));
      if (buf) text += `${pad(INDENT[type])}${buf}\n`;
      state = type;
    }
  }
  return text;
}

// ---------------------------------------------------------------- the socket tables

const TIMER_NAME: Record<string, string> = { on: 'on', keepalive: 'keepalive', timewait: 'timewait', persist: 'probe' };

function* connections(f: Flags, flagArg: boolean): Sys<void> {
  const rows = yield* socketRows();
  const procs = f.prg ? yield* processRows() : [];
  const now = f.opt ? yield* sys.now() : 0;
  const hz = (ns: number) => (Math.max(0, ns) / 1e9).toFixed(2);
  const prog = (r: SocketRow): string => {
    if (!r.inode || r.owners.length === 0) return '-';
    const o = [...r.owners].sort((a, b) => a.pid - b.pid)[0]!;
    const p = procs.find((x) => x.pid === o.pid);
    const a0 = p?.argv[0] ?? o.name;
    const cmd = a0.startsWith('/') ? a0.slice(a0.lastIndexOf('/') + 1) : a0;
    return `${o.pid}/${cmd}`.slice(0, 19);
  };
  const addr = (a: number, port: number, proto: string) => `${formatIpv4(a)}:${port === 0 ? '*' : f.numPort ? port : (serviceName(port, proto) ?? port)}`;
  const finish = (r: SocketRow, timers: string) => {
    let s = '';
    if (f.exp > 1) s += ` ${(f.numUser ? '0' : 'root').padEnd(10)} ${String(r.inode).padEnd(10)}`;
    if (f.prg) s += ` ${prog(r).padEnd(20)}`;
    if (f.opt) s += ` ${timers}`;
    return s + '\n';
  };
  const inetShown = !flagArg || f.tcp || f.udp || f.raw;
  const order = (rs: SocketRow[]) => [...rs.filter((r) => r.state === 'LISTEN'), ...rs.filter((r) => r.state !== 'LISTEN')];
  let text = '';
  if (inetShown) {
    text += `Active Internet connections ${f.all ? '(servers and established)' : f.lst ? '(only servers)' : '(w/o servers)'}\n`;
    text += 'Proto Recv-Q Send-Q Local Address           Foreign Address         State      ';
    if (f.exp > 1) text += ' User       Inode     ';
    if (f.prg) text += ' PID/Program name    ';
    if (f.opt) text += ' Timer';
    text += '\n';
  }
  if (!flagArg || f.tcp) {
    for (const r of order(rows.filter((x) => x.proto === 'tcp' && x.state !== 'CLOSE'))) {
      if (!f.all && ((f.lst && r.peerPort) || (!f.lst && !r.peerPort))) continue;
      const l = addr(r.localAddr, r.localPort, 'tcp');
      const p = addr(r.peerAddr, r.peerPort, 'tcp');
      const t = r.timer;
      const timers = t ? `${TIMER_NAME[t.kind] ?? 'unkn-5'} (${hz(t.expiresNs - now)}/${t.kind === 'timewait' ? 0 : t.retransmits}/0)` : 'off (0.00/0/0)';
      // /proc/net/tcp: a listener's rx_queue is its accept queue and tx_queue 0 (ss shows the backlog).
      const sendQ = r.state === 'LISTEN' ? 0 : r.sendQ;
      text += `${'tcp'.padEnd(4)}  ${String(r.recvQ).padStart(6)} ${String(sendQ).padStart(6)} ${l.padEnd(23)} ${p.padEnd(23)} ${r.state.padEnd(11)}${finish(r, timers)}`;
    }
  }
  if (!flagArg || f.udp) {
    for (const r of rows.filter((x) => x.proto === 'udp')) {
      const connected = r.peerAddr !== 0;
      if (!(f.all || (connected && !f.lst) || (!connected && f.lst))) continue;
      const st = r.state === 'ESTABLISHED' ? 'ESTABLISHED' : r.state === 'UNCONN' || r.state === 'CLOSE' ? '' : 'UNKNOWN';
      text += `${'udp'.padEnd(5)} ${String(r.recvQ).padStart(6)} ${String(r.sendQ).padStart(6)} ${addr(r.localAddr, r.localPort, 'udp').padEnd(23)} ${addr(r.peerAddr, r.peerPort, 'udp').padEnd(23)} ${st.padEnd(11)}${finish(r, 'off (0.00/0/0)')}`;
    }
  }
  if (!flagArg || f.unx) {
    text += `Active UNIX domain sockets ${f.all ? '(servers and established)' : f.lst ? '(only servers)' : '(w/o servers)'}\n`;
    text += `Proto RefCnt Flags       Type       State         I-Node  ${f.prg ? ' PID/Program name    ' : ''} Path\n`;
    for (const r of rows.filter((x) => x.proto === 'unix')) {
      const listening = r.state === 'LISTEN';
      if (!f.all && listening !== f.lst) continue;
      const connected = r.state === 'ESTABLISHED';
      const flags = listening ? '[ ACC ]' : '[ ]';
      const st = listening ? 'LISTENING' : connected ? 'CONNECTED' : '';
      text += `${'unix'.padEnd(5)} ${String(connected ? 3 : 2).padEnd(6)} ${flags.padEnd(11)} ${(r.state === 'UNCONN' ? 'DGRAM' : 'STREAM').padEnd(10)} ${st.padEnd(13)} ${String(r.inode).padEnd(8)}${f.prg ? ` ${prog(r).padEnd(20)}` : ''} \n`;
    }
  }
  yield* out(text);
}

function* routes(numeric: boolean): Sys<void> {
  const rs = yield* sys.netlink<RouteInfo[] | undefined>('routes');
  let text = 'Kernel IP routing table\nDestination     Gateway         Genmask         Flags   MSS Window  irtt Iface\n';
  for (const r of Array.isArray(rs) ? rs : []) {
    const dst = r.prefix === 0 && !numeric ? 'default' : formatIpv4(r.dst);
    const gw = r.gateway !== undefined ? formatIpv4(r.gateway) : '0.0.0.0';
    const flags = 'U' + (r.gateway !== undefined ? 'G' : '') + (r.prefix === 32 ? 'H' : '');
    text += `${dst.padEnd(15)} ${gw.padEnd(15)} ${formatIpv4(prefixMask(r.prefix)).padEnd(16)}${flags.padEnd(6)}${'0'.padStart(5)} ${'0'.padEnd(6)} ${'0'.padStart(5)} ${r.dev}\n`;
  }
  yield* out(text);
}

export function* netstat(argv: string[]): Sys<number> {
  const g = getopt('netstat', argv, 'A:CFMacdeghilnNoprsStuUvVWwx64?Z', LONGS);
  if ('error' in g) {
    yield* err(g.error + USAGE);
    return 0; // net-tools: usage() exits with E_USAGE, which is EXIT_SUCCESS
  }
  const f: Flags = { all: false, lst: false, prg: false, exp: 1, opt: false, numPort: false, numUser: false, tcp: false, udp: false, raw: false, unx: false, inet: false, sta: false, rou: false, int: false };
  for (const { key, value } of g.opts) {
    switch (key) {
      case 'a': f.all = true; break;
      case 'l': f.lst = true; break;
      case 'p': f.prg = true; break;
      case 'e': f.exp++; break;
      case 'o': f.opt = true; break;
      case 'n': f.numPort = f.numUser = true; break;
      case '@': f.numPort = true; break;
      case '#': f.numUser = true; break;
      case 't': f.tcp = true; break;
      case 'u': f.udp = true; break;
      case 'w': f.raw = true; break;
      case 'x': f.unx = true; break;
      case '4': f.inet = true; break;
      case 's': f.sta = true; break;
      case 'r': f.rou = true; break;
      case 'i': f.int = true; break;
      case 'A':
        for (const af of value!.split(',')) {
          if (af === 'inet' || af === 'ip' || af === 'tcpip') f.inet = true;
          else if (af === 'unix') f.unx = true;
          else {
            yield* err(`netstat: unknown address family \`${af}'.\n`);
            return 1;
          }
        }
        break;
      case '6':
        yield* err("netstat: no support for `AF INET6' in this lab.\n");
        return 1;
      case 'V':
        yield* out('net-tools 2.10\nnetstat 2.10\n');
        return 0;
      case 'h':
      case '?':
        yield* err(USAGE);
        return 0;
      case 'Z':
        yield* err('SELinux is not enabled for this application.\n');
        return 1;
      default:
        break; // -c -C -F -g -M -N -v -W -S -U -d: accepted, nothing different in the lab
    }
  }
  if (Number(f.int) + Number(f.rou) + Number(f.sta) > 1) {
    yield* err(USAGE);
    return 0;
  }
  if ((f.inet || f.sta) && !(f.tcp || f.udp || f.raw)) f.tcp = f.udp = f.raw = true;
  if (f.sta) {
    const c = yield* readCounters();
    const fwd = yield* sys.sysctl('net.ipv4.ip_forward');
    const ttl = yield* sys.sysctl('net.ipv4.ip_default_ttl');
    const rows = yield* socketRows();
    const statics = {
      'Ip.Forwarding': fwd === '1' ? 1 : 2,
      'Ip.DefaultTTL': typeof ttl === 'string' && /^\d+$/.test(ttl.trim()) ? Number(ttl) : 64,
      'Tcp.RtoAlgorithm': 1,
      'Tcp.RtoMin': 200,
      'Tcp.RtoMax': 120000,
      'Tcp.MaxConn': -1,
      'Tcp.CurrEstab': rows.filter((r) => r.proto === 'tcp' && r.kind === 'socket' && (r.state === 'ESTABLISHED' || r.state === 'CLOSE_WAIT')).length,
    };
    yield* out(statistics(c, f, statics));
    return 0;
  }
  if (f.rou) {
    yield* routes(f.numPort);
    return 0;
  }
  if (f.int) {
    yield* err('netstat: the interface table is not available in this lab; use: ip -s link\n');
    return 1;
  }
  const flagArg = f.tcp || f.udp || f.raw || f.unx;
  yield* connections(f, flagArg);
  return 0;
}

