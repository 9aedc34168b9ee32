// TCP constants and the few numbers the state machine asks for, in one place. Linux values
// (include/net/tcp.h) unless noted. The arithmetic kernels (RTO, windows, cookies...) live in
// ./kernels; what they already define is re-exported, not restated.
import { advmssFromMtu, synAckTimeoutNs, synRtoNs, TCP_RTO_MAX_NS, TCP_RTO_MIN_NS, TCP_SYNCOOKIE_VALID_NS, TCP_TIMEOUT_INIT_NS } from './kernels';

export { TCP_RTO_MAX_NS, TCP_RTO_MIN_NS, TCP_SYNCOOKIE_VALID_NS, TCP_TIMEOUT_INIT_NS };
export const TCP_TIMEWAIT_LEN_NS = 60e9;
/** The largest window an unscaled header can carry (not kernels' MAX_TCP_WINDOW, the 32767 signed-window cap). */
export const MAX_UNSCALED_WINDOW = 65535;
/** tcp_rmem[1] / tcp_wmem[1]: initial buffer sizes. */
export const RCVBUF_DEFAULT = 131_072;
export const SNDBUF_DEFAULT = 16_384;
export const SNDBUF_MAX = 4_194_304;
/** Receive window Linux offers in the SYN-ACK / first ACK (65160 = 45 x 1448, tcp_select_initial_window). */
export const RCV_WND_INIT = 65_160;

/** MSS we advertise: the route MTU minus IPv4 and TCP headers (tcp_advertise_mss). */
export const advertisedMss = advmssFromMtu;

/** Window scale we offer: ilog2(max(tcp_rmem[2], rmem_max)) - 15, at most 14 (tcp_select_initial_window). */
export function rcvWscale(rmemMax = 33_554_432): number {
  return Math.min(14, Math.max(0, Math.floor(Math.log2(rmemMax)) - 15));
}

/** SYN's window: 65535 rounded down to a multiple of the MSS (64240 for 1460). */
export function synWindow(mss: number): number {
  return Math.floor(MAX_UNSCALED_WINDOW / mss) * mss;
}

/**
 * Time until the next SYN after `sent` transmissions (tcp_retransmit_timer for SYN_SENT): the
 * initial 1 s timeout and `linear` more keep 1 s (tcp_syn_linear_timeouts), then it doubles. With
 * the defaults SYNs leave at 0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67 s and connect() fails at 131 s.
 */
export function synTimeout(sent: number, linear: number): number {
  return synRtoNs(sent - 1, { synRetries: 0, linearTimeouts: linear });
}

/** SYN-ACK retransmission n (0 = first) fires at TIMEOUT_INIT << n after the previous one (reqsk_timer_handler). */
export const synackTimeout = synAckTimeoutNs;
