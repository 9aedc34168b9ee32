// Names and text forms for DNS as Wireshark prints them (packet-dns.c value strings): types,
// classes, opcodes, rcodes, the root, IPv6 addresses (RFC 5952 §4). No dependencies: dns.ts and the
// details tree both use them.

const typeNames: Record<number, string> = {
  1: 'A', 2: 'NS', 3: 'MD', 4: 'MF', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 13: 'HINFO', 15: 'MX', 16: 'TXT', 28: 'AAAA', 33: 'SRV',
  41: 'OPT', 43: 'DS', 46: 'RRSIG', 47: 'NSEC', 48: 'DNSKEY', 64: 'SVCB', 65: 'HTTPS', 99: 'SPF', 251: 'IXFR', 252: 'AXFR', 255: 'ANY', 257: 'CAA',
};

/** Wireshark's short type name: 'A', 'PTR', ... or 'Unknown (N)'. */
export function dnsTypeName(type: number): string {
  return typeNames[type] ?? `Unknown (${type})`;
}

const typeLongNames: Record<number, string> = {
  1: 'A (Host Address)', 2: 'NS (authoritative Name Server)', 5: 'CNAME (Canonical NAME for an alias)', 6: 'SOA (Start Of a zone of Authority)',
  12: 'PTR (domain name PoinTeR)', 15: 'MX (Mail eXchange)', 16: 'TXT (Text strings)', 28: 'AAAA (IPv6 Address)', 41: 'OPT', 255: '* (A request for all records the server/cache has available)',
};

/** Wireshark's type name in the details tree: 'A (Host Address)'. */
export function dnsTypeLongName(type: number): string {
  return typeLongNames[type] ?? dnsTypeName(type);
}

export function dnsClassName(c: number): string {
  switch (c) {
    case 1: return 'IN';
    case 3: return 'CH';
    case 4: return 'HS';
    case 254: return 'NONE';
    case 255: return 'ANY';
    default: return `Unknown (${c})`;
  }
}

const opcodeNames = ['Standard query', 'Inverse query', 'Server status request', '', 'Zone change notification', 'Dynamic update'];

/** Wireshark's opcode text ('Standard query'). */
export function dnsOpcodeName(op: number): string {
  return opcodeNames[op] || `Unknown operation (${op})`;
}

const rcodeNames = ['No error', 'Format error', 'Server failure', 'No such name', 'Not implemented', 'Refused', 'Name exists', 'RRset exists', 'RRset does not exist', 'Not authoritative', 'Name out of zone'];

/** Wireshark's rcode text ('No such name' for NXDOMAIN). */
export function dnsRcodeName(rcode: number): string {
  return rcodeNames[rcode] ?? `Unknown error (${rcode})`;
}

/** Names as Wireshark prints them: the root is '<Root>'. */
export function dnsDisplayName(name: string): string {
  return name === '' ? '<Root>' : name;
}

/** RFC 5952 text of a 16-octet IPv6 address (longest run of >= 2 zero groups as '::'). */
export function formatIpv6(b: Uint8Array): string {
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push((b[i]! << 8) | b[i + 1]!);
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const part = (a: number[]): string => a.map((x) => x.toString(16)).join(':');
  return best < 0 ? part(g) : `${part(g.slice(0, best))}::${part(g.slice(best + bestLen))}`;
}
