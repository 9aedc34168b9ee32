// What the packet list shows: one captured frame with its decoded columns (filled by main/trace).
import type { Direction } from './events';

export interface FrameRow {
  /** 1-based number in capture order across all capture points (Wireshark's frame.number). */
  no: number;
  frameId: number;
  first: boolean;
  timeNs: number;
  machine: string;
  nic: string;
  dir: Direction;
  length: number;
  /** Best source/destination: IP addresses when present, else MAC addresses. */
  src: string;
  dst: string;
  /** Highest decoded protocol: ARP, ICMP, UDP, TCP, IPv4, Ethernet. */
  protocol: string;
  info: string;
  /** TCP flags byte, for TCP frames (colouring rules). */
  tcpFlags?: number;
  /** ICMP type, for ICMP frames. */
  icmpType?: number;
  /** The first drop reason recorded for this frame (DropReason), when some machine or link dropped it. */
  drop?: string;
}
