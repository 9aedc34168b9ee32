import { describe, expect, it } from 'vitest';
import { protocolClass } from './protocol';

describe('packet row tints', () => {
  it('by protocol, and an application protocol keeps its transport\'s tint', () => {
    expect(protocolClass('ARP')).toBe('proto-arp');
    expect(protocolClass('ICMP')).toBe('proto-icmp');
    expect(protocolClass('TCP')).toBe('proto-tcp');
    expect(protocolClass('UDP')).toBe('proto-udp');
    for (const p of ['FTP', 'FTP-DATA', 'SSH', 'TELNET', 'SMTP', 'HTTP']) expect(protocolClass(p)).toBe('proto-tcp');
    expect(protocolClass('DNS')).toBe('proto-udp');
    expect(protocolClass('IPv4')).toBe('proto-other');
    expect(protocolClass('Ethernet')).toBe('proto-other');
  });
});
