// Classic libpcap writer (https://www.tcpdump.org/manpages/pcap-savefile.5.txt, and
// draft-ietf-opsawg-pcap): nanosecond magic 0xa1b23c4d, version 2.4, Ethernet, little-endian.
// Classic pcap has no interfaces and no comments: it carries each frame once.
import { GrowBuffer } from './grow-buffer';
import { LINKTYPE_ETHERNET, PCAPNG_SNAPLEN } from './pcapng';

export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_MAGIC_NS = 0xa1b23c4d;
export const PCAP_HEADER_BYTES = 24;
export const PCAP_RECORD_HEADER_BYTES = 16;

export class PcapWriter {
  private readonly out: GrowBuffer;

  /** capacity: bytes to allocate up front (24 + sum of 16 + length gives an exact fit). */
  constructor(opts: { capacity?: number; linkType?: number } = {}) {
    this.out = new GrowBuffer(opts.capacity);
    const v = this.out.view;
    v.setUint32(0, PCAP_MAGIC_NS, true);
    v.setUint16(4, 2, true); // version 2.4
    v.setUint16(6, 4, true);
    v.setInt32(8, 0, true); // thiszone
    v.setUint32(12, 0, true); // sigfigs
    v.setUint32(16, PCAPNG_SNAPLEN, true);
    v.setUint32(20, opts.linkType ?? LINKTYPE_ETHERNET, true);
    this.out.pos = PCAP_HEADER_BYTES;
  }

  get byteLength(): number {
    return this.out.pos;
  }

  /** timeNs: integer nanoseconds since the epoch of the capture (virtual time 0 = 1970-01-01). */
  addPacket(timeNs: number, bytes: Uint8Array, origLen = bytes.length): void {
    if (!Number.isSafeInteger(timeNs) || timeNs < 0) throw new RangeError(`pcap: bad timestamp ${timeNs}`);
    const sec = Math.floor(timeNs / 1e9);
    if (sec > 0xffffffff) throw new RangeError(`pcap: timestamp ${timeNs} beyond 32-bit seconds`);
    const o = this.out;
    o.ensure(PCAP_RECORD_HEADER_BYTES + bytes.length);
    const v = o.view;
    const p = o.pos;
    v.setUint32(p, sec, true);
    v.setUint32(p + 4, timeNs - sec * 1e9, true);
    v.setUint32(p + 8, bytes.length, true);
    v.setUint32(p + 12, origLen, true);
    o.bytes.set(bytes, p + 16);
    o.pos = p + 16 + bytes.length;
  }

  toBytes(): Uint8Array {
    return this.out.toBytes();
  }

  /** Streaming form: the bytes written since the last takeChunk(). */
  takeChunk(): Uint8Array {
    return this.out.take();
  }

  /** Streaming without copies: what was written goes to `sink` (a view valid during the call), then the buffer starts over. */
  drain(sink: (bytes: Uint8Array) => void): void {
    this.out.drain(sink);
  }

  /** Bytes written since the last drain. */
  get buffered(): number {
    return this.out.pos;
  }
}
