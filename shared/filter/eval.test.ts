// The evaluator on frames built with the wire writers (checksums and all). Agreement with tshark on
// real captures is main/trace/filter-tshark.test.ts; these pin the rules one at a time.
import { describe, expect, it } from 'vitest';
import { EtherType, writeEthernet } from '../wire/ethernet';
import { writeIcmpv4 } from '../wire/icmpv4';
import { IpProto, writeIpv4 } from '../wire/ipv4';
import { TcpFlag, writeTcp } from '../wire/tcp';
import { writeUdp } from '../wire/udp';
import { frameFields, matches, TcpConversations, type FrameContext } from './eval';
import { parseFilter } from './parser';
import { emptyKeys, frameKeys, resetKeys, type FrameKeys } from './keys';

const A = 0x0a000001; // 10.0.0.1
const B = 0x0a000002;
const ctx: FrameContext = { machine: 'alice', nic: 'eth0', dir: 'tx' };

function tcpFrame(src: number, sport: number, dst: number, dport: number, flags: number, seq: number, ack: number, payload = ''): Uint8Array {
  const data = new TextEncoder().encode(payload);
  const buf = new Uint8Array(14 + 20 + 20 + data.length);
  writeEthernet(buf, 0, { dst: 0x020000000002, src: 0x020000000001, etherType: EtherType.IPV4 });
  buf.set(data, 54);
  writeTcp(buf, 34, { srcPort: sport, dstPort: dport, seq, ack, flags, window: 64240, payloadLength: data.length, src, dst });
  writeIpv4(buf, 14, { id: 1, protocol: IpProto.TCP, src, dst, payloadLength: 20 + data.length });
  return buf;
}

/** An ICMP port unreachable from B quoting a UDP datagram A:5000 -> B:9. */
function icmpError(): Uint8Array {
  const quoted = new Uint8Array(28);
  writeUdp(quoted, 20, { srcPort: 5000, dstPort: 9, payloadLength: 4, src: A, dst: B, checksum: false });
  writeIpv4(quoted, 0, { id: 7, protocol: IpProto.UDP, src: A, dst: B, payloadLength: 12 });
  const buf = new Uint8Array(14 + 20 + 8 + quoted.length);
  writeEthernet(buf, 0, { dst: 0x020000000001, src: 0x020000000002, etherType: EtherType.IPV4 });
  buf.set(quoted, 42);
  writeIcmpv4(buf, 34, { type: 3, code: 3, rest: 0, payloadLength: quoted.length });
  writeIpv4(buf, 14, { id: 2, protocol: IpProto.ICMP, src: B, dst: A, payloadLength: 8 + quoted.length });
  return buf;
}

const test = (filter: string, frame: Uint8Array, conv = new TcpConversations(), c = ctx): boolean => {
  const p = parseFilter(filter);
  if (!p.ok) throw new Error(p.error.message);
  return matches(p.expr, frameFields(frame, c, conv));
};

describe('display filter evaluation', () => {
  it('a comparison holds when some occurrence satisfies it; != when every occurrence differs', () => {
    const f = tcpFrame(A, 40000, B, 80, TcpFlag.SYN, 1000, 0);
    expect(test('ip.addr == 10.0.0.2', f)).toBe(true);
    expect(test('ip.addr != 10.0.0.2', f)).toBe(false); // the destination is 10.0.0.2
    expect(test('ip.addr != 10.0.0.9', f)).toBe(true);
    expect(test('udp.port != 80', f)).toBe(false); // absent: neither == nor != holds
    expect(test('ip.addr == 10.0.0.0/30 and tcp.port == 80 and tcp.flags.syn == 1 and tcp.flags.ack == 0', f)).toBe(true);
    // A bare field tests presence, as in Wireshark: every TCP header has an ACK bit, set or not.
    expect(test('tcp.flags.ack', f)).toBe(true);
  });

  it('an ICMP error carries the quoted IP and UDP headers as ip and udp occurrences, as tshark dissects it', () => {
    const f = icmpError();
    expect(test('icmp.type == 3 and icmp.code == 3', f)).toBe(true);
    expect(test('udp', f)).toBe(true);
    expect(test('udp.dstport == 9 and udp.length == 12', f)).toBe(true);
    expect(test('ip.src == 10.0.0.1', f)).toBe(true); // the quoted datagram's source
    expect(test('ip.src != 10.0.0.1', f)).toBe(false);
  });

  it('tcp.stream counts conversations in order; seq/ack are relative to each side\'s first number', () => {
    const conv = new TcpConversations();
    const seen = (f: Uint8Array) => {
      const x = frameFields(f, ctx, conv);
      return [x.get('tcp.stream')![0], x.get('tcp.seq')![0], x.get('tcp.ack')![0]];
    };
    expect(seen(tcpFrame(A, 40000, B, 80, TcpFlag.SYN, 1000, 0))).toEqual([0, 0, 0]);
    expect(seen(tcpFrame(B, 80, A, 40000, TcpFlag.SYN | TcpFlag.ACK, 5000, 1001))).toEqual([0, 0, 1]);
    expect(seen(tcpFrame(A, 40001, B, 80, TcpFlag.ACK, 7000, 9000))).toEqual([1, 1, 1]); // joined mid-connection: both sides show 1
    expect(seen(tcpFrame(A, 40000, B, 80, TcpFlag.ACK | TcpFlag.PSH, 1001, 5001, 'GET / HTTP/1.1\r\n\r\n'))).toEqual([0, 1, 1]);
    expect(seen(tcpFrame(A, 40000, B, 80, TcpFlag.SYN, 424242, 0))).toEqual([2, 0, 0]); // port reuse: a new ISN
    expect(seen(tcpFrame(B, 80, A, 40000, TcpFlag.SYN | TcpFlag.ACK, 9000, 424243))).toEqual([2, 0, 1]);
    expect(seen(tcpFrame(A, 40001, B, 80, TcpFlag.ACK, 7010, 9000))).toEqual([1, 11, 1]); // back to stream 1 after stream 2
    expect(seen(tcpFrame(A, 40000, B, 80, TcpFlag.ACK, 424243, 9001))).toEqual([2, 1, 1]); // the reused tuple is stream 2 from then on
  });

  it('a connection from an endpoint to itself: seq from one side\'s base, ack from the other\'s, as packet-tcp.c (fwd = flow2, rev = flow1)', () => {
    const conv = new TcpConversations();
    const seen = (f: Uint8Array) => {
      const x = frameFields(f, ctx, conv);
      return [x.get('tcp.stream')![0], x.get('tcp.seq')![0], x.get('tcp.ack')![0]];
    };
    // Joined mid-connection: the seq's base is one below it, the ack's one below the ack.
    expect(seen(tcpFrame(A, 5000, A, 5000, TcpFlag.ACK, 100, 500, 'x'))).toEqual([0, 1, 1]);
    expect(seen(tcpFrame(A, 5000, A, 5000, TcpFlag.ACK, 101, 510))).toEqual([0, 2, 11]);
  });

  it('HTTP is the segment where a message ends; FTP data connections are the ones the control connection announced', () => {
    const conv = new TcpConversations();
    expect(test('http', tcpFrame(A, 40000, B, 80, TcpFlag.ACK | TcpFlag.PSH, 1, 1, 'GET / HTTP/1.1\r\nHost: b\r\n\r\n'), conv)).toBe(true);
    expect(test('http', tcpFrame(B, 80, A, 40000, TcpFlag.ACK, 1, 30, 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12345'), conv)).toBe(false);
    expect(test('http', tcpFrame(B, 80, A, 40000, TcpFlag.ACK | TcpFlag.PSH, 45, 30, '67890'), conv)).toBe(true);
    expect(test('http', tcpFrame(A, 40000, B, 80, TcpFlag.ACK, 30, 50), conv)).toBe(false); // no payload: TCP only

    const ftp = new TcpConversations();
    expect(test('ftp', tcpFrame(B, 21, A, 41000, TcpFlag.ACK | TcpFlag.PSH, 1, 1, '227 Entering Passive Mode (10,0,0,2,195,80).\r\n'), ftp)).toBe(true);
    expect(test('ftp-data', tcpFrame(B, 50000, A, 41001, TcpFlag.ACK | TcpFlag.PSH, 1, 1, 'file'), ftp)).toBe(true); // 195*256+80
    expect(test('ftp-data', tcpFrame(B, 50001, A, 41001, TcpFlag.ACK | TcpFlag.PSH, 1, 1, 'file'), ftp)).toBe(false);
  });

  it('lab fields: where the frame was captured, and why it was dropped', () => {
    const f = tcpFrame(A, 40000, B, 80, TcpFlag.SYN, 1, 0);
    const dropped: FrameContext = { machine: 'server', nic: 'eth0', dir: 'rx', dropReasons: ['LISTEN_OVERFLOW'] };
    expect(test('lab.machine == "server" and lab.dir == rx', f, new TcpConversations(), dropped)).toBe(true);
    expect(test('lab.drop_reason contains "OVERFLOW"', f, new TcpConversations(), dropped)).toBe(true);
    expect(test('lab.drop_reason', f)).toBe(false);
    expect(test('lab.machine != "alice"', f)).toBe(false);
  });

  it('an FTP PORT/PASV with numbers out of range announces no data connection (it would alias another endpoint)', () => {
    const conv = new TcpConversations();
    conv.ftpControl('PORT 10,0,0,1,300,80', A);
    conv.ftpControl('227 Entering Passive Mode (10,0,0,999,4,1)', A);
    expect(conv.isFtpData(B, 300 * 256 + 80 - 65536, A, 21)).toBe(false);
    expect(conv.isFtpData(A, 300 * 256 + 80, B, 21)).toBe(false);
    conv.ftpControl('PORT 10,0,0,1,4,1', A);
    expect(conv.isFtpData(A, 1025, B, 20)).toBe(true);
  });
});

describe('frame keys', () => {
  it('resetKeys sets every field back to what emptyKeys gives', () => {
    const k = emptyKeys();
    const names = Object.keys(k) as (keyof FrameKeys)[];
    names.forEach((n, i) => (k[n] = i + 1));
    resetKeys(k);
    expect(k).toEqual(emptyKeys());
    expect(Object.keys(k)).toEqual(names);
  });

  it('a frame read in place in a larger buffer has the keys it has alone (the ICMP quote\'s offsets are the frame\'s own)', () => {
    for (const f of [icmpError(), tcpFrame(A, 40000, B, 80, TcpFlag.SYN, 1000, 0), tcpFrame(A, 40000, B, 21, TcpFlag.ACK, 1, 1, 'USER x\r\n')]) {
      const arena = new Uint8Array(7 + f.length + 5).fill(0xee);
      arena.set(f, 7);
      const inPlace = frameKeys(arena, new TcpConversations(), emptyKeys(), 7, 7 + f.length);
      expect(inPlace).toEqual(frameKeys(f, new TcpConversations()));
    }
    expect(frameKeys(icmpError(), new TcpConversations()).quotedAt).toBe(42);
  });
});
