// shared/wire: byte formats of the lab (DESIGN.md sections 2-3). The module's one door.
// Parse with parseX (untrusted bytes -> Parsed<XHeader>, never throws); emit with writeX (in place,
// payload first, checksums computed by the writer); XFields tables give byte ranges per field.

export * from './result';
export * from './address';
export { concatBytes, readU16, readU32, writeU16, writeU32, type FieldRange } from './bytes';
export * from './checksum';
export * from './seq';
export * from './ethernet';
export * from './arp';
export {
  IPV4_MIN_HEADER,
  IPV4_DEFAULT_TTL,
  IpProto,
  Ipv4Flag,
  Ipv4Fields,
  type Ipv4Header,
  type Ipv4WriteFields,
  parseIpv4Header,
  parseIpv4Quoted,
  ipv4HeaderLength,
  writeIpv4,
  computeIpv4Checksum,
  decrementTtl,
} from './ipv4';
export * from './icmpv4';
export * from './udp';
export * from './tcp';
export {
  TcpOptionKind,
  TCP_MAX_WSCALE,
  TCP_DEFAULT_MSS,
  type TcpOption,
  type TcpOptionAt,
  type TcpOptionValues,
  type LinuxOptionRequest,
  tcpOptionName,
  parseTcpOptions,
  parseTcpOptionValues,
  tcpOptionsLength,
  writeTcpOptions,
  linuxOptionLayout,
} from './tcp-options';
export * from './dns';
export { readDnsName, dnsNameLabels, type DnsNameRead } from './dns-name';
export {
  type AppProtocol,
  type TcpAppProtocol,
  type UdpAppProtocol,
  type AppMatch,
  TCP_APP_PORTS,
  UDP_APP_PORTS,
  tcpAppProtocol,
  udpAppProtocol,
  tcpAppInfo,
} from './app';
export { dissect } from './dissect';
export { summarize } from './summarize';
export type { DissectNode, FrameSummary } from './dissect-types';
