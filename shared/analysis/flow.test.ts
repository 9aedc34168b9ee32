import { describe, expect, it } from 'vitest';
import { Decoder } from './decode';
import { tcpFlagNames } from '../wire/tcp';
import { flowItem } from './flow';
import { tcpFrame, TcpFlag } from './test-frames';

const { SYN, ACK, PSH, FIN, RST } = TcpFlag;

describe('flow graph items', () => {
  it('label TCP arrows with flags and length, and seq/ack relative to each side`s start', () => {
    const dec = new Decoder();
    const frames = [tcpFrame(true, 1000, 0, SYN), tcpFrame(false, 5000, 1001, SYN | ACK), tcpFrame(true, 1001, 5001, ACK), tcpFrame(true, 1001, 5001, PSH | ACK, 'hello'), tcpFrame(false, 5001, 1006, FIN | ACK)];
    const items = frames.map((b, i) => flowItem(i + 1, i, dec.decode(b), 'TCP', '')!);
    expect(items.map((f) => [f.src, f.srcPort, f.dst, f.dstPort, f.label, f.comment])).toEqual([
      ['10.0.0.1', 40000, '10.0.0.2', 80, 'SYN', 'Seq = 0'],
      ['10.0.0.2', 80, '10.0.0.1', 40000, 'SYN, ACK', 'Seq = 0 Ack = 1'],
      ['10.0.0.1', 40000, '10.0.0.2', 80, 'ACK', 'Seq = 1 Ack = 1'],
      ['10.0.0.1', 40000, '10.0.0.2', 80, 'PSH, ACK - Len: 5', 'Seq = 1 Ack = 1'],
      ['10.0.0.2', 80, '10.0.0.1', 40000, 'FIN, ACK', 'Seq = 1 Ack = 6'],
    ]);
    expect(items.every((f) => f.stream === 0)).toBe(true);
  });

  it('names flags in packet-tcp.c`s order', () => {
    expect(tcpFlagNames(RST | ACK)).toBe('RST, ACK');
    expect(tcpFlagNames(FIN | PSH | ACK)).toBe('FIN, PSH, ACK');
    expect(tcpFlagNames(0)).toBe('<None>');
  });

  it('uses the packet list`s Info for other frames and MAC nodes without IP', () => {
    const arp = new Uint8Array(60);
    arp.set([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x08, 0x06]);
    const it = flowItem(7, 0, new Decoder().decode(arp), 'ARP', 'Who has 10.0.0.2? Tell 10.0.0.1')!;
    expect([it.src, it.dst, it.label, it.comment]).toEqual(['02:00:00:00:00:01', 'ff:ff:ff:ff:ff:ff', 'Who has 10.0.0.2? Tell 10.0.0.1', 'ARP: Who has 10.0.0.2? Tell 10.0.0.1']);
  });
});
