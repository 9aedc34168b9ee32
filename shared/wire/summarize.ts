// One line per frame for the packet list (Wireshark's columns). Called for every row the trace
// lists or exports (main/trace/chunks.ts), so it builds no tree: it reads the headers through the
// same parsers and writes a few strings.
// TCP and UDP payloads on a well-known port name their application protocol (app.ts, dns.ts).

import { formatIpv4, formatMac, readMac } from './address';
import { tcpAppInfo, tcpAppProtocol, udpAppProtocol } from './app';
import { parseArp } from './arp';
import { readU16, readU32 } from './bytes';
import type { FrameSummary } from './dissect-types';
import { dnsSummary, walkDns } from './dns';
import { ETH_HEADER_LEN, EtherType, parseEthernet } from './ethernet';
import { isIcmpError, parseIcmpv4 } from './icmpv4';
import { IpProto, Ipv4Flag, parseIpv4Header } from './ipv4';
import { arpInfo, etherTypeName, hex, icmpCodeName, icmpTypeName, ipProtoName } from './names';
import { parseTcp, TcpFlag, tcpFlagNames } from './tcp';
import { tcpOptionLength, TcpOptionKind } from './tcp-options';
import { parseUdp } from './udp';

function malformedSummary(s: FrameSummary, protocol: string, error: string, at: number): FrameSummary {
  s.protocol = protocol;
  s.malformed = `${error} at byte ${at}`;
  s.info = `[Malformed: ${s.malformed}]`;
  return s;
}

/**
 * The packet-list row of one Ethernet II frame (no FCS). Never throws. `tcpShown` gives a TCP
 * segment's seq/ack as Info shows them: Wireshark shows them relative to each side's first sequence
 * number, which takes the conversation's earlier frames (the trace works them out as it writes,
 * shared/filter/keys.ts, and keeps them in its seq/ack columns); without it Info shows them as on
 * the wire. Called only for a TCP segment.
 */
export function summarize(bytes: Uint8Array, tcpShown?: { seq: number; ack: number }): FrameSummary {
  const len = bytes.length;
  const s: FrameSummary = {
    ethSrc: len >= 12 ? readMac(bytes, 6) : 0,
    ethDst: len >= 6 ? readMac(bytes, 0) : 0,
    etherType: 0,
    protocol: 'Ethernet',
    src: '',
    dst: '',
    info: '',
  };
  const eth = parseEthernet(bytes, 0);
  if (!eth.ok) return malformedSummary(s, 'Ethernet', eth.error, eth.at);
  const e = eth.value;
  s.etherType = e.etherType;

  if (e.etherType !== EtherType.IPV4) {
    // Addresses columns: MACs unless there is an IP layer (FrameSummary.src).
    s.src = formatMac(e.src);
    s.dst = formatMac(e.dst);
  }
  if (e.etherType === EtherType.ARP) {
    const r = parseArp(bytes, ETH_HEADER_LEN);
    if (!r.ok) return malformedSummary(s, 'ARP', r.error, r.at);
    const a = r.value;
    s.protocol = 'ARP';
    s.arpOp = a.op;
    s.info = arpInfo(a.op, a.sha, a.spa, a.tha, a.tpa);
    return s;
  }
  if (e.etherType !== EtherType.IPV4) {
    s.info = e.etherType <= 1500 ? `IEEE 802.3 length field ${e.etherType} (not decoded)` : `Ethernet II, type ${etherTypeName(e.etherType)} (${hex(e.etherType, 4)})`;
    return s;
  }

  const r = parseIpv4Header(bytes, ETH_HEADER_LEN);
  if (!r.ok) {
    s.src = formatMac(e.src);
    s.dst = formatMac(e.dst);
    return malformedSummary(s, 'IPv4', r.error, r.at);
  }
  const ip = r.value;
  s.protocol = 'IPv4';
  s.ipSrc = ip.src;
  s.ipDst = ip.dst;
  s.ipProto = ip.protocol;
  s.ttl = ip.ttl;
  s.src = formatIpv4(ip.src);
  s.dst = formatIpv4(ip.dst);
  const off = ip.payloadOffset;
  const end = off + ip.payloadLength;

  if (ip.fragOffset !== 0 || (ip.flags & Ipv4Flag.MF) !== 0) {
    s.info = `Fragmented IP protocol (proto=${ipProtoName(ip.protocol)} ${ip.protocol}, off=${ip.fragOffset * 8}, ID=${ip.id.toString(16).padStart(4, '0')})`;
    return s;
  }

  if (ip.protocol === IpProto.TCP) {
    const t = parseTcp(bytes, off, end);
    if (!t.ok) return malformedSummary(s, 'TCP', t.error, t.at);
    const h = t.value;
    s.protocol = 'TCP';
    s.srcPort = h.srcPort;
    s.dstPort = h.dstPort;
    s.tcpFlags = h.flags;
    s.tcpSeq = h.seq;
    s.tcpAck = h.ack;
    s.tcpWindow = h.window;
    s.payloadLen = h.payloadLength;
    const shown = tcpShown ?? h;
    let info = `${h.srcPort} → ${h.dstPort} [${tcpFlagNames(h.flags, h.reserved)}] Seq=${shown.seq}`;
    if (h.flags & TcpFlag.ACK) info += ` Ack=${shown.ack}`;
    info += ` Win=${h.window}`;
    if (h.flags & TcpFlag.URG) info += ` Urg=${h.urgentPointer}`;
    info += ` Len=${h.payloadLength}`;
    s.info = info + tcpOptionInfo(bytes, h.optionsOffset, h.payloadOffset, s);
    // Payload goes to the application protocol of the port (app.ts); a bare ACK/SYN/FIN stays TCP.
    const app = h.payloadLength > 0 && s.malformed === undefined ? tcpAppProtocol(h.srcPort, h.dstPort) : null;
    if (app) {
      s.protocol = app.protocol;
      s.info = tcpAppInfo(app.protocol, bytes, h.payloadOffset, h.payloadOffset + h.payloadLength, app.toServer);
    }
    return s;
  }
  if (ip.protocol === IpProto.UDP) {
    const u = parseUdp(bytes, off, end);
    if (!u.ok) return malformedSummary(s, 'UDP', u.error, u.at);
    const h = u.value;
    s.protocol = 'UDP';
    s.srcPort = h.srcPort;
    s.dstPort = h.dstPort;
    s.payloadLen = h.payloadLength;
    s.info = `${h.srcPort} → ${h.dstPort} Len=${h.payloadLength}`;
    if (h.payloadLength > 0 && udpAppProtocol(h.srcPort, h.dstPort)) dnsRow(s, bytes, h.payloadOffset, h.payloadOffset + h.payloadLength);
    return s;
  }
  if (ip.protocol === IpProto.ICMP) {
    const m = parseIcmpv4(bytes, off, end);
    if (!m.ok) return malformedSummary(s, 'ICMP', m.error, m.at);
    const h = m.value;
    s.protocol = 'ICMP';
    s.icmpType = h.type;
    s.icmpCode = h.code;
    // Wireshark pads the type name to 20 columns (packet-icmp.c "%-20s").
    const name = icmpTypeName(h.type).padEnd(20);
    if (h.type === 0 || h.type === 8) {
      const swapped = ((h.seq & 0xff) << 8) | (h.seq >>> 8);
      s.info = `${name} id=${hex(h.id, 4)}, seq=${h.seq}/${swapped}, ttl=${ip.ttl}`;
    } else {
      const code = icmpCodeName(h.type, h.code);
      s.info = code ? `${name} (${code})` : isIcmpError(h.type) ? `${name} (code ${h.code})` : name.trimEnd();
    }
    return s;
  }
  s.info = `${ipProtoName(ip.protocol)} (${ip.protocol}), ${ip.payloadLength} bytes`;
  return s;
}

/** A DNS payload: Wireshark's DNS Info, or what was read before the damage and where it is. */
function dnsRow(s: FrameSummary, bytes: Uint8Array, start: number, end: number): void {
  s.protocol = 'DNS';
  const r = walkDns(bytes, start, end);
  if (!r.error) {
    s.info = dnsSummary(r.message!);
    return;
  }
  s.malformed = `${r.error.error} at byte ${r.error.at}`;
  s.info = `${r.message ? dnsSummary(r.message) + ' ' : ''}[Malformed: ${s.malformed}]`;
}

/** " MSS=1460 SACK_PERM TSval=1 TSecr=0 WS=1024" in option order, as Wireshark's Info column. */
function tcpOptionInfo(bytes: Uint8Array, start: number, end: number, s: FrameSummary): string {
  let out = '';
  let i = start;
  while (i < end) {
    const k = bytes[i]!;
    if (k === TcpOptionKind.EOL) break;
    if (k === TcpOptionKind.NOP) {
      i++;
      continue;
    }
    const n = tcpOptionLength(bytes, i, end);
    if (typeof n !== 'number') {
      s.malformed = `${n.error} at byte ${n.at}`;
      break;
    }
    // tcpOptionLength returned a number, so the length is the one the kind needs (SACK: 2 + 8n, n >= 1).
    if (k === TcpOptionKind.MSS) out += ` MSS=${readU16(bytes, i + 2)}`;
    else if (k === TcpOptionKind.SACK_PERM) out += ' SACK_PERM';
    else if (k === TcpOptionKind.TIMESTAMP) out += ` TSval=${readU32(bytes, i + 2)} TSecr=${readU32(bytes, i + 6)}`;
    else if (k === TcpOptionKind.WSCALE) out += ` WS=${2 ** Math.min(bytes[i + 2]!, 14)}`;
    else if (k === TcpOptionKind.SACK) {
      for (let j = i + 2; j < i + n; j += 8) out += ` SLE=${readU32(bytes, j)} SRE=${readU32(bytes, j + 4)}`;
    }
    i += n;
  }
  return out;
}
