import { describe, expect, it } from 'vitest';
import { TrafficTables } from './conversations';
import { Decoder } from './decode';
import { tcpFrame, TcpFlag } from './test-frames';

const { SYN, ACK } = TcpFlag;

describe('conversations and endpoints', () => {
  it('count frames and bytes each way with side A the first source, and a reused 4-tuple as a new conversation', () => {
    const dec = new Decoder();
    const t = new TrafficTables();
    const frames = [tcpFrame(true, 1000, 0, SYN), tcpFrame(false, 5000, 1001, SYN | ACK), tcpFrame(true, 1001, 5001, ACK, 'hi'), tcpFrame(true, 9000, 0, SYN)];
    frames.forEach((b, i) => t.add(1e9 + i * 1e6, b.length, dec.decode(b)));
    expect(t.conversations('tcp')).toEqual([
      { a: '10.0.0.1', portA: 40000, b: '10.0.0.2', portB: 80, stream: 0, framesAtoB: 2, bytesAtoB: 54 + 56, framesBtoA: 1, bytesBtoA: 54, startNs: 1e9, endNs: 1e9 + 2e6 },
      { a: '10.0.0.1', portA: 40000, b: '10.0.0.2', portB: 80, stream: 1, framesAtoB: 1, bytesAtoB: 54, framesBtoA: 0, bytesBtoA: 0, startNs: 1e9 + 3e6, endNs: 1e9 + 3e6 },
    ]);
    expect(t.conversations('ip')).toHaveLength(1);
    expect(t.endpoints('ip')).toEqual([
      { address: '10.0.0.1', txFrames: 3, txBytes: 164, rxFrames: 1, rxBytes: 54 },
      { address: '10.0.0.2', txFrames: 1, txBytes: 54, rxFrames: 3, rxBytes: 164 },
    ]);
    expect(t.endpoints('tcp').map((e) => `${e.address}:${e.port}`)).toEqual(['10.0.0.1:40000', '10.0.0.2:80']);
    expect(t.conversations('udp')).toEqual([]);
  });
});
