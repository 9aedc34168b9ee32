// Passive open, after Linux tcp_conn_request / tcp_check_req / inet_csk_reqsk_queue_* (README
// section 3 of ../shared/linux-truth): a SYN to a listener makes a request sock (SYN_RECV) in the
// established hash and a SYN-ACK; the final ACK makes the child socket and queues it for accept().
// Overflow rules: the SYN queue is "full" when its length > backlog (then SYN cookies, or a drop
// with tcp_syncookies=0); the accept queue holds backlog+1 (full when length > backlog): SYNs are
// then dropped, and final ACKs dropped (or reset with tcp_abort_on_overflow=1) while the request
// keeps retransmitting its SYN-ACK.
import { seqAdd, TCP_DEFAULT_MSS, TCP_MAX_WSCALE, TcpFlag, type LinuxOptionRequest } from '../../../../shared/wire';
import type { Timer } from '../../sim';
import { transmit } from './output';
import type { InputOutcome } from './input';
import { TCPOLEN_TSTAMP_ALIGNED, tsVal } from './kernels';
import { advertisedMss, synWindow } from './params';
import type { Segment } from './segment';
import type { TcpSock } from './sock';

/** A request sock (Linux struct tcp_request_sock): a connection in SYN_RECV with no socket yet. */
export class RequestSock {
  readonly kind = 'request';
  numTimeout = 0;
  timer: Timer | null = null;
  /** The listener closed: the request dies at its next timer. */
  orphaned = false;
  /** A SYN cookie's SYN-ACK carries the SYN's options in its TS value (cookie_init_timestamp). */
  tsValOverride?: number;
  /** When the last SYN-ACK left (the handshake's RTT sample, tcp_synack_rtt_meas). */
  synackAt = 0;

  constructor(
    readonly listener: TcpSock,
    readonly localAddr: number,
    readonly localPort: number,
    readonly peerAddr: number,
    readonly peerPort: number,
    readonly iss: number,
    readonly irs: number,
    /** What the SYN offered. */
    readonly peer: { mss: number; wscale?: number; sackOk: boolean; tsVal?: number },
    readonly tsOffset: number,
  ) {}
}

/** What happened to a segment at a listener or request sock; `child` when a connection was born. */
export type ListenOutcome = InputOutcome & { child?: TcpSock };

export function synackOptions(l: TcpSock, req: RequestSock, tsVal: number): LinuxOptionRequest {
  // tcp_synack_options: only what the SYN offered, in Linux's order.
  const o: LinuxOptionRequest = { mss: advertisedMss(1500) };
  if (req.peer.sackOk) o.sackPerm = true;
  if (req.peer.tsVal !== undefined) o.ts = { val: tsVal, ecr: req.peer.tsVal };
  if (req.peer.wscale !== undefined) o.wscale = l.rcvWscale;
  return o;
}

export function sendSynack(l: TcpSock, req: RequestSock): void {
  const env = l.tcp.env;
  const val = req.tsValOverride ?? tsVal(env.sched.now, req.tsOffset);
  transmit(env, req, {
    seq: req.iss,
    ack: seqAdd(req.irs, 1),
    flags: TcpFlag.SYN | TcpFlag.ACK,
    window: synackWindow(req),
    options: synackOptions(l, req, val),
  });
  req.synackAt = env.sched.now;
}

/**
 * tcp_openreq_init_rwin -> tcp_select_initial_window: 65535 rounded down to whole segments of
 * (mss - 12 with timestamps): 65160 = 45 x 1448 with timestamps, 64240 = 44 x 1460 without.
 */
export function synackWindow(req: RequestSock): number {
  const m = Math.min(req.peer.mss, advertisedMss(1500)) - (req.peer.tsVal !== undefined ? TCPOLEN_TSTAMP_ALIGNED : 0);
  return synWindow(m);
}

/** What the SYN asked for, clamped like tcp_parse_options + tcp_openreq_init. */
export function peerOptions(seg: Segment, sysctl: { int(n: string): number }): RequestSock['peer'] {
  return {
    mss: seg.opts.mss ?? TCP_DEFAULT_MSS,
    wscale: sysctl.int('net.ipv4.tcp_window_scaling') && seg.opts.wscale !== undefined ? Math.min(seg.opts.wscale, TCP_MAX_WSCALE) : undefined,
    sackOk: !!sysctl.int('net.ipv4.tcp_sack') && seg.opts.sackPermitted,
    tsVal: sysctl.int('net.ipv4.tcp_timestamps') ? seg.opts.tsVal : undefined,
  };
}
