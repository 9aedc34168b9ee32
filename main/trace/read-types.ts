// What the capture readers return. Readers never throw: they return everything valid up to the
// first damage and say where (byte offset) and what it is.

export interface CapturedPacket {
  /** Interface index (pcapng: across sections, in file order; classic pcap: always 0). */
  ifIndex: number;
  /** Nanoseconds since the epoch (exact below 2^53 ns, about 104 days). */
  timeNs: number;
  /** The same, exact (a real capture's epoch nanoseconds are above 2^53). */
  exactNs: bigint;
  /** Length on the wire (may exceed bytes.length when the capture was cut at snaplen). */
  origLen: number;
  /** A view into the input: copy it to keep it beyond the input's life. */
  bytes: Uint8Array;
  /** pcapng opt_comment values, in file order (absent when there are none). */
  comments?: string[];
}

export interface CaptureInterface {
  name?: string;
  linkType: number;
  snaplen: number;
  /** Timestamp units per second (1e9 for if_tsresol = 9, 1e6 by default). */
  unitsPerSecond: number;
}

export interface CaptureDamage {
  /** Byte offset where the unreadable part starts. */
  offset: number;
  reason: string;
}

export interface CaptureReadResult {
  format: 'pcap' | 'pcapng' | 'unknown';
  interfaces: CaptureInterface[];
  packets: CapturedPacket[];
  /** pcapng shb_userappl of the first section, when present. */
  userAppl?: string;
  /** Blocks read but not understood (skipped, as the format allows). */
  skippedBlocks: number;
  /** Absent when the whole input was read. */
  damage?: CaptureDamage;
}
