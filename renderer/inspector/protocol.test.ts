import { describe, expect, it } from 'vitest';
import type { FrameRow } from '../../shared/trace';
import { protocolClass, rowColour } from './protocol';

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

describe('colouring rules', () => {
  const row = (extra: Partial<FrameRow>): FrameRow => ({ no: 1, frameId: 1, first: true, timeNs: 0, machine: 'a', nic: 'eth0', dir: 'tx', length: 60, src: 'x', dst: 'y', protocol: 'TCP', info: '', ...extra });
  it('first match wins: a drop, RST, SYN/FIN, ICMP errors, then the protocol tint', () => {
    expect(rowColour(row({ tcpFlags: 0x04 | 0x10, drop: 'NO_SOCKET' }))).toEqual({ className: 'mark-drop', rule: 'Dropped (NO_SOCKET)' });
    expect(rowColour(row({ tcpFlags: 0x14 })).rule).toBe('TCP RST');
    expect(rowColour(row({ tcpFlags: 0x12 })).rule).toBe('TCP SYN/FIN');
    expect(rowColour(row({ tcpFlags: 0x11 })).rule).toBe('TCP SYN/FIN');
    expect(rowColour(row({ protocol: 'FTP', tcpFlags: 0x18 })).className).toBe('proto-tcp');
    expect(rowColour(row({ protocol: 'ICMP', icmpType: 3 })).className).toBe('mark-icmp-error');
    expect(rowColour(row({ protocol: 'ICMP', icmpType: 11 })).className).toBe('mark-icmp-error');
    expect(rowColour(row({ protocol: 'ICMP', icmpType: 8 })).className).toBe('proto-icmp');
  });
});
