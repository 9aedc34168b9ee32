// Building and sending TCP segments (tcp_transmit_skb, tcp_v4_send_reset). Options follow Linux's
// layout (tcp_options_write): SYN `mss,sackOK,TS,nop,wscale`; established `nop,nop,TS`.
import { IpProto, linuxOptionLayout, TcpFlag, tcpHeaderLength, writeTcp, type LinuxOptionRequest } from '../../../../shared/wire';
import { IP_PAYLOAD_OFF } from '../../net/stack';
import type { TransportEnv } from '../env';
import type { SendQueue } from './send-queue';
import type { Segment } from './segment';

export interface Endpoints {
  localAddr: number;
  localPort: number;
  peerAddr: number;
  peerPort: number;
}

export interface SegmentOut {
  seq: number;
  ack: number;
  flags: number;
  window: number;
  options?: LinuxOptionRequest;
  /** Payload copied straight into the frame from the send queue (`len` bytes at `offset` from its head). */
  payload?: { from: SendQueue; offset: number; len: number };
}

/** Put one segment on the wire (IPv4, DF set, TTL 64). False when there is no route. */
export function transmit(env: TransportEnv, e: Endpoints, s: SegmentOut): boolean {
  const options = s.options ? linuxOptionLayout(s.options) : undefined;
  const hlen = tcpHeaderLength(options);
  const dlen = s.payload?.len ?? 0;
  const frame = env.stack.allocIp(hlen + dlen);
  if (s.payload) s.payload.from.copyTo(s.payload.offset, s.payload.len, frame, IP_PAYLOAD_OFF + hlen);
  writeTcp(frame, IP_PAYLOAD_OFF, {
    srcPort: e.localPort,
    dstPort: e.peerPort,
    seq: s.seq,
    ack: s.ack,
    flags: s.flags,
    window: s.window,
    options,
    payloadLength: dlen,
    src: e.localAddr,
    dst: e.peerAddr,
  });
  env.stack.bump('TcpOutSegs');
  if (s.flags & TcpFlag.RST) env.stack.bump('TcpOutRsts');
  return env.stack.ipOutput(frame, hlen + dlen, { dst: e.peerAddr, src: e.localAddr, protocol: IpProto.TCP });
}

/**
 * tcp_v4_send_reset for a segment no socket wants: with ACK, `R seq=SEG.ACK`; without,
 * `R. seq 0 ack=SEG.SEQ+SEG.LEN`. Window 0, no options. Never in answer to an RST.
 */
export function resetFor(env: TransportEnv, seg: Segment): 'R' | 'R.' | null {
  if (seg.flags & TcpFlag.RST) return null;
  const e: Endpoints = { localAddr: seg.dst, localPort: seg.dport, peerAddr: seg.src, peerPort: seg.sport };
  if (seg.flags & TcpFlag.ACK) {
    transmit(env, e, { seq: seg.ack, ack: 0, flags: TcpFlag.RST, window: 0 });
    return 'R';
  }
  transmit(env, e, { seq: 0, ack: seg.endSeq, flags: TcpFlag.RST | TcpFlag.ACK, window: 0 });
  return 'R.';
}
