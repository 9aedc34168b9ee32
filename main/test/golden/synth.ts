// Hand-built frames for tests of the golden tooling (real bytes through shared/wire's writers): a
// TCP segment with Linux's option layout, a UDP datagram. Not a stack: every field is given.
import {
  EtherType, IpProto, linuxOptionLayout, parseIpv4, tcpHeaderLength, writeEthernet, writeIpv4, writeTcp, writeUdp,
} from '../../../shared/wire';
import { flagBits } from './flags';

export const C = '10.0.0.1';
export const S = '10.0.0.2';

export interface SegmentFields {
  /** tcpdump notation: 'S', 'S.', '.', 'P.', 'F.', 'R', 'R.' ... */
  flags: string;
  seq: number;
  ack?: number;
  win?: number;
  /** Payload bytes (zeros). */
  len?: number;
  /** Linux SYN / SYN-ACK options (mss 1460, sackOK, TS, nop, wscale 10); else nop,nop,TS unless noOptions. */
  syn?: boolean;
  noOptions?: boolean;
  ts?: number;
}

function ip(s: string): number {
  const n = parseIpv4(s);
  if (n === null) throw new Error(`bad IPv4 address ${s}`);
  return n;
}

export function tcpFrame(src: string, sport: number, dst: string, dport: number, f: SegmentFields): Uint8Array {
  const ts = { val: f.ts ?? 1000, ecr: f.syn && !f.flags.includes('.') ? 0 : 500 };
  const options = f.noOptions ? [] : f.syn ? linuxOptionLayout({ mss: 1460, sackPerm: true, ts, wscale: 10 }) : linuxOptionLayout({ ts });
  const tcpLen = tcpHeaderLength(options);
  const len = f.len ?? 0;
  const b = new Uint8Array(Math.max(60, 14 + 20 + tcpLen + len));
  writeTcp(b, 34, {
    srcPort: sport, dstPort: dport, seq: f.seq >>> 0, ack: (f.ack ?? 0) >>> 0, flags: flagBits(f.flags),
    window: f.win ?? (f.syn ? 64240 : 63), options, payloadLength: len, src: ip(src), dst: ip(dst),
  });
  writeIpv4(b, 14, { id: 1, protocol: IpProto.TCP, src: ip(src), dst: ip(dst), payloadLength: tcpLen + len });
  writeEthernet(b, 0, { dst: 0x02_00_00_00_00_02, src: 0x02_00_00_00_00_01, etherType: EtherType.IPV4 });
  return b;
}

export function udpFrame(src: string, sport: number, dst: string, dport: number, len: number): Uint8Array {
  const b = new Uint8Array(Math.max(60, 14 + 20 + 8 + len));
  writeUdp(b, 34, { srcPort: sport, dstPort: dport, payloadLength: len, src: ip(src), dst: ip(dst) });
  writeIpv4(b, 14, { id: 2, protocol: IpProto.UDP, src: ip(src), dst: ip(dst), payloadLength: 8 + len });
  writeEthernet(b, 0, { dst: 0x02_00_00_00_00_02, src: 0x02_00_00_00_00_01, etherType: EtherType.IPV4 });
  return b;
}
