// Light row tints per protocol (Wireshark's default colouring rules, simplified).

export function protocolClass(protocol: string): string {
  switch (protocol.toUpperCase()) {
    case 'ARP':
      return 'proto-arp';
    case 'ICMP':
      return 'proto-icmp';
    case 'TCP':
      return 'proto-tcp';
    case 'UDP':
      return 'proto-udp';
    default:
      return 'proto-other';
  }
}
