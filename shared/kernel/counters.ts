// The Linux MIB counters the lab's kernel keeps, by the names nstat prints (group prefix + MIB name,
// include/uapi/linux/snmp.h). They exist from boot at 0, as `nstat -z` and `netstat -s` show them.
export const COUNTERS = [
  'IpInReceives', 'IpInHdrErrors', 'IpInAddrErrors', 'IpInUnknownProtos', 'IpInDelivers', 'IpOutRequests', 'IpOutNoRoutes', 'IpExtInCsumErrors',
  'IcmpInMsgs', 'IcmpOutMsgs', 'IcmpInCsumErrors', 'IcmpInDestUnreachs', 'IcmpInTimeExcds', 'IcmpInEchos', 'IcmpInEchoReps',
  'IcmpOutDestUnreachs', 'IcmpOutTimeExcds', 'IcmpOutEchos', 'IcmpOutEchoReps', 'IcmpOutRateLimitHost',
  'TcpActiveOpens', 'TcpPassiveOpens', 'TcpAttemptFails', 'TcpEstabResets', 'TcpInSegs', 'TcpOutSegs', 'TcpRetransSegs', 'TcpInErrs', 'TcpOutRsts', 'TcpInCsumErrors',
  'UdpInDatagrams', 'UdpNoPorts', 'UdpInErrors', 'UdpOutDatagrams', 'UdpRcvbufErrors', 'UdpInCsumErrors',
  'TcpExtListenOverflows', 'TcpExtListenDrops', 'TcpExtSyncookiesSent', 'TcpExtSyncookiesRecv', 'TcpExtSyncookiesFailed',
  'TcpExtEmbryonicRsts', 'TcpExtTCPReqQFullDoCookies', 'TcpExtTCPReqQFullDrop', 'TcpExtTCPAbortOnClose', 'TcpExtTCPAbortOnData',
  'TcpExtTCPAbortOnLinger', 'TcpExtTCPFastRetrans', 'TcpExtTCPLossProbes', 'TcpExtTCPChallengeACK', 'TcpExtTCPACKSkippedChallenge', 'TcpExtTCPACKSkippedSeq', 'TcpExtTCPACKSkippedTimeWait', 'TcpExtPAWSEstab', 'TcpExtTCPWinProbe', 'TcpExtTCPOFOQueue', 'TcpExtTCPDSACKOldSent',
] as const;

export type CounterName = (typeof COUNTERS)[number];
