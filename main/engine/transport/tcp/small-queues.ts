// TCP Small Queues (tcp_small_queue_check, net/ipv4/tcp_output.c, Linux 6.18): a socket may keep
// only about 1 ms of its pacing rate (at least two packets, at most tcp_limit_output_bytes) waiting
// in its NIC's queue. Linux counts an skb's truesize in sk_wmem_alloc until TX completion frees it
// (tcp_wfree); when the limit is reached the socket is throttled, and each completion runs
// tcp_write_xmit again (tcp_tsq_handler). Without this a bulk sender fills the NIC's 1000-frame
// queue: the RTT it measures grows with its own queue, and cwnd and the send buffer grow with it.
import { NumberFifo } from '../../sim/number-fifo';
import type { TcpSock } from './sock';

/**
 * skb->truesize of a segment: its payload plus SKB_TRUESIZE's sk_buff (256) and skb_shared_info
 * (320) and the MAX_TCP_HEADER room (320). Approximate: Linux's page-fragment sizes vary.
 */
export const skbTruesize = (payload: number): number => payload + 896;

/** sk_pacing_shift: the limit is 2^-10 s (~1 ms) of the pacing rate. */
const PACING_SHIFT = 10;

/** A socket's packets still in its NIC's queue: when each leaves, and its truesize. */
export class InNicQueue {
  private readonly times = new NumberFifo();
  private readonly sizes = new NumberFifo();
  private total = 0;

  charge(departureNs: number, truesize: number): void {
    this.times.push(departureNs);
    this.sizes.push(truesize);
    this.total += truesize;
  }

  /** Bytes (truesize) still queued at `now` (sk_wmem_alloc, this socket's share). */
  bytesAt(now: number): number {
    while (this.times.size > 0 && this.times.first()! <= now) {
      this.times.shift();
      this.total -= this.sizes.shift();
    }
    return this.total;
  }

  /** When the oldest queued packet leaves (its TX completion). */
  nextDeparture(): number | undefined {
    return this.times.first();
  }
}

/**
 * tcp_update_pacing_rate: bytes/s = mss x max(cwnd, packets_out) / srtt, times 200 % in slow start
 * (cwnd < ssthresh / 2) and 120 % after (tcp_pacing_ss_ratio, tcp_pacing_ca_ratio). Without an
 * RTT sample Linux skips the division: the rate is effectively unbounded.
 */
export function pacingRate(sk: TcpSock): number {
  if (!sk.rtt.hasSample) return Infinity;
  const ratio = sk.cwnd < sk.cc.ssthresh / 2 ? 2 : 1.2;
  const segs = Math.max(sk.cwnd, Math.ceil(sk.unacked / sk.mss));
  return (sk.mss * segs * ratio * 1e9) / Math.max(1, sk.rtt.srttNs);
}

/**
 * tcp_small_queue_check for a segment of `len` bytes about to be sent: true when the socket must
 * wait (TSQ_THROTTLED); it then resumes writing when its oldest queued packet leaves the NIC.
 */
export function smallQueueThrottled(sk: TcpSock, len: number, resume: (sk: TcpSock) => void): boolean {
  const env = sk.tcp.env;
  const queued = sk.inNic?.bytesAt(env.sched.now) ?? 0;
  // The limit is at least two packets: below that no need to work it out.
  if (queued <= 2 * skbTruesize(len)) return false;
  const limit = Math.min(Math.max(2 * skbTruesize(len), Math.floor(pacingRate(sk) / 2 ** PACING_SHIFT)), env.sysctl.int('net.ipv4.tcp_limit_output_bytes'));
  if (queued <= limit) return false;
  // tcp_rtx_queue_empty_or_single_skb: always send when at most one packet is unacknowledged.
  if (sk.unacked <= sk.mss) return false;
  if (!sk.tsqTimer) {
    const at = sk.inNic!.nextDeparture()!;
    sk.tsqTimer = env.sched.at(at, () => {
      sk.tsqTimer = null;
      resume(sk);
    });
  }
  return true;
}

/** Charge a sent packet to the socket until it leaves the NIC (nothing when it was not queued). */
export function chargeInNic(sk: TcpSock, departureNs: number | undefined, payload: number): void {
  if (departureNs === undefined || departureNs <= sk.tcp.env.sched.now) return;
  (sk.inNic ??= new InNicQueue()).charge(departureNs, skbTruesize(payload));
}
