// The details tree (Wireshark's middle pane): one node per layer, every header field a child with its
// absolute byte range in the frame. Malformed or truncated layers end the tree with a
// "[Malformed: ... at byte N]" node; nothing here throws on any input. Checksums are verified and
// labelled "[correct]" / "[incorrect, should be 0x....]" (plus Wireshark's offload hint when the stored
// value is Linux's CHECKSUM_PARTIAL pseudo-header sum). TCP and UDP payloads on a well-known port get
// their application layer (dissect-dns.ts, dissect-app.ts), else a Data node.

import { formatIpv4, formatMac, readMac } from './address';
import { tcpAppProtocol, udpAppProtocol } from './app';
import { ARP_LEN, parseArp } from './arp';
import { readU16, readU32 } from './bytes';
import { isOffloadPartialChecksum } from './checksum';
import { dissectTcpApp } from './dissect-app';
import { dissectDns } from './dissect-dns';
import { DATA_HEX_MAX, dataNode, malformed, node } from './dissect-node';
import type { DissectNode } from './dissect-types';
import { ETH_HEADER_LEN, EtherType, parseEthernet } from './ethernet';
import { computeIcmpChecksum, ICMP_HEADER_LEN, isIcmpError, parseIcmpv4 } from './icmpv4';
import { computeIpv4Checksum, IpProto, Ipv4Flag, parseIpv4Header, parseIpv4Quoted, type Ipv4Header } from './ipv4';
import {
  bitPicture,
  dscpLongName,
  dscpShortName,
  ecnLongNames,
  ecnShortNames,
  etherTypeName,
  hex,
  hexBytes,
  icmpCodeName,
  icmpTypeName,
  ipProtoName,
} from './names';
import { computeTcpChecksum, parseTcp, tcpFlagNames, type TcpHeader } from './tcp';
import { walkTcpOptions, type TcpOptionAt } from './tcp-options';
import { computeUdpChecksum, parseUdp } from './udp';

export type { DissectNode, FrameSummary } from './dissect-types';
export { summarize } from './summarize';

function checksumLabel(name: string, stored: number, ok: boolean, should: number, offloadProto?: string): string {
  if (ok) return `${name}: ${hex(stored, 4)} [correct]`;
  const hint = offloadProto ? ` (maybe caused by "${offloadProto} checksum offload"?)` : '';
  return `${name}: ${hex(stored, 4)} [incorrect, should be ${hex(should, 4)}]${hint}`;
}

function setNotSet(v: boolean): string {
  return v ? 'Set' : 'Not set';
}

function macNode(name: string, bytes: Uint8Array, off: number): DissectNode {
  const mac = formatMac(readMac(bytes, off));
  const b0 = bytes[off]!;
  const first3 = (b0 << 16) | (bytes[off + 1]! << 8) | bytes[off + 2]!;
  return node(`${name}: ${mac}`, off, off + 6, [
    node(`Address: ${mac}`, off, off + 6),
    node(
      `${bitPicture(first3, 24, 0x020000)} = LG bit: ${b0 & 2 ? 'Locally administered address (this is NOT the factory default)' : 'Globally unique address (factory default)'}`,
      off,
      off + 3,
    ),
    node(`${bitPicture(first3, 24, 0x010000)} = IG bit: ${b0 & 1 ? 'Group address (multicast/broadcast)' : 'Individual address (unicast)'}`, off, off + 3),
  ]);
}

/** The details tree of one Ethernet II frame (no FCS). Never throws. */
export function dissect(bytes: Uint8Array): DissectNode[] {
  const out: DissectNode[] = [];
  const len = bytes.length;
  const eth = parseEthernet(bytes, 0);
  if (!eth.ok) {
    out.push(malformed(eth.error, eth.at, len));
    return out;
  }
  const e = eth.value;
  const ethChildren = [
    macNode('Destination', bytes, 0),
    macNode('Source', bytes, 6),
    // Values up to 1500 are an IEEE 802.3 length, not an EtherType (IEEE 802.3 clause 3.2.6).
    node(e.etherType <= 1500 ? `Length: ${e.etherType}` : `Type: ${etherTypeName(e.etherType)} (${hex(e.etherType, 4)})`, 12, 14),
  ];
  out.push(node(`Ethernet II, Src: ${formatMac(e.src)}, Dst: ${formatMac(e.dst)}`, 0, ETH_HEADER_LEN, ethChildren));

  // End of the layer-3 packet; what follows is Ethernet padding or trailer.
  let l3End = -1;
  if (e.etherType === EtherType.ARP) l3End = dissectArp(bytes, ETH_HEADER_LEN, out);
  else if (e.etherType === EtherType.IPV4) l3End = dissectIpv4(bytes, ETH_HEADER_LEN, len, out, false);
  else if (len > ETH_HEADER_LEN) {
    out.push(dataNode(bytes, ETH_HEADER_LEN, len));
    l3End = len;
  }
  if (l3End >= 0 && l3End < len) {
    let zero = true;
    for (let i = l3End; i < len; i++) if (bytes[i] !== 0) zero = false;
    ethChildren.push(node(`${zero ? 'Padding' : 'Trailer'}: ${hexBytes(bytes, l3End, Math.min(len, l3End + DATA_HEX_MAX))}${len - l3End > DATA_HEX_MAX ? '…' : ''}`, l3End, len));
  }
  return out;
}

/** Returns the end of the ARP packet, or -1 when malformed (a node says why). */
function dissectArp(bytes: Uint8Array, off: number, out: DissectNode[]): number {
  const r = parseArp(bytes, off);
  if (!r.ok) {
    out.push(malformed(r.error, r.at, bytes.length));
    return -1;
  }
  const a = r.value;
  const opName = a.op === 1 ? 'request' : 'reply';
  out.push(
    node(`Address Resolution Protocol (${opName})`, off, off + ARP_LEN, [
      node('Hardware type: Ethernet (1)', off, off + 2),
      node('Protocol type: IPv4 (0x0800)', off + 2, off + 4),
      node('Hardware size: 6', off + 4, off + 5),
      node('Protocol size: 4', off + 5, off + 6),
      node(`Opcode: ${opName} (${a.op})`, off + 6, off + 8),
      node(`Sender MAC address: ${formatMac(a.sha)}`, off + 8, off + 14),
      node(`Sender IP address: ${formatIpv4(a.spa)}`, off + 14, off + 18),
      node(`Target MAC address: ${formatMac(a.tha)}`, off + 18, off + 24),
      node(`Target IP address: ${formatIpv4(a.tpa)}`, off + 24, off + 28),
    ]),
  );
  return off + ARP_LEN;
}

function ipv4FlagsLabel(flags: number): string {
  let s = `Flags: ${hex(flags, 1)}`;
  if (flags & Ipv4Flag.RESERVED) s += ', Reserved bit';
  if (flags & Ipv4Flag.DF) s += ", Don't fragment";
  if (flags & Ipv4Flag.MF) s += ', More fragments';
  return s;
}

const ipOptionNames: Record<number, string> = {
  0: 'End of Options List (EOL)',
  1: 'No-Operation (NOP)',
  7: 'Record Route',
  68: 'Time Stamp',
  130: 'Security',
  131: 'Loose Source Route',
  136: 'Stream ID',
  137: 'Strict Source Route',
  148: 'Router Alert',
};

function ipOptionsNode(bytes: Uint8Array, start: number, end: number): DissectNode {
  const children: DissectNode[] = [];
  let i = start;
  while (i < end) {
    const t = bytes[i]!;
    const name = ipOptionNames[t] ?? `Unknown (0x${t.toString(16).padStart(2, '0')})`;
    if (t === 0) {
      children.push(node(`IP Option - ${name}`, i, end));
      break;
    }
    if (t === 1) {
      children.push(node(`IP Option - ${name}`, i, i + 1));
      i++;
      continue;
    }
    const l = i + 1 < end ? bytes[i + 1]! : 0;
    if (l < 2 || i + l > end) {
      children.push(malformed(`IP option ${name} length ${l} is invalid`, i, end));
      break;
    }
    children.push(node(`IP Option - ${name} (${l} bytes)`, i, i + l));
    i += l;
  }
  return node(`Options: (${end - start} bytes)`, start, end, children);
}

/**
 * Dissects an IPv4 datagram at off into `out`; returns the end of the datagram (total length) or -1
 * when the header is malformed. `quoted`: inside an ICMP error, where the datagram is cut short.
 */
function dissectIpv4(bytes: Uint8Array, off: number, end: number, out: DissectNode[], quoted: boolean): number {
  const r = quoted ? parseIpv4Quoted(bytes, off, end) : parseIpv4Header(bytes, off, end);
  if (!r.ok) {
    out.push(malformed(r.error, r.at, end));
    return -1;
  }
  const ip = r.value;
  const b0 = bytes[off]!;
  const dscp = ip.tos >>> 2;
  const ecn = ip.tos & 3;
  const ff = readU16(bytes, off + 6);
  const children: DissectNode[] = [
    node(`${bitPicture(b0, 8, 0xf0)} = Version: 4`, off, off + 1),
    node(`${bitPicture(b0, 8, 0x0f)} = Header Length: ${ip.headerLength} bytes (${ip.ihl})`, off, off + 1),
    node(`Differentiated Services Field: ${hex(ip.tos, 2)} (DSCP: ${dscpShortName(dscp)}, ECN: ${ecnShortNames[ecn]})`, off + 1, off + 2, [
      node(`${bitPicture(ip.tos, 8, 0xfc)} = Differentiated Services Codepoint: ${dscpLongName(dscp)} (${dscp})`, off + 1, off + 2),
      node(`${bitPicture(ip.tos, 8, 0x03)} = Explicit Congestion Notification: ${ecnLongNames[ecn]} (${ecn})`, off + 1, off + 2),
    ]),
    node(`Total Length: ${ip.totalLength}`, off + 2, off + 4),
    node(`Identification: ${hex(ip.id, 4)} (${ip.id})`, off + 4, off + 6),
    node(`${bitPicture(bytes[off + 6]!, 8, 0xe0)} = ${ipv4FlagsLabel(ip.flags)}`, off + 6, off + 7, [
      node(`${bitPicture(bytes[off + 6]!, 8, 0x80)} = Reserved bit: ${setNotSet((ip.flags & Ipv4Flag.RESERVED) !== 0)}`, off + 6, off + 7),
      node(`${bitPicture(bytes[off + 6]!, 8, 0x40)} = Don't fragment: ${setNotSet((ip.flags & Ipv4Flag.DF) !== 0)}`, off + 6, off + 7),
      node(`${bitPicture(bytes[off + 6]!, 8, 0x20)} = More fragments: ${setNotSet((ip.flags & Ipv4Flag.MF) !== 0)}`, off + 6, off + 7),
    ]),
    // Wireshark shows the offset in bytes (field x 8).
    node(`${bitPicture(ff, 16, 0x1fff)} = Fragment Offset: ${ip.fragOffset * 8}`, off + 6, off + 8),
    node(`Time to Live: ${ip.ttl}`, off + 8, off + 9),
    node(`Protocol: ${ipProtoName(ip.protocol)} (${ip.protocol})`, off + 9, off + 10),
    node(checksumLabel('Header Checksum', ip.checksum, ip.checksumOk, ip.checksumOk ? 0 : computeIpv4Checksum(bytes, off, ip.headerLength)), off + 10, off + 12),
    node(`Source Address: ${formatIpv4(ip.src)}`, off + 12, off + 16),
    node(`Destination Address: ${formatIpv4(ip.dst)}`, off + 16, off + 20),
  ];
  if (ip.optionsLength > 0) children.push(ipOptionsNode(bytes, off + 20, ip.payloadOffset));
  const dgramEnd = ip.payloadOffset + ip.payloadLength;
  out.push(node(`Internet Protocol Version 4, Src: ${formatIpv4(ip.src)}, Dst: ${formatIpv4(ip.dst)}`, off, ip.payloadOffset, children));

  const p = ip.payloadOffset;
  const truncated = quoted && ip.payloadLength < ip.totalLength - ip.headerLength;
  if (ip.fragOffset !== 0 || (ip.flags & Ipv4Flag.MF) !== 0) {
    // A fragment: no transport header to decode without reassembly (RFC 791 §3.2).
    if (ip.payloadLength > 0) out.push(dataNode(bytes, p, dgramEnd));
  } else if (truncated) {
    dissectQuotedTransport(bytes, ip, out);
  } else if (ip.protocol === IpProto.TCP) {
    dissectTcp(bytes, ip, out);
  } else if (ip.protocol === IpProto.UDP) {
    dissectUdp(bytes, ip, out);
  } else if (ip.protocol === IpProto.ICMP) {
    dissectIcmp(bytes, ip, out);
  } else if (ip.payloadLength > 0) {
    out.push(dataNode(bytes, p, dgramEnd));
  }
  return dgramEnd;
}

function dissectUdp(bytes: Uint8Array, ip: Ipv4Header, out: DissectNode[]): void {
  const off = ip.payloadOffset;
  const r = parseUdp(bytes, off, off + ip.payloadLength, ip);
  if (!r.ok) {
    out.push(malformed(r.error, r.at, off + ip.payloadLength));
    return;
  }
  const u = r.value;
  let ck: string;
  if (u.checksum === 0) ck = 'Checksum: 0x0000 [zero-value ignored]';
  else {
    const ok = u.checksumOk === true;
    const offload = !ok && isOffloadPartialChecksum(u.checksum, ip.src, ip.dst, IpProto.UDP, u.length);
    ck = checksumLabel('Checksum', u.checksum, ok, ok ? 0 : computeUdpChecksum(bytes, off, u.length, ip.src, ip.dst), offload ? 'UDP' : undefined);
  }
  const children = [
    node(`Source Port: ${u.srcPort}`, off, off + 2),
    node(`Destination Port: ${u.dstPort}`, off + 2, off + 4),
    node(`Length: ${u.length}`, off + 4, off + 6),
    node(ck, off + 6, off + 8),
  ];
  if (u.payloadLength > 0) children.push(node(`UDP payload (${u.payloadLength} bytes)`, u.payloadOffset, u.payloadOffset + u.payloadLength));
  out.push(node(`User Datagram Protocol, Src Port: ${u.srcPort}, Dst Port: ${u.dstPort}`, off, off + 8, children));
  if (u.payloadLength === 0) return;
  const pEnd = u.payloadOffset + u.payloadLength;
  // A payload on a well-known port goes to its protocol (app.ts); DNS is the one over UDP.
  out.push(udpAppProtocol(u.srcPort, u.dstPort) ? dissectDns(bytes, u.payloadOffset, pEnd) : dataNode(bytes, u.payloadOffset, pEnd));
}

const tcpFlagBits: ReadonlyArray<readonly [number, string]> = [
  [0x800 | 0x400 | 0x200, 'Reserved'],
  [0x100, 'Accurate ECN'],
  [0x80, 'Congestion Window Reduced'],
  [0x40, 'ECN-Echo'],
  [0x20, 'Urgent'],
  [0x10, 'Acknowledgment'],
  [0x08, 'Push'],
  [0x04, 'Reset'],
  [0x02, 'Syn'],
  [0x01, 'Fin'],
];

function tcpOptionNode(o: TcpOptionAt): DissectNode {
  const s = o.offset;
  const e = o.offset + o.length;
  const kindNode = (name: string, k: number): DissectNode => node(`Kind: ${name} (${k})`, s, s + 1);
  const lenNode = (): DissectNode => node(`Length: ${o.length}`, s + 1, s + 2);
  switch (o.kind) {
    case 'eol':
      return node('TCP Option - End of Option List (EOL)', s, e, [kindNode('End of Option List', 0)]);
    case 'nop':
      return node('TCP Option - No-Operation (NOP)', s, e, [kindNode('No-Operation', 1)]);
    case 'mss':
      return node(`TCP Option - Maximum segment size: ${o.mss} bytes`, s, e, [kindNode('Maximum Segment Size', 2), lenNode(), node(`MSS Value: ${o.mss}`, s + 2, e)]);
    case 'wscale': {
      const mult = 2 ** Math.min(o.shift, 14);
      return node(`TCP Option - Window scale: ${o.shift} (multiply by ${mult})`, s, e, [
        kindNode('Window Scale', 3),
        lenNode(),
        node(`Shift count: ${o.shift}`, s + 2, e),
        node(`[Multiplier: ${mult}]`, s + 2, e),
      ]);
    }
    case 'sackPerm':
      return node('TCP Option - SACK permitted', s, e, [kindNode('SACK Permitted', 4), lenNode()]);
    case 'timestamp':
      return node(`TCP Option - Timestamps: TSval ${o.tsVal}, TSecr ${o.tsEcr}`, s, e, [
        kindNode('Time Stamp Option', 8),
        lenNode(),
        node(`Timestamp value: ${o.tsVal}`, s + 2, s + 6),
        node(`Timestamp echo reply: ${o.tsEcr}`, s + 6, s + 10),
      ]);
    case 'sack': {
      const kids = [kindNode('SACK', 5), lenNode()];
      let j = s + 2;
      for (const [l, r] of o.blocks) {
        kids.push(node(`left edge = ${l}`, j, j + 4), node(`right edge = ${r}`, j + 4, j + 8));
        j += 8;
      }
      return node(`TCP Option - SACK ${o.blocks.map(([l, r]) => `${l}-${r}`).join(' ')}`, s, e, kids);
    }
    case 'unknown':
      return node(`TCP Option - Unknown (${o.type})`, s, e, [
        kindNode('Unknown', o.type),
        lenNode(),
        node(`Payload: ${hexBytes(o.data, 0, o.data.length)}`, s + 2, e),
      ]);
  }
}

const optionSummaryNames: Record<TcpOptionAt['kind'], string> = {
  eol: 'End of Option List (EOL)',
  nop: 'No-Operation (NOP)',
  mss: 'Maximum segment size',
  wscale: 'Window scale',
  sackPerm: 'SACK permitted',
  sack: 'SACK',
  timestamp: 'Timestamps',
  unknown: 'Unknown',
};

function dissectTcp(bytes: Uint8Array, ip: Ipv4Header, out: DissectNode[]): void {
  const off = ip.payloadOffset;
  const end = off + ip.payloadLength;
  const r = parseTcp(bytes, off, end, ip);
  if (!r.ok) {
    out.push(malformed(r.error, r.at, end));
    return;
  }
  const t: TcpHeader = r.value;
  const ok = t.checksumOk === true;
  const offload = !ok && isOffloadPartialChecksum(t.checksum, ip.src, ip.dst, IpProto.TCP, ip.payloadLength);
  const flags12 = (t.reserved << 8) | t.flags;
  const flagKids = tcpFlagBits.map(([mask, name]) =>
    node(`${bitPicture(flags12, 12, mask)} = ${name}: ${setNotSet((flags12 & mask) !== 0)}`, mask >= 0x100 ? off + 12 : off + 13, mask >= 0x100 ? off + 13 : off + 14),
  );
  const children: DissectNode[] = [
    node(`Source Port: ${t.srcPort}`, off, off + 2),
    node(`Destination Port: ${t.dstPort}`, off + 2, off + 4),
    node(`Sequence Number: ${t.seq}`, off + 4, off + 8),
    node(`Acknowledgment Number: ${t.ack}`, off + 8, off + 12),
    node(`${bitPicture(bytes[off + 12]!, 8, 0xf0)} = Header Length: ${t.headerLength} bytes (${t.dataOffset})`, off + 12, off + 13),
    node(`Flags: ${hex(flags12, 3)} (${tcpFlagNames(t.flags, t.reserved)})`, off + 12, off + 14, flagKids),
    node(`Window: ${t.window}`, off + 14, off + 16),
    node(checksumLabel('Checksum', t.checksum, ok, ok ? 0 : computeTcpChecksum(bytes, off, end, ip.src, ip.dst), offload ? 'TCP' : undefined), off + 16, off + 18),
    node(`Urgent Pointer: ${t.urgentPointer}`, off + 18, off + 20),
  ];
  if (t.optionsLength > 0) {
    const opts: TcpOptionAt[] = [];
    const err = walkTcpOptions(bytes, t.optionsOffset, t.payloadOffset, opts);
    const kids: DissectNode[] = [];
    let names = '';
    for (const o of opts) {
      kids.push(tcpOptionNode(o));
      names += ', ' + optionSummaryNames[o.kind];
    }
    // The options before the damage stay; the damage ends the list.
    if (err) kids.push(malformed(err.error, err.at, t.payloadOffset));
    children.push(node(`Options: (${t.optionsLength} bytes)${names}`, t.optionsOffset, t.payloadOffset, kids));
  }
  if (t.payloadLength > 0) children.push(node(`TCP payload (${t.payloadLength} bytes)`, t.payloadOffset, end));
  const ackPart = t.flags & 0x10 ? `, Ack: ${t.ack}` : '';
  out.push(
    node(`Transmission Control Protocol, Src Port: ${t.srcPort}, Dst Port: ${t.dstPort}, Seq: ${t.seq}${ackPart}, Len: ${t.payloadLength}`, off, t.payloadOffset, children),
  );
  if (t.payloadLength === 0) return;
  const app = tcpAppProtocol(t.srcPort, t.dstPort);
  out.push(app ? dissectTcpApp(app, bytes, t.payloadOffset, end) : dataNode(bytes, t.payloadOffset, end));
}

function dissectIcmp(bytes: Uint8Array, ip: Ipv4Header, out: DissectNode[]): void {
  const off = ip.payloadOffset;
  const end = off + ip.payloadLength;
  const r = parseIcmpv4(bytes, off, end);
  if (!r.ok) {
    out.push(malformed(r.error, r.at, end));
    return;
  }
  const m = r.value;
  const codeName = icmpCodeName(m.type, m.code);
  const children: DissectNode[] = [
    node(`Type: ${m.type} (${icmpTypeName(m.type)})`, off, off + 1),
    node(codeName ? `Code: ${m.code} (${codeName})` : `Code: ${m.code}`, off + 1, off + 2),
    node(checksumLabel('Checksum', m.checksum, m.checksumOk, m.checksumOk ? 0 : computeIcmpChecksum(bytes, off, end)), off + 2, off + 4),
  ];
  const rest = off + 4;
  const data = off + ICMP_HEADER_LEN;
  if (m.type === 0 || m.type === 8) {
    const swap = (v: number): number => ((v & 0xff) << 8) | (v >>> 8);
    children.push(
      node(`Identifier (BE): ${m.id} (${hex(m.id, 4)})`, rest, rest + 2),
      node(`Identifier (LE): ${swap(m.id)} (${hex(swap(m.id), 4)})`, rest, rest + 2),
      node(`Sequence Number (BE): ${m.seq} (${hex(m.seq, 4)})`, rest + 2, rest + 4),
      node(`Sequence Number (LE): ${swap(m.seq)} (${hex(swap(m.seq), 4)})`, rest + 2, rest + 4),
    );
    if (m.payloadLength > 0) children.push(dataNode(bytes, data, end));
  } else if (isIcmpError(m.type)) {
    if (m.type === 3 && m.code === 4) {
      children.push(node(`Unused: ${hexBytes(bytes, rest, rest + 2)}`, rest, rest + 2), node(`MTU of next hop: ${m.seq}`, rest + 2, rest + 4));
    } else if (m.type === 5) {
      children.push(node(`Gateway Address: ${formatIpv4(m.rest)}`, rest, rest + 4));
    } else if (m.type === 12) {
      children.push(node(`Pointer: ${bytes[rest]!}`, rest, rest + 1), node(`Unused: ${hexBytes(bytes, rest + 1, rest + 4)}`, rest + 1, rest + 4));
    } else {
      children.push(node(`Unused: ${hexBytes(bytes, rest, rest + 4)}`, rest, rest + 4));
    }
    // The quoted datagram (RFC 792): its header and as much data as was quoted.
    if (m.payloadLength > 0) dissectIpv4(bytes, data, end, children, true);
  } else {
    children.push(node(`Rest of header: ${hexBytes(bytes, rest, rest + 4)}`, rest, rest + 4));
    if (m.payloadLength > 0) children.push(dataNode(bytes, data, end));
  }
  out.push(node('Internet Control Message Protocol', off, end, children));
}

/** A transport header quoted in an ICMP error and cut short: show the fields that are present. */
function dissectQuotedTransport(bytes: Uint8Array, ip: Ipv4Header, out: DissectNode[]): void {
  const off = ip.payloadOffset;
  const have = ip.payloadLength;
  if (ip.protocol !== IpProto.TCP && ip.protocol !== IpProto.UDP) {
    if (have > 0) out.push(dataNode(bytes, off, off + have));
    return;
  }
  const tcp = ip.protocol === IpProto.TCP;
  const name = tcp ? 'Transmission Control Protocol' : 'User Datagram Protocol';
  if (have < 4) {
    if (have > 0) out.push(dataNode(bytes, off, off + have));
    return;
  }
  const sp = readU16(bytes, off);
  const dp = readU16(bytes, off + 2);
  const kids = [node(`Source Port: ${sp}`, off, off + 2), node(`Destination Port: ${dp}`, off + 2, off + 4)];
  if (have >= 8) {
    if (tcp) kids.push(node(`Sequence Number: ${readU32(bytes, off + 4)}`, off + 4, off + 8));
    else {
      kids.push(node(`Length: ${readU16(bytes, off + 4)}`, off + 4, off + 6));
      kids.push(node(`Checksum: ${hex(readU16(bytes, off + 6), 4)} [unverified, datagram truncated]`, off + 6, off + 8));
    }
  }
  const shown = Math.min(have, 8);
  out.push(node(`${name}, Src Port: ${sp}, Dst Port: ${dp}`, off, off + shown, kids));
  if (have > shown) out.push(dataNode(bytes, off + shown, off + have));
}
