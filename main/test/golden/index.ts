// main/test/golden: whole-lab tests compare our simulated traces with real-kernel captures
// (../shared/linux-truth). The module's one door.
//
//   const truth = loadTruthRun(linuxTruthDir()!, scenario('d1'));            // Linux: pcap, ss, nstat, logs
//   const ours = normalizeEvents(frames, { machine: 'B', nic: 'eth0' }, { clientIp: '10.0.0.1' });
//   const diff = compareTraces(truth.trace, ours, { ignoreDataWindow: true }); // readable diff in diff.report
//   const checks = runScenario('d1', { trace: ours, ss, counters, logs });     // the AS-xx statements
//
// Normalized form: per-connection TCP segments (tcpdump flags, relative seq/ack, len, window, option
// kinds in order, MSS/wscale; ISNs and TS values set aside) plus UDP/ICMP datagrams.
export type {
  Dir, GoldenFrame, OptionKind, SeqBase, TcpSegment, Endpoint, TcpConnection, IcmpQuoteInfo, UdpDatagram, IcmpMessage, Datagram, NormalizedTrace,
} from './types';
export { framesFromCapture, framesFromEvents, LINKTYPE_ETHERNET, type CaptureSelect, type CapturePoint, type CaptureFrames } from './frames';
export { decodeFrame, type Decoded } from './decode';
export { tcpdumpFlags, flagBits, sameFlags } from './flags';
export { normalizeFrames, normalizeCapture, normalizeEvents, type NormalizeOptions } from './normalize';
export { seg, conn, expectTrace, datagramView, type ExpectedSegment, type ExpectedConnection, type ExpectedDatagram, type ExpectedTrace } from './expect';
export {
  compareTraces, assertTracesMatch, segmentDifferences, withinTolerance, toleranceFor,
  type CompareOptions, type TimingOptions, type ConnectionMatch, type SegField, type DatagramField, type Difference, type GoldenDiff,
} from './compare';
export { formatSegment, formatDatagram, formatOptions } from './format';
export { parseSummary, parseSummaryLine, parseOptionText, summaryStreamCounts, type SummaryLine, type SummaryTcp, type ParsedSummary } from './summary';
export {
  parseSs, parseSsRow, parseSsTimer, parseSsDuration, parseSsUsers, parseSsAddr, ssHeader, findSsTable,
  type SsRow, type SsTable, type SsText, type SsAddr, type SsUser, type SsTimer, type SsQuery,
} from './ss';
export { canonicalSsRow, clientPortRoles, compareSsRows, type SsCanonOptions, type SsCompareOptions, type SsDiff } from './ss-compare';
export { parseNstat, splitCounterName, counterValue, compareCounters, type Nstat, type CounterDiff } from './nstat';
export type { Statement, Check, ConnRef, SegFilter, SegPick, DatagramFilter, Tolerance } from './statements';
export { synOrder, type GoldenRun } from './run';
export { runCheck, runChecks, type CheckResult, type CheckStatus, type ChecksReport } from './check';
export { HANDSHAKE, CLIENT, SERVER, CAPTURE_POINT, type Scenario } from './scenario';
export { SCENARIOS, scenario, acceptanceIndex, runScenario, NOT_IN_CAPTURES } from './catalogue';
export { linuxTruthDir, linuxTruthMissing, loadTruthRun, readTrace, readSsTables, listFiles, readText } from './truth';
export { tcpFrame, udpFrame, type SegmentFields } from './synth';
