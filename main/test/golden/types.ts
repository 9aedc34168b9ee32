// The normalized form in which both kinds of trace meet: a real-kernel capture (pcap/pcapng) and
// our own simulated trace (FrameEvents at one capture point, or a pcapng export). Everything that
// legitimately differs between two runs (ISNs, TS values, ephemeral ports, absolute times) is kept
// but set aside: comparisons look at flags, relative seq/ack, lengths, windows, option layout and
// time offsets (linux-truth/README.md, "compare ... not ISNs or timestamp values").

/** Direction of a packet: C = the client (sent the first SYN, or has the given client IP). */
export type Dir = 'C>S' | 'S>C';

/** One frame at one capture point, whatever its source. */
export interface GoldenFrame {
  /** Nanoseconds (any epoch: only differences are used). */
  tNs: number;
  /** Link-layer bytes (Ethernet unless linkType says otherwise). */
  bytes: Uint8Array;
  /** pcap LINKTYPE_*; 1 = Ethernet (the default). */
  linkType?: number;
}

/** Option kinds in tcpdump's names, in wire order. */
/** `malformed` marks where a damaged option list stopped parsing. */
export type OptionKind = 'mss' | 'sackOK' | 'TS' | 'nop' | 'wscale' | 'sack' | 'eol' | 'malformed' | `kind${number}`;

/**
 * How a side's relative sequence numbers were based (Wireshark's rules, which tcpsum.py's
 * summary files use): 'isn' = its SYN was seen (relSeq 0 = ISN); 'peer-ack' = it never sent a SYN
 * but the peer acknowledged first (relSeq 1 = that ACK: "R seq = SEG.ACK" shows as relSeq 1);
 * 'first' = neither: its first segment's seq is relSeq 1. With 'first', rawSeq is meaningful
 * (e.g. the kernel's `R. seq 0` for a segment to a closed port) and is compared as well.
 */
export type SeqBase = 'isn' | 'peer-ack' | 'first';

export interface TcpSegment {
  /** Index of the frame in the normalized trace (all packet kinds, in time order). */
  i: number;
  /** Seconds since the trace origin. */
  t: number;
  dir: Dir;
  /** tcpdump notation: 'S', 'S.', '.', 'P.', 'F.', 'FP.', 'R', 'R.', 'none' ... */
  flags: string;
  relSeq: number;
  /** null when the ACK flag is clear. */
  relAck: number | null;
  rawSeq: number;
  rawAck: number;
  seqBase: SeqBase;
  /** TCP payload bytes. */
  len: number;
  /** The window field as sent (unscaled). */
  win: number;
  options: OptionKind[];
  mss?: number;
  wscale?: number;
  /** Number of SACK blocks when a SACK option is present. */
  sackBlocks?: number;
  /** Kept for debugging only: never compared. */
  tsVal?: number;
  tsEcr?: number;
}

export interface Endpoint {
  ip: string;
  port: number;
}

export interface TcpConnection {
  /** Position in the trace: connections are numbered by their first packet. */
  index: number;
  client: Endpoint;
  server: Endpoint;
  /** True when a SYN (without ACK) opened it inside the trace. */
  sawSyn: boolean;
  /** Time (trace seconds) of the client's first SYN, when there was one. */
  synAt?: number;
  segments: TcpSegment[];
}

export interface IcmpQuoteInfo {
  proto: number;
  srcIp: string;
  dstIp: string;
  srcPort?: number;
  dstPort?: number;
  /** Total length field of the quoted IP header. */
  ipTotalLength: number;
  /** Bytes of the quoted datagram present (IP header included). */
  quotedBytes: number;
}

interface DatagramBase {
  i: number;
  t: number;
  dir: Dir;
  src: string;
  dst: string;
  /** IPv4 TOS byte and DF flag (Linux: ICMP errors go out with TOS 0xc0 and DF clear). */
  tos: number;
  df: boolean;
}

export interface UdpDatagram extends DatagramBase {
  kind: 'udp';
  srcPort: number;
  dstPort: number;
  /** UDP payload bytes. */
  len: number;
}

export interface IcmpMessage extends DatagramBase {
  kind: 'icmp';
  type: number;
  code: number;
  /** ICMP message bytes after the 8-byte header (the quote for errors). */
  len: number;
  quote?: IcmpQuoteInfo;
}

export type Datagram = UdpDatagram | IcmpMessage;

export interface NormalizedTrace {
  /** Absolute time (ns) of t = 0. */
  originNs: number;
  /** The client IP used for datagram directions (and TCP when given). */
  clientIp?: string;
  connections: TcpConnection[];
  datagrams: Datagram[];
  /** Frames that were not IPv4 TCP/UDP/ICMP (ARP, IPv6, damaged): counted, not compared. */
  skipped: number;
}
