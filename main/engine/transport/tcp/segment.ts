// An incoming TCP segment, parsed once (the parts the state machine reads, like Linux TCP_SKB_CB).
import { parseTcp, parseTcpOptionValues, seqAdd, TcpFlag, type TcpOptionValues } from '../../../../shared/wire';
import type { IpPacket } from '../../net/stack';

export interface Segment {
  frameId: number;
  /** The whole frame, for replies that quote it (ICMP) and RSTs. */
  src: number;
  dst: number;
  sport: number;
  dport: number;
  seq: number;
  ack: number;
  flags: number;
  /** Window field as sent (unscaled). */
  window: number;
  data: Uint8Array;
  opts: TcpOptionValues;
  /** seq + data + SYN + FIN (TCP_SKB_CB end_seq). */
  endSeq: number;
}

export const has = (s: Segment, f: number): boolean => (s.flags & f) !== 0;

export type ParseError = { reason: 'PKT_TOO_SMALL' | 'TCP_CSUM'; text: string };

export function parseSegment(p: IpPacket): Segment | ParseError {
  const { ip, frame } = p;
  const r = parseTcp(frame, ip.payloadOffset, ip.payloadOffset + ip.payloadLength, { src: ip.src, dst: ip.dst });
  if (!r.ok) return { reason: 'PKT_TOO_SMALL', text: `TCP: ${r.error}` };
  const t = r.value;
  if (t.checksumOk === false) return { reason: 'TCP_CSUM', text: `TCP checksum 0x${t.checksum.toString(16)} is wrong` };
  const opts = parseTcpOptionValues(frame, t.optionsOffset, t.payloadOffset);
  const data = frame.subarray(t.payloadOffset, t.payloadOffset + t.payloadLength);
  const endSeq = seqAdd(t.seq, data.length + (t.flags & TcpFlag.SYN ? 1 : 0) + (t.flags & TcpFlag.FIN ? 1 : 0));
  return { frameId: p.frameId, src: ip.src, dst: ip.dst, sport: t.srcPort, dport: t.dstPort, seq: t.seq, ack: t.ack, flags: t.flags, window: t.window, data, opts, endSeq };
}

/** tcpdump-style flags for sentences: "S", "S.", "P.", "F.", "R", "R.". */
export function flagText(flags: number): string {
  let s = '';
  if (flags & TcpFlag.SYN) s += 'S';
  if (flags & TcpFlag.FIN) s += 'F';
  if (flags & TcpFlag.PSH) s += 'P';
  if (flags & TcpFlag.RST) s += 'R';
  if (flags & TcpFlag.ACK) s += '.';
  return s || 'none';
}
