// Display names for the details tree and the Info column, following Wireshark's wording.

import { formatIpv4, formatMac } from './address';

export function hex(v: number, digits: number): string {
  return '0x' + v.toString(16).padStart(digits, '0');
}

export function hexBytes(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += (b[i]! < 16 ? '0' : '') + b[i]!.toString(16);
  return s;
}

/**
 * Wireshark's bit picture of a field inside a `width`-bit value: mask bits show the value's digit,
 * others a dot, grouped by four. bitPicture(0x45, 8, 0xf0) = "0100 ....". width <= 32.
 */
export function bitPicture(value: number, width: number, mask: number): string {
  let s = '';
  for (let i = width - 1; i >= 0; i--) {
    s += (mask >>> i) & 1 ? ((value >>> i) & 1 ? '1' : '0') : '.';
    if (i % 4 === 0 && i !== 0) s += ' ';
  }
  return s;
}

export function etherTypeName(t: number): string {
  switch (t) {
    case 0x0800: return 'IPv4';
    case 0x0806: return 'ARP';
    case 0x8100: return '802.1Q Virtual LAN';
    case 0x86dd: return 'IPv6';
    case 0x88cc: return '802.1 Link Layer Discovery Protocol (LLDP)';
    default: return 'Unknown';
  }
}

export function ipProtoName(p: number): string {
  switch (p) {
    case 1: return 'ICMP';
    case 2: return 'IGMP';
    case 6: return 'TCP';
    case 17: return 'UDP';
    case 41: return 'IPv6';
    case 47: return 'GRE';
    case 50: return 'ESP';
    case 51: return 'AH';
    case 89: return 'OSPF';
    case 132: return 'SCTP';
    default: return 'Unknown';
  }
}

/** DSCP short name (RFC 2474 class selectors, RFC 2597 AF, RFC 3246 EF) for the DS field summary. */
export function dscpShortName(dscp: number): string {
  if (dscp % 8 === 0) return `CS${dscp / 8}`;
  if (dscp === 46) return 'EF';
  const cls = dscp >>> 3;
  const drop = (dscp >>> 1) & 3;
  if (cls >= 1 && cls <= 4 && (dscp & 1) === 0 && drop >= 1) return `AF${cls}${drop}`;
  return `Unknown (${dscp})`;
}

export function dscpLongName(dscp: number): string {
  if (dscp === 0) return 'Default';
  if (dscp % 8 === 0) return `Class Selector ${dscp / 8}`;
  if (dscp === 46) return 'Expedited Forwarding';
  const s = dscpShortName(dscp);
  return s.startsWith('AF') ? `Assured Forwarding ${s.slice(2)}` : 'Unknown';
}

export const ecnShortNames = ['Not-ECT', 'ECT(1)', 'ECT(0)', 'CE'] as const;
export const ecnLongNames = [
  'Not ECN-Capable Transport',
  'ECN-Capable Transport codepoint \'01\'',
  'ECN-Capable Transport codepoint \'10\'',
  'Congestion Experienced',
] as const;

export function icmpTypeName(type: number): string {
  switch (type) {
    case 0: return 'Echo (ping) reply';
    case 3: return 'Destination unreachable';
    case 4: return 'Source quench (flow control)';
    case 5: return 'Redirect';
    case 8: return 'Echo (ping) request';
    case 9: return 'Router advertisement';
    case 10: return 'Router solicitation';
    case 11: return 'Time-to-live exceeded';
    case 12: return 'Parameter problem';
    case 13: return 'Timestamp request';
    case 14: return 'Timestamp reply';
    default: return 'Unknown ICMP (obsolete or malformed?)';
  }
}

const unreachCodes = [
  'Network unreachable',
  'Host unreachable',
  'Protocol unreachable',
  'Port unreachable',
  'Fragmentation needed',
  'Source route failed',
  'Destination network unknown',
  'Destination host unknown',
  'Source host isolated',
  'Network administratively prohibited',
  'Host administratively prohibited',
  'Network unreachable for TOS',
  'Host unreachable for TOS',
  'Communication administratively filtered',
  'Host precedence violation',
  'Precedence cutoff in effect',
];
const redirectCodes = ['Redirect for network', 'Redirect for host', 'Redirect for TOS and network', 'Redirect for TOS and host'];
const timeExceededCodes = ['Time to live exceeded in transit', 'Fragment reassembly time exceeded'];
const paramCodes = ['Pointer indicates the error', 'Required option missing', 'Bad length'];

/** Code name for types that have them, or null (echo and others print the bare code). */
export function icmpCodeName(type: number, code: number): string | null {
  const table = type === 3 ? unreachCodes : type === 5 ? redirectCodes : type === 11 ? timeExceededCodes : type === 12 ? paramCodes : null;
  if (!table) return null;
  return table[code] ?? 'Unknown code';
}

/** Wireshark's ARP Info column (packet-arp.c): probes, announcements, gratuitous ARP, who-has, is-at. */
export function arpInfo(op: number, sha: number, spa: number, tha: number, tpa: number): string {
  if (op === 1) {
    if (spa === 0) return `Who has ${formatIpv4(tpa)}? (ARP Probe)`;
    if (spa === tpa) return tha === 0 ? `ARP Announcement for ${formatIpv4(spa)}` : `Gratuitous ARP for ${formatIpv4(spa)} (Request)`;
    return `Who has ${formatIpv4(tpa)}? Tell ${formatIpv4(spa)}`;
  }
  if (spa === tpa) return `Gratuitous ARP for ${formatIpv4(spa)} (Reply)`;
  return `${formatIpv4(spa)} is at ${formatMac(sha)}`;
}
