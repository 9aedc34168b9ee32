// A TIME_WAIT entry (Linux struct inet_timewait_sock): what is left of a connection after the
// active close, held 60 s (TCP_TIMEWAIT_LEN) in the established hash, keeping its port and
// answering the peer's retransmitted FIN (tcp_timewait_state_process). An orphaned socket in
// FIN_WAIT2 also becomes one (substate FIN_WAIT2, for tcp_fin_timeout) until the peer's FIN.
import type { SocketRow } from '../../../../shared/api/kernel-view';
import { formatIpv4 } from '../../../../shared/wire';
import type { Timer } from '../../sim';
import type { PortHolder } from '../ports';

export class TimeWaitSock implements PortHolder {
  readonly kind = 'timewait';
  readonly listening = false;
  readonly reusePort = false;
  timer: Timer | null = null;
  /** An orphan whose FIN was acked waits here as FIN_WAIT2 until the peer's FIN (tw_substate). */
  substate: 'TIME_WAIT' | 'FIN_WAIT2' = 'TIME_WAIT';
  /** The window field our ACKs carry (tw_rcv_wnd >> tw_rcv_wscale). */
  rcvWndField = 0;
  /** When we last sent an out-of-window ACK (rate limit). */
  lastOowAck: number | null = null;

  constructor(
    readonly localAddr: number,
    readonly localPort: number,
    readonly peerAddr: number,
    readonly peerPort: number,
    readonly sndNxt: number,
    public rcvNxt: number,
    readonly tsOk: boolean,
    readonly tsOffset: number,
    public tsRecent: number,
    readonly reuseAddr: boolean,
    readonly autoBound: boolean,
  ) {}

  holderName(): string {
    return `tcp ${formatIpv4(this.localAddr)}:${this.localPort} TIME_WAIT`;
  }

  row(): Omit<SocketRow, 'owners'> {
    return {
      inode: 0,
      kind: 'timewait',
      proto: 'tcp',
      state: this.substate,
      localAddr: this.localAddr,
      localPort: this.localPort,
      peerAddr: this.peerAddr,
      peerPort: this.peerPort,
      recvQ: 0,
      sendQ: 0,
      timer: { kind: 'timewait', expiresNs: this.timer?.at ?? 0, retransmits: 0 },
    };
  }
}
