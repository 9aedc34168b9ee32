// Flow graph items: one arrow per frame between two nodes, labelled the way Wireshark's flow graph
// labels them (ui/tap-sequence-analysis.c with packet-tcp.c's sequence analysis): for TCP the flags
// ("SYN, ACK", "PSH, ACK - Len: 19") with "Seq = 0 Ack = 1" beside the arrow in relative numbers,
// so a handshake reads at a glance; for other frames the packet list's Info.
import { formatIpv4, formatMac } from '../wire/address';
import { TcpFlag, tcpFlagNames } from '../wire/tcp';
import type { Decoded } from './decode';

export interface FlowItem {
  no: number;
  timeNs: number;
  /** Node names: IPv4 addresses, or MAC addresses for frames without IP (ARP). */
  src: string;
  dst: string;
  srcPort?: number;
  dstPort?: number;
  /** Drawn on the arrow. */
  label: string;
  /** Drawn beside it. */
  comment: string;
  protocol: string;
  /** TCP stream, for TCP frames. */
  stream?: number;
  /** TCP flags, for colouring the handshake and teardown. */
  flags?: number;
}

/** The arrow for one frame; `protocol` and `info` are the packet list's columns. */
export function flowItem(no: number, timeNs: number, d: Decoded | null, protocol: string, info: string): FlowItem | null {
  if (!d) return null;
  const item = (src: string, dst: string, label: string, comment: string): FlowItem => ({ no, timeNs, src, dst, label, comment, protocol });
  if (!d.ip) return item(formatMac(d.ethSrc), formatMac(d.ethDst), info, `${protocol}: ${info}`);
  const src = formatIpv4(d.ip.src);
  const dst = formatIpv4(d.ip.dst);
  const t = d.tcp;
  if (t) {
    const label = tcpFlagNames(t.flags) + (t.payloadLength > 0 ? ` - Len: ${t.payloadLength}` : '');
    const comment = `Seq = ${t.relSeq}${t.flags & TcpFlag.ACK ? ` Ack = ${t.relAck}` : ''}`;
    return { ...item(src, dst, label, comment), srcPort: t.srcPort, dstPort: t.dstPort, stream: t.stream, flags: t.flags };
  }
  const it = item(src, dst, info, `${protocol}: ${info}`);
  if (d.udp) return { ...it, srcPort: d.udp.srcPort, dstPort: d.udp.dstPort };
  return it;
}
