// Test fixture: the trace of a tiny lab, built with the shared/wire writers (real bytes, correct
// checksums). h1 (10.0.0.1) -- sw1 (p1, p2) -- h2 (10.0.0.2): ARP request and reply, then one
// ping. Each frame is seen at four capture points: sender tx, sw1 rx, sw1 tx, receiver rx.
import type { FrameEvent, KernelEvent } from '../../shared/trace';
import {
  ArpOp, EtherType, IcmpType, IpProto, writeArp, writeEthernet, writeIcmpEcho, writeIpv4,
} from '../../shared/wire';

export const H1 = { mac: 0x0200_0000_0101, ip: 0x0a00_0001 };
export const H2 = { mac: 0x0200_0000_0202, ip: 0x0a00_0002 };
const BROADCAST = 0xffff_ffff_ffff;

export function arpFrame(op: number, from: typeof H1, to: typeof H1, ethDst: number): Uint8Array {
  const b = new Uint8Array(60);
  writeEthernet(b, 0, { dst: ethDst, src: from.mac, etherType: EtherType.ARP });
  writeArp(b, 14, { op, sha: from.mac, spa: from.ip, tha: op === ArpOp.REQUEST ? 0 : to.mac, tpa: to.ip });
  return b;
}

export function pingFrame(type: typeof IcmpType.ECHO_REQUEST | typeof IcmpType.ECHO_REPLY, from: typeof H1, to: typeof H1, seq: number, dataLen = 56): Uint8Array {
  const b = new Uint8Array(14 + 20 + 8 + dataLen);
  for (let i = 0; i < dataLen; i++) b[42 + i] = (0x10 + i) & 255;
  writeEthernet(b, 0, { dst: to.mac, src: from.mac, etherType: EtherType.IPV4 });
  writeIcmpEcho(b, 34, { type, id: 0x1234, seq, payloadLength: dataLen });
  writeIpv4(b, 14, { id: seq, protocol: IpProto.ICMP, src: from.ip, dst: to.ip, payloadLength: 8 + dataLen });
  return b;
}

/** The four capture rows of one frame crossing h? -> sw1 -> h?. */
function hop(frameId: number, at: number, bytes: Uint8Array, fromH1: boolean): FrameEvent[] {
  const [a, pa, pb, b] = fromH1 ? ['h1', 'p1', 'p2', 'h2'] : ['h2', 'p2', 'p1', 'h1'];
  const wire = 1000 + bytes.length * 80; // 1 us latency + 100 Mb/s
  return [
    { at, frameId, first: true, machine: a, nic: 'eth0', dir: 'tx', bytes },
    { at: at + wire, frameId, first: false, machine: 'sw1', nic: pa, dir: 'rx', bytes },
    { at: at + wire + 5, frameId, first: false, machine: 'sw1', nic: pb, dir: 'tx', bytes },
    { at: at + 2 * wire + 5, frameId, first: false, machine: b, nic: 'eth0', dir: 'rx', bytes },
  ];
}

export interface TinyLab {
  frames: FrameEvent[];
  kernel: KernelEvent[];
}

/** 4 frames x 4 capture points = 16 rows; 3 kernel events (two about frames, one not). */
export function tinyLab(t0 = 1_000_000_000): TinyLab {
  const frames = [
    ...hop(1, t0, arpFrame(ArpOp.REQUEST, H1, H2, BROADCAST), true),
    ...hop(2, t0 + 100_000, arpFrame(ArpOp.REPLY, H2, H1, H1.mac), false),
    ...hop(3, t0 + 200_000, pingFrame(IcmpType.ECHO_REQUEST, H1, H2, 1), true),
    ...hop(4, t0 + 300_000, pingFrame(IcmpType.ECHO_REPLY, H2, H1, 1), false),
  ];
  const kernel: KernelEvent[] = [
    { at: t0 + 250_000, machine: 'h2', type: 'info', frameId: 3, text: 'ICMP echo request answered by the kernel (icmp_echo)' },
    { at: t0 + 350_000, machine: 'h1', type: 'info', frameId: 4, text: 'delivered to raw socket of ping (pid 7, fd 3)' },
    { at: t0 + 400_000, machine: 'h1', type: 'drop', reason: 'NO_SOCKET', text: 'UDP to port 9: no socket' },
  ];
  return { frames, kernel };
}
