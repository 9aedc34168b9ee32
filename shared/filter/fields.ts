// The display-filter fields Packet Lab knows: Wireshark's names (https://www.wireshark.org/docs/dfref/)
// for a useful subset, plus lab.* for what only the lab knows. A field's type decides which values
// and operators it takes (parser.ts); the trace compiles them (main/trace).

export type FieldType = 'protocol' | 'uint' | 'bool' | 'ipv4' | 'mac' | 'string';

export interface FieldDef {
  name: string;
  type: FieldType;
  /** What it is, for the filter bar's suggestions. */
  doc: string;
}

const f = (name: string, type: FieldType, doc: string): FieldDef => ({ name, type, doc });

export const FIELDS: readonly FieldDef[] = [
  // Protocols: "tcp" alone selects frames that carry TCP.
  f('eth', 'protocol', 'Ethernet II'),
  f('arp', 'protocol', 'Address Resolution Protocol'),
  f('ip', 'protocol', 'Internet Protocol version 4'),
  f('icmp', 'protocol', 'Internet Control Message Protocol'),
  f('tcp', 'protocol', 'Transmission Control Protocol'),
  f('udp', 'protocol', 'User Datagram Protocol'),
  f('dns', 'protocol', 'Domain Name System'),
  f('ftp', 'protocol', 'File Transfer Protocol (control connection)'),
  f('ftp-data', 'protocol', 'FTP data connection'),
  f('ssh', 'protocol', 'Secure Shell'),
  f('telnet', 'protocol', 'Telnet'),
  f('smtp', 'protocol', 'Simple Mail Transfer Protocol'),
  f('http', 'protocol', 'Hypertext Transfer Protocol'),
  // Fields.
  f('frame.len', 'uint', 'frame length in bytes'),
  f('eth.addr', 'mac', 'source or destination MAC'),
  f('eth.src', 'mac', 'source MAC'),
  f('eth.dst', 'mac', 'destination MAC'),
  f('eth.type', 'uint', 'EtherType'),
  f('arp.opcode', 'uint', 'ARP opcode (1 request, 2 reply)'),
  f('ip.addr', 'ipv4', 'source or destination address'),
  f('ip.src', 'ipv4', 'source address'),
  f('ip.dst', 'ipv4', 'destination address'),
  f('ip.proto', 'uint', 'IP protocol number'),
  f('ip.ttl', 'uint', 'time to live'),
  f('icmp.type', 'uint', 'ICMP type'),
  f('icmp.code', 'uint', 'ICMP code'),
  f('tcp.port', 'uint', 'source or destination port'),
  f('tcp.srcport', 'uint', 'source port'),
  f('tcp.dstport', 'uint', 'destination port'),
  f('tcp.stream', 'uint', 'conversation index, from 0 in order of appearance'),
  f('tcp.seq', 'uint', 'sequence number, relative to the first of its direction'),
  f('tcp.ack', 'uint', 'acknowledgment number, relative'),
  f('tcp.seq_raw', 'uint', 'sequence number as on the wire'),
  f('tcp.ack_raw', 'uint', 'acknowledgment number as on the wire'),
  f('tcp.len', 'uint', 'TCP payload length'),
  f('tcp.window_size_value', 'uint', 'window field as on the wire (unscaled)'),
  f('tcp.flags.syn', 'bool', 'SYN flag'),
  f('tcp.flags.ack', 'bool', 'ACK flag'),
  f('tcp.flags.reset', 'bool', 'RST flag'),
  f('tcp.flags.fin', 'bool', 'FIN flag'),
  f('tcp.flags.push', 'bool', 'PSH flag'),
  f('udp.port', 'uint', 'source or destination port'),
  f('udp.srcport', 'uint', 'source port'),
  f('udp.dstport', 'uint', 'destination port'),
  f('udp.length', 'uint', 'UDP length field (header and payload)'),
  // The lab's own.
  f('lab.machine', 'string', 'machine whose NIC captured the frame'),
  f('lab.nic', 'string', 'NIC that captured the frame'),
  f('lab.dir', 'string', '"tx" (sent) or "rx" (received) at that NIC'),
  f('lab.drop_reason', 'string', 'why the lab dropped the frame (e.g. NO_SOCKET, LINK_LOSS)'),
];

const BY_NAME = new Map(FIELDS.map((d) => [d.name, d]));

export function fieldDef(name: string): FieldDef | undefined {
  return BY_NAME.get(name);
}
