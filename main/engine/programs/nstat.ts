// nstat (iproute2 misc/nstat.c): the kernel's SNMP/MIB counters as nstat names them — the
// /proc/net/snmp group glued to the field (IpInReceives, TcpActiveOpens, IcmpMsgInType3...) and then
// /proc/net/netstat (TcpExtListenOverflows, IpExtInOctets...), in the kernel's own order.
//
// The lab keeps no history file between runs, so every run is what nstat prints on its first run
// (or with -a): absolute values since boot. The rate column is an average the nstat daemon keeps;
// there is none here, so it is always 0.0 (as in the linux-truth captures).
//
// Counter names from the kernel: nstat's own (TcpExtListenOverflows, UdpInErrors), or "Group.Field",
// or the bare MIB field (ListenOverflows, ActiveOpens; a field in two groups resolves in the order
// Tcp, TcpExt, Udp, Ip, Icmp, IpExt, UdpLite). A prefixed field Linux keeps in the other half of a
// pair moves there (IpInCsumErrors -> IpExtInCsumErrors); a field Linux does not have stays in the
// group its prefix names (TcpInSegsData); a bare unknown name is a TcpExt one (Linux's catch-all).
import { sys, type Sys } from '../process';
import { getopt } from './getopt';
import { err, out } from './stdio';

/** The groups of /proc/net/snmp then /proc/net/netstat, with their fields in the kernel's order (Linux 6.x). */
export const MIB: readonly (readonly [group: string, fields: readonly string[]])[] = [
  ['Ip', ['Forwarding', 'DefaultTTL', 'InReceives', 'InHdrErrors', 'InAddrErrors', 'ForwDatagrams', 'InUnknownProtos', 'InDiscards', 'InDelivers', 'OutRequests', 'OutDiscards', 'OutNoRoutes', 'ReasmTimeout', 'ReasmReqds', 'ReasmOKs', 'ReasmFails', 'FragOKs', 'FragFails', 'FragCreates', 'OutTransmits']],
  ['Icmp', ['InMsgs', 'InErrors', 'InCsumErrors', 'InDestUnreachs', 'InTimeExcds', 'InParmProbs', 'InSrcQuenchs', 'InRedirects', 'InEchos', 'InEchoReps', 'InTimestamps', 'InTimestampReps', 'InAddrMasks', 'InAddrMaskReps', 'OutMsgs', 'OutErrors', 'OutRateLimitGlobal', 'OutRateLimitHost', 'OutDestUnreachs', 'OutTimeExcds', 'OutParmProbs', 'OutSrcQuenchs', 'OutRedirects', 'OutEchos', 'OutEchoReps', 'OutTimestamps', 'OutTimestampReps', 'OutAddrMasks', 'OutAddrMaskReps']],
  ['IcmpMsg', []],
  ['Tcp', ['RtoAlgorithm', 'RtoMin', 'RtoMax', 'MaxConn', 'ActiveOpens', 'PassiveOpens', 'AttemptFails', 'EstabResets', 'CurrEstab', 'InSegs', 'OutSegs', 'RetransSegs', 'InErrs', 'OutRsts', 'InCsumErrors']],
  ['Udp', ['InDatagrams', 'NoPorts', 'InErrors', 'OutDatagrams', 'RcvbufErrors', 'SndbufErrors', 'InCsumErrors', 'IgnoredMulti', 'MemErrors']],
  ['UdpLite', ['InDatagrams', 'NoPorts', 'InErrors', 'OutDatagrams', 'RcvbufErrors', 'SndbufErrors', 'InCsumErrors', 'IgnoredMulti', 'MemErrors']],
  [
    'TcpExt',
    [
      'SyncookiesSent', 'SyncookiesRecv', 'SyncookiesFailed', 'EmbryonicRsts', 'PruneCalled', 'RcvPruned', 'OfoPruned', 'OutOfWindowIcmps', 'LockDroppedIcmps', 'ArpFilter',
      'TW', 'TWRecycled', 'TWKilled', 'PAWSActive', 'PAWSEstab', 'DelayedACKs', 'DelayedACKLocked', 'DelayedACKLost', 'ListenOverflows', 'ListenDrops', 'TCPHPHits',
      'TCPPureAcks', 'TCPHPAcks', 'TCPRenoRecovery', 'TCPSackRecovery', 'TCPSACKReneging', 'TCPSACKReorder', 'TCPRenoReorder', 'TCPTSReorder', 'TCPFullUndo',
      'TCPPartialUndo', 'TCPDSACKUndo', 'TCPLossUndo', 'TCPLostRetransmit', 'TCPRenoFailures', 'TCPSackFailures', 'TCPLossFailures', 'TCPFastRetrans',
      'TCPSlowStartRetrans', 'TCPTimeouts', 'TCPLossProbes', 'TCPLossProbeRecovery', 'TCPRenoRecoveryFail', 'TCPSackRecoveryFail', 'TCPRcvCollapsed',
      'TCPDSACKOldSent', 'TCPDSACKOfoSent', 'TCPDSACKRecv', 'TCPDSACKOfoRecv', 'TCPAbortOnData', 'TCPAbortOnClose', 'TCPAbortOnMemory', 'TCPAbortOnTimeout',
      'TCPAbortOnLinger', 'TCPAbortFailed', 'TCPMemoryPressures', 'TCPMemoryPressuresChrono', 'TCPSACKDiscard', 'TCPDSACKIgnoredOld', 'TCPDSACKIgnoredNoUndo',
      'TCPSpuriousRTOs', 'TCPMD5NotFound', 'TCPMD5Unexpected', 'TCPMD5Failure', 'TCPSackShifted', 'TCPSackMerged', 'TCPSackShiftFallback', 'TCPBacklogDrop',
      'PFMemallocDrop', 'TCPMinTTLDrop', 'TCPDeferAcceptDrop', 'IPReversePathFilter', 'TCPTimeWaitOverflow', 'TCPReqQFullDoCookies', 'TCPReqQFullDrop',
      'TCPRetransFail', 'TCPRcvCoalesce', 'TCPOFOQueue', 'TCPOFODrop', 'TCPOFOMerge', 'TCPChallengeACK', 'TCPSYNChallenge', 'TCPFastOpenActive',
      'TCPFastOpenActiveFail', 'TCPFastOpenPassive', 'TCPFastOpenPassiveFail', 'TCPFastOpenListenOverflow', 'TCPFastOpenCookieReqd', 'TCPFastOpenBlackhole',
      'TCPSpuriousRtxHostQueues', 'BusyPollRxPackets', 'TCPAutoCorking', 'TCPFromZeroWindowAdv', 'TCPToZeroWindowAdv', 'TCPWantZeroWindowAdv', 'TCPSynRetrans',
      'TCPOrigDataSent', 'TCPHystartTrainDetect', 'TCPHystartTrainCwnd', 'TCPHystartDelayDetect', 'TCPHystartDelayCwnd', 'TCPACKSkippedSynRecv',
      'TCPACKSkippedPAWS', 'TCPACKSkippedSeq', 'TCPACKSkippedFinWait2', 'TCPACKSkippedTimeWait', 'TCPACKSkippedChallenge', 'TCPWinProbe', 'TCPKeepAlive',
      'TCPMTUPFail', 'TCPMTUPSuccess', 'TCPDelivered', 'TCPDeliveredCE', 'TCPAckCompressed', 'TCPZeroWindowDrop', 'TCPRcvQDrop', 'TCPWqueueTooBig',
      'TCPFastOpenPassiveAltKey', 'TcpTimeoutRehash', 'TcpDuplicateDataRehash', 'TCPDSACKRecvSegs', 'TCPDSACKIgnoredDubious', 'TCPMigrateReqSuccess',
      'TCPMigrateReqFailure', 'TCPPLBRehash', 'TCPAORequired', 'TCPAOBad', 'TCPAOKeyNotFound', 'TCPAOGood', 'TCPAODroppedIcmps',
    ],
  ],
  ['IpExt', ['InNoRoutes', 'InTruncatedPkts', 'InMcastPkts', 'OutMcastPkts', 'InBcastPkts', 'OutBcastPkts', 'InOctets', 'OutOctets', 'InMcastOctets', 'OutMcastOctets', 'InBcastOctets', 'OutBcastOctets', 'InCsumErrors', 'InNoECTPkts', 'InECT1Pkts', 'InECT0Pkts', 'InCEPkts', 'ReasmOverlaps']],
  ['MPTcpExt', []],
];

/** Groups in the order they are tried as name prefixes (the longer group first). */
const PREFIXES = ['TcpExt', 'Tcp', 'IcmpMsg', 'Icmp', 'IpExt', 'Ip', 'UdpLite', 'Udp', 'MPTcpExt'];
/** Where an unprefixed field is looked for. */
const UNPREFIXED_ORDER = ['Tcp', 'TcpExt', 'Udp', 'Ip', 'Icmp', 'IpExt', 'UdpLite'];
const ICMPMSG = /^(In|Out)Type(\d+)$/;

/** Counter values by group and field, resolved from the kernel's name -> value record. */
export class Counters {
  private readonly groups = new Map<string, Map<string, number>>();

  constructor(raw: Record<string, number>) {
    for (const [g] of MIB) this.groups.set(g, new Map());
    for (const [name, value] of Object.entries(raw)) {
      const [g, f] = resolve(name);
      const m = this.groups.get(g)!;
      m.set(f, (m.get(f) ?? 0) + value);
    }
  }

  get(group: string, field: string): number {
    return this.groups.get(group)?.get(field) ?? 0;
  }

  has(group: string, field: string): boolean {
    return this.groups.get(group)?.has(field) ?? false;
  }

  /** The fields of a group in kernel order: the known ones, then extra ones the kernel reported. */
  fields(group: string): string[] {
    const known = MIB.find(([g]) => g === group)?.[1] ?? [];
    const extra = [...(this.groups.get(group)?.keys() ?? [])].filter((f) => !known.includes(f));
    if (group === 'IcmpMsg') {
      const key = (f: string) => {
        const m = ICMPMSG.exec(f);
        return m ? (m[1] === 'Out' ? 256 : 0) + Number(m[2]) : 1000;
      };
      return extra.filter((f) => this.get(group, f) !== 0).sort((a, b) => key(a) - key(b));
    }
    return [...known, ...extra];
  }
}

const known = (g: string, f: string) => MIB.find(([x]) => x === g)?.[1].includes(f) ?? false;
/** A field named with the "wrong" half of a pair (IpInCsumErrors is IpExt's) goes where Linux has it. */
const SIBLING: Record<string, string> = { Ip: 'IpExt', IpExt: 'Ip', Tcp: 'TcpExt', TcpExt: 'Tcp' };

function resolve(name: string): [string, string] {
  const sep = /^([A-Za-z]+)[.:](.+)$/.exec(name);
  if (sep && MIB.some(([g]) => g === sep[1])) return [sep[1]!, sep[2]!];
  if (ICMPMSG.test(name)) return ['IcmpMsg', name];
  const prefixed = PREFIXES.filter((g) => name.startsWith(g) && /^[A-Z]/.test(name.slice(g.length)));
  for (const g of prefixed) {
    const f = name.slice(g.length);
    if ((g === 'IcmpMsg' || g === 'Icmp') && ICMPMSG.test(f)) return ['IcmpMsg', f];
    if (known(g, f)) return [g, f];
    const sib = SIBLING[g];
    if (sib && known(sib, f)) return [sib, f];
  }
  for (const g of UNPREFIXED_ORDER) if (known(g, name)) return [g, name];
  if (prefixed.length) return [prefixed[0]!, name.slice(prefixed[0]!.length)];
  return ['TcpExt', name];
}

/** The kernel's counters, or an empty set when it has none yet. */
export function* readCounters(): Sys<Counters> {
  const raw = yield* sys.netlink<Record<string, number> | undefined>('counters');
  return new Counters(raw && typeof raw === 'object' && !Array.isArray(raw) ? raw : {});
}

/** nstat's useless_numbers[]: configuration values, not counters. */
const USELESS = new Set(['IpForwarding', 'IpDefaultTTL', 'TcpRtoAlgorithm', 'TcpRtoMin', 'TcpRtoMax', 'TcpMaxConn', 'TcpCurrEstab']);

/** fnmatch(3) without flags: * ? [...] and backslash escapes. */
export function fnmatch(pattern: string, s: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let set = pattern.slice(i + 1, end);
        if (set.startsWith('!')) set = '^' + set.slice(1);
        re += `[${set.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '\\' && i + 1 < pattern.length) re += '\\' + pattern[++i];
    else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`).test(s);
}

const USAGE = `Usage: nstat [OPTION] [ PATTERN [ PATTERN ] ]
   -h, --help           this message
   -a, --ignore         ignore history
   -d, --scan=SECS      sample every statistics every SECS
   -j, --json           format output in JSON
   -n, --nooutput       do history only
   -p, --pretty         pretty print
   -r, --reset          reset history
   -s, --noupdate       don't update history
   -t, --interval=SECS  report average over the last SECS
   -V, --version        output version information
   -z, --zeros          show entries with zero activity
`;

/** One line of `nstat` output: "%-32s%-16llu%6.1f". */
function nstatLine(name: string, value: number): string {
  return `${name.padEnd(32)}${String(value).padEnd(16)}${'0.0'.padStart(6)}\n`;
}

export function* nstat(argv: string[]): Sys<number> {
  const g = getopt('nstat', argv, 'h?vVzrnasd:t:jpe', {
    help: { key: 'h', arg: 'none' }, ignore: { key: 'a', arg: 'none' }, scan: { key: 'd', arg: 'required' }, json: { key: 'j', arg: 'none' },
    nooutput: { key: 'n', arg: 'none' }, pretty: { key: 'p', arg: 'none' }, reset: { key: 'r', arg: 'none' }, noupdate: { key: 's', arg: 'none' },
    interval: { key: 't', arg: 'required' }, version: { key: 'V', arg: 'none' }, zeros: { key: 'z', arg: 'none' }, extended: { key: 'e', arg: 'none' },
  });
  if ('error' in g) {
    yield* err(g.error + USAGE);
    return 255;
  }
  let zeros = false;
  let json = false;
  let pretty = false;
  let silent = false;
  for (const { key } of g.opts) {
    if (key === 'z') zeros = true;
    else if (key === 'j') json = true;
    else if (key === 'p') pretty = true;
    else if (key === 'n') silent = true;
    else if (key === 'v' || key === 'V') {
      yield* out('nstat utility, iproute2-6.18.0\n');
      return 0;
    } else if (key === 'h' || key === '?') {
      yield* err(USAGE);
      return key === 'h' ? 0 : 255;
    }
    // -a -r -s: history is not kept in the lab, so every run is already "absolute, no update"
  }
  const c = yield* readCounters();
  if (silent) return 0;
  const entries: [string, number][] = [];
  for (const [group] of MIB) {
    for (const field of c.fields(group)) {
      const name = group + field;
      if (USELESS.has(name)) continue;
      const v = c.get(group, field);
      if (!zeros && v === 0) continue;
      if (g.args.length && !g.args.some((p) => fnmatch(p, name))) continue;
      entries.push([name, v]);
    }
  }
  if (json) {
    const body = entries.map(([n, v]) => `${pretty ? '\n        ' : ''}"${n}":${pretty ? ' ' : ''}${v}`).join(',');
    yield* out(pretty ? `{\n    "kernel": {${body}\n    }\n}\n` : `{"kernel":{${body}}}\n`);
    return 0;
  }
  yield* out('#kernel\n' + entries.map(([n, v]) => nstatLine(n, v)).join(''));
  return 0;
}
