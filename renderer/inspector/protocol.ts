// Light row tints per protocol (Wireshark's default colouring rules, simplified). As there, the
// rule is the transport's: an application protocol named by its port (FTP, HTTP, DNS...) keeps the
// tint of TCP or UDP, which carries it.
import type { FrameRow } from '../../shared/trace';
import { TCP_APP_PORTS, UDP_APP_PORTS } from '../../shared/wire/app';
import { isIcmpError } from '../../shared/wire/icmpv4';
import { TcpFlag } from '../../shared/wire/tcp';

const OVER_TCP: ReadonlySet<string> = new Set(TCP_APP_PORTS.values());
const OVER_UDP: ReadonlySet<string> = new Set(UDP_APP_PORTS.values());

export function protocolClass(protocol: string): string {
  const p = protocol.toUpperCase();
  switch (p) {
    case 'ARP':
      return 'proto-arp';
    case 'ICMP':
      return 'proto-icmp';
    case 'TCP':
      return 'proto-tcp';
    case 'UDP':
      return 'proto-udp';
    default:
      return OVER_TCP.has(p) ? 'proto-tcp' : OVER_UDP.has(p) ? 'proto-udp' : 'proto-other';
  }
}

export interface RowColour {
  className: string;
  /** The colouring rule that matched (shown on hover), as Wireshark names its defaults. */
  rule: string;
}

/**
 * Wireshark's default colouring rules that matter in a lab, first match wins: frames the lab
 * dropped (ours: Wireshark cannot know), TCP RST, TCP SYN/FIN, ICMP errors, then the protocol tint.
 */
export function rowColour(row: FrameRow): RowColour {
  if (row.drop !== undefined) return { className: 'mark-drop', rule: `Dropped (${row.drop})` };
  const f = row.tcpFlags;
  if (f !== undefined && f & TcpFlag.RST) return { className: 'mark-rst', rule: 'TCP RST' };
  if (f !== undefined && f & (TcpFlag.SYN | TcpFlag.FIN)) return { className: 'mark-synfin', rule: 'TCP SYN/FIN' };
  if (row.icmpType !== undefined && isIcmpError(row.icmpType)) return { className: 'mark-icmp-error', rule: 'ICMP errors' };
  return { className: protocolClass(row.protocol), rule: row.protocol };
}
