// TCP kernels: the pure arithmetic of Linux TCP (DESIGN.md §8 habit 6). No I/O, no clocks, no
// Math.random: time comes in as integer nanoseconds, randomness as a seeded u32 source or a key.
// The module's one door.

export {
  NS_PER_US,
  NS_PER_MS,
  NS_PER_S,
  HZ,
  JIFFY_NS,
  type RandomU32,
  usecsToJiffies,
  jiffiesToNs,
  nsToJiffies,
  randomBelow,
} from './units';

export { type SipKey, type U64, sipKeyFrom, siphash, siphash32 } from './siphash';

export {
  TCP_TIMEOUT_INIT_NS,
  TCP_TIMEOUT_FALLBACK_NS,
  TCP_RTO_MIN_NS,
  TCP_RTO_MAX_NS,
  TCP_TIMEOUT_MIN_NS,
  type RttEstimatorOptions,
  RttEstimator,
  lossProbeTimeoutNs,
} from './rto';

export {
  type SynRetryPolicy,
  SYN_POLICY_LINUX,
  SYN_POLICY_CLASSIC,
  type HandshakeSchedule,
  synRtoNs,
  synGiveUp,
  synSchedule,
  synAckTimeoutNs,
  synAckMaxRetries,
  synAckRecalc,
  synAckSchedule,
} from './syn-schedule';

export {
  TCP_IPV4_HEADERS,
  IP_RT_MIN_ADVMSS,
  TCP_MIN_SND_MSS,
  TCPOLEN_TSTAMP_ALIGNED,
  MAX_TCP_WINDOW,
  TCP_RMEM_TO_WIN_SCALE,
  TCP_DEFAULT_SCALING_RATIO,
  MAX_SCALED_WINDOW,
  type RecvSysctls,
  LINUX_RECV_SYSCTLS,
  advmssFromMtu,
  peerMssClamp,
  sendMss,
  windowRoundingMss,
  winFromSpace,
  fullSpace,
  tcpSpace,
  type InitialWindow,
  selectInitialWindow,
  initBufferSpace,
  receiveWindow,
  type WindowInputs,
  idealWindow,
  type SelectedWindow,
  selectWindow,
  synWindowField,
  growRcvSsthresh,
} from './window';

export {
  TCP_DELACK_MIN_J,
  TCP_DELACK_MAX_J,
  TCP_ATO_MIN_J,
  TCP_DELACK_MIN_NS,
  TCP_DELACK_MAX_NS,
  TCP_ATO_MIN_NS,
  TCP_MAX_QUICKACKS,
  TCP_PINGPONG_THRESH,
  TCP_MIN_MSS,
  type DelackState,
  newDelackState,
  initialRcvMss,
  measureRcvMss,
  incrQuickack,
  enterQuickackMode,
  inPingpongMode,
  inQuickackMode,
  enterPingpongMode,
  onDataReceived,
  shouldAckNow,
  type DelayedAckDecision,
  scheduleDelayedAck,
  onAckSent,
  onDataSent,
  type DelackTimerOutcome,
  onDelackTimer,
  ackAfterRead,
} from './delack';

export {
  type TcpSecrets,
  makeTcpSecrets,
  seqScale,
  secureTcpSeq,
  secureTcpTsOff,
  tcpTimestampMs,
  tsVal,
  timeWaitReuseIsn,
} from './isn';

export {
  SYNCOOKIE_MSS_TABLE,
  COOKIEBITS,
  MAX_SYNCOOKIE_AGE,
  TCP_SYNCOOKIE_PERIOD_NS,
  TCP_SYNCOOKIE_VALID_NS,
  TS_OPT_WSCALE_MASK,
  TS_OPT_SACK,
  TS_OPT_ECN,
  TSBITS,
  type CookieTuple,
  tcpCookieTime,
  cookieMssIndex,
  cookieInitSequence,
  type CookieCheck,
  cookieCheck,
  type CookieSynOptions,
  cookieInitTimestamp,
  type CookieDecodedOptions,
  cookieTimestampDecode,
  synqOverflowStamp,
  synqRecentOverflow,
} from './syncookie';

export {
  type PortRange,
  IP_LOCAL_PORT_RANGE,
  INET_TABLE_PERTURB_SIZE,
  type PerturbTable,
  newPerturbTable,
  connectPortOffset,
  type ConnectPortRequest,
  chooseConnectPort,
  type BindPortRequest,
  chooseBindPort,
} from './ephemeral';

export {
  TCP_INIT_CWND,
  TCP_INFINITE_SSTHRESH,
  type CaState,
  type CongestionControl,
  type CongestionOptions,
  initialCwnd,
  CongestionBase,
  NewReno,
} from './cc';

export {
  BICTCP_BETA_SCALE,
  CUBIC_BETA,
  CUBIC_BIC_SCALE,
  CUBIC_BETA_SCALE,
  cubicRoot,
  type CubicState,
  type CubicOptions,
  Cubic,
} from './cubic';

import { NewReno, type CongestionControl, type CongestionOptions } from './cc';
import { Cubic } from './cubic';

/** net.ipv4.tcp_congestion_control: 'cubic' (Linux default) or 'reno'. */
export function createCongestionControl(name: 'cubic' | 'reno', opts: CongestionOptions): CongestionControl {
  return name === 'cubic' ? new Cubic(opts) : new NewReno(opts);
}
