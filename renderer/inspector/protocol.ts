// Light row tints per protocol (Wireshark's default colouring rules, simplified). As there, the
// rule is the transport's: an application protocol named by its port (FTP, HTTP, DNS...) keeps the
// tint of TCP or UDP, which carries it.
import { TCP_APP_PORTS, UDP_APP_PORTS } from '../../shared/wire/app';

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
