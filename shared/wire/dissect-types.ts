// The dissection tree (details pane) and the one-line summary (packet list, trace columns).

export interface DissectNode {
  /** What the details pane prints: "Source Address: 10.0.0.1", "Internet Protocol Version 4, Src: ...". */
  label: string;
  /** Byte range [start, end) in the frame, for hex highlighting. */
  range?: [number, number];
  children?: DissectNode[];
}

export interface FrameSummary {
  ethSrc: number;
  ethDst: number;
  etherType: number;
  ipSrc?: number;
  ipDst?: number;
  ipProto?: number;
  ttl?: number;
  srcPort?: number;
  dstPort?: number;
  icmpType?: number;
  icmpCode?: number;
  /** TCP flag bits as in the header's byte 13 (FIN=0x01 ... CWR=0x80). */
  tcpFlags?: number;
  tcpSeq?: number;
  tcpAck?: number;
  tcpWindow?: number;
  /** Transport payload length (tcp.len / udp payload). */
  payloadLen?: number;
  arpOp?: number;
  /**
   * Highest decoded protocol: "ARP", "ICMP", "UDP", "TCP", "IPv4", "Ethernet", or the application
   * protocol of a TCP/UDP payload on its well-known port: "DNS", "FTP", "FTP-DATA", "SSH", "TELNET",
   * "SMTP", "HTTP" (app.ts).
   */
  protocol: string;
  /** IP addresses when present, else MACs, formatted. */
  src: string;
  dst: string;
  /** Wireshark-like Info column. */
  info: string;
  /** Set when a header is truncated or malformed: what and at which byte. */
  malformed?: string;
}
