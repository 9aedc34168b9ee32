// A frame's filter fields as fixed numbers (FrameKeys): what every display-filter field reads,
// except the headers an ICMP error quotes (Has.QUOTED: those come from the bytes, quotedFields in
// eval.ts). One dissection feeds both the trace's columns (main/trace/columns.ts, evaluated without
// the bytes) and frameFields (eval.ts), so the two cannot disagree. Frames must be fed in capture
// order: tcp.stream, relative numbers and FTP/HTTP detection come from TcpConversations.
import { tcpAppProtocol, udpAppProtocol, type AppProtocol } from '../wire/app';
import { parseArp } from '../wire/arp';
import { ETH_HEADER_LEN, EtherType, parseEthernet } from '../wire/ethernet';
import { isIcmpError, parseIcmpv4 } from '../wire/icmpv4';
import { IpProto, parseIpv4Header } from '../wire/ipv4';
import { parseTcp } from '../wire/tcp';
import { parseUdp } from '../wire/udp';
import type { TcpConversations } from './eval';

/** Which layers a frame has (bits of FrameKeys.has). */
export const Has = {
  ETH: 1,
  ARP: 2,
  IP: 4,
  TCP: 8,
  UDP: 16,
  ICMP: 32,
  /** An ICMP error quoting a datagram: tshark dissects the quoted IP/TCP/UDP headers too. */
  QUOTED: 64,
} as const;

/** Application protocols by code (FrameKeys.app; 0 = none): the filter's protocol names. */
export const APP_NAMES = ['', 'ftp', 'ftp-data', 'ssh', 'telnet', 'smtp', 'http', 'dns'] as const;
/** An application protocol's number in the `app` key (index in APP_NAMES). */
export const APP_CODE = new Map<string, number>(APP_NAMES.map((n, i) => [n, i]));
/** The `app` code of each protocol app.ts names (by its name as app.ts spells it). */
const APP_OF: Readonly<Record<AppProtocol, number>> = {
  FTP: APP_CODE.get('ftp')!,
  'FTP-DATA': APP_CODE.get('ftp-data')!,
  SSH: APP_CODE.get('ssh')!,
  TELNET: APP_CODE.get('telnet')!,
  SMTP: APP_CODE.get('smtp')!,
  HTTP: APP_CODE.get('http')!,
  DNS: APP_CODE.get('dns')!,
};

export interface FrameKeys {
  has: number;
  app: number;
  frameLen: number;
  ethSrc: number;
  ethDst: number;
  ethType: number;
  arpOp: number;
  ipSrc: number;
  ipDst: number;
  ipProto: number;
  ttl: number;
  /** TCP or UDP ports (Has.TCP / Has.UDP say which). */
  srcPort: number;
  dstPort: number;
  stream: number;
  /** Relative seq/ack (ack as on the wire without ACK), as tshark shows them. */
  seq: number;
  ack: number;
  seqRaw: number;
  ackRaw: number;
  tcpLen: number;
  window: number;
  tcpFlags: number;
  udpLength: number;
  icmpType: number;
  icmpCode: number;
  /** Where an ICMP error's quoted datagram starts, and the ICMP payload's end (Has.QUOTED). */
  quotedAt: number;
  quotedEnd: number;
}

export function emptyKeys(): FrameKeys {
  return {
    has: 0, app: 0, frameLen: 0, ethSrc: 0, ethDst: 0, ethType: 0, arpOp: 0, ipSrc: 0, ipDst: 0, ipProto: 0, ttl: 0, srcPort: 0, dstPort: 0,
    stream: 0, seq: 0, ack: 0, seqRaw: 0, ackRaw: 0, tcpLen: 0, window: 0, tcpFlags: 0, udpLength: 0, icmpType: 0, icmpCode: 0, quotedAt: 0, quotedEnd: 0,
  };
}

/** Every field back to emptyKeys()'s value (field by field: Object.assign from a template costs more than the parse). */
export function resetKeys(k: FrameKeys): void {
  k.has = k.app = k.frameLen = k.ethSrc = k.ethDst = k.ethType = k.arpOp = k.ipSrc = k.ipDst = k.ipProto = k.ttl = k.srcPort = k.dstPort = 0;
  k.stream = k.seq = k.ack = k.seqRaw = k.ackRaw = k.tcpLen = k.window = k.tcpFlags = k.udpLength = k.icmpType = k.icmpCode = k.quotedAt = k.quotedEnd = 0;
}

/**
 * Fill `k` (reset first) with the keys of the frame in bytes[start, end) (the trace writer reads
 * frames in place in its batch's bytes); returns it. Never throws.
 */
export function frameKeys(bytes: Uint8Array, tcp: TcpConversations, k: FrameKeys = emptyKeys(), start = 0, end = bytes.length): FrameKeys {
  // Every field, so a reused `k` carries nothing of the frame before (the stored columns stay a function of the frames).
  resetKeys(k);
  k.frameLen = end - start;
  const eth = parseEthernet(bytes, start, end);
  if (!eth.ok) return k;
  const e = eth.value;
  k.has = Has.ETH;
  k.ethSrc = e.src;
  k.ethDst = e.dst;
  k.ethType = e.etherType;
  if (e.etherType === EtherType.ARP) {
    const a = parseArp(bytes, start + ETH_HEADER_LEN, end);
    if (a.ok) {
      k.has |= Has.ARP;
      k.arpOp = a.value.op;
    }
    return k;
  }
  if (e.etherType !== EtherType.IPV4) return k;
  const ip = parseIpv4Header(bytes, start + ETH_HEADER_LEN, end);
  if (!ip.ok) return k;
  const h = ip.value;
  k.has |= Has.IP;
  k.ipSrc = h.src;
  k.ipDst = h.dst;
  k.ipProto = h.protocol;
  k.ttl = h.ttl;
  const ipEnd = h.payloadOffset + h.payloadLength;
  if (h.fragOffset !== 0) return k; // a later fragment carries no transport header
  if (h.protocol === IpProto.TCP) {
    const t = parseTcp(bytes, h.payloadOffset, ipEnd);
    if (!t.ok) return k;
    const s = t.value;
    k.has |= Has.TCP;
    k.srcPort = s.srcPort;
    k.dstPort = s.dstPort;
    const conv = tcp.observe(h.src, s.srcPort, h.dst, s.dstPort, s.flags, s.seq, s.ack);
    k.stream = conv.stream;
    k.seq = conv.seq;
    k.ack = conv.ack;
    k.seqRaw = s.seq;
    k.ackRaw = s.ack;
    k.tcpLen = s.payloadLength;
    k.window = s.window;
    k.tcpFlags = s.flags;
    // Application protocols are handed only segments with payload (packet-tcp.c).
    if (s.payloadLength > 0) {
      if (tcp.isFtpData(h.src, s.srcPort, h.dst, s.dstPort)) k.app = APP_OF['FTP-DATA'];
      else {
        const app = tcpAppProtocol(s.srcPort, s.dstPort);
        const at = s.payloadOffset;
        // The payload is viewed only for the protocols read from their bytes (HTTP, FTP's commands).
        if (app?.protocol === 'HTTP') {
          if (tcp.httpSegment(conv.stream, !app.toServer, bytes.subarray(at, at + s.payloadLength))) k.app = APP_OF.HTTP;
        } else if (app) {
          k.app = APP_OF[app.protocol];
          if (app.protocol === 'FTP') tcp.ftpControl(String.fromCharCode(...bytes.subarray(at, at + Math.min(256, s.payloadLength))), h.src);
        }
      }
    }
  } else if (h.protocol === IpProto.UDP) {
    const u = parseUdp(bytes, h.payloadOffset, ipEnd);
    if (!u.ok) return k;
    k.has |= Has.UDP;
    k.srcPort = u.value.srcPort;
    k.dstPort = u.value.dstPort;
    k.udpLength = u.value.length;
    if (u.value.payloadLength > 0 && udpAppProtocol(u.value.srcPort, u.value.dstPort)) k.app = APP_OF.DNS;
  } else if (h.protocol === IpProto.ICMP) {
    const c = parseIcmpv4(bytes, h.payloadOffset, ipEnd);
    if (!c.ok) return k;
    k.has |= Has.ICMP;
    k.icmpType = c.value.type;
    k.icmpCode = c.value.code;
    if (isIcmpError(c.value.type)) {
      k.has |= Has.QUOTED;
      // Offsets in the frame (keyFields reads them in the frame's own bytes).
      k.quotedAt = h.payloadOffset + 8 - start;
      k.quotedEnd = ipEnd - start;
    }
  }
  return k;
}
