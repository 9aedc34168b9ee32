// Follow TCP stream: the bytes each side sent, in order, as Wireshark's Follow TCP Stream shows
// them (follow_tcp_tap_listener and check_follow_fragments, epan/dissectors/packet-tcp.c, 4.0):
// the client is the source of the stream's first segment; each direction's next expected sequence
// number starts at its first segment (after the SYN); retransmitted bytes are left out, a segment
// that overlaps keeps only its new bytes, one that arrives early waits until the gap is filled, and
// a gap the other side acknowledges (the bytes crossed the wire but not this capture point) becomes
// a "[N bytes missing in capture file]" chunk.
import { formatIpv4 } from '../wire/address';
import { seqDiff } from '../wire/seq';
import { TcpFlag } from '../wire/tcp';
import type { Decoded } from './decode';

export interface FollowChunk {
  fromServer: boolean;
  /** The frame whose payload this is (FrameRow.no). */
  no: number;
  timeNs: number;
  /** The payload, or a gap the peer acknowledged but this capture never saw (then `missing`). */
  bytes: Uint8Array;
  missing?: number;
}

export interface FollowResult {
  stream: number;
  client: string;
  server: string;
  chunks: FollowChunk[];
  /** Every frame of the stream (FrameRow.no), with or without payload. */
  frames: number[];
  clientBytes: number;
  serverBytes: number;
  /** Payload past maxBytes was counted but not kept. */
  truncated: boolean;
}

interface Early {
  seq: number;
  no: number;
  timeNs: number;
  data: Uint8Array;
}

const lt = (a: number, b: number) => seqDiff(a, b) < 0;
const gt = (a: number, b: number) => seqDiff(a, b) > 0;

export class TcpFollower {
  private client: { addr: number; port: number } | null = null;
  private server: { addr: number; port: number } | null = null;
  /** Next expected sequence number per side (0 client, 1 server); undefined until its first segment. */
  private readonly next: (number | undefined)[] = [undefined, undefined];
  private readonly written = [0, 0];
  private readonly early: Early[][] = [[], []];
  private readonly chunks: FollowChunk[] = [];
  private readonly frames: number[] = [];
  /** Payload bytes kept in chunks (at most maxBytes; the counts go on). */
  private kept = 0;
  private truncated = false;

  constructor(
    readonly stream: number,
    private readonly maxBytes = Infinity,
  ) {}

  /** Feed a frame (every frame in capture order may be fed: others are ignored). */
  add(no: number, timeNs: number, bytes: Uint8Array, d: Decoded | null): void {
    const t = d?.tcp;
    if (!t || t.stream !== this.stream || !d.ip) return;
    this.frames.push(no);
    let seq = t.flags & TcpFlag.SYN ? (t.seq + 1) >>> 0 : t.seq;
    if (!this.client) {
      this.client = { addr: d.ip.src, port: t.srcPort };
      this.server = { addr: d.ip.dst, port: t.dstPort };
    }
    const side = d.ip.src === this.client.addr && t.srcPort === this.client.port ? 0 : 1;
    if (this.early[1 - side]!.length > 0) while (this.drainEarly(1 - side, no, timeNs, t.flags & TcpFlag.ACK ? t.ack : undefined));
    if (this.written[side] === 0 && this.next[side] === undefined) this.next[side] = seq;
    const expected = this.next[side]!;
    let data = bytes.subarray(t.payloadOffset, t.payloadOffset + t.payloadLength);
    if (lt(seq, expected)) {
      // Dated, unless a retransmission carries more than was seen: keep the new part.
      const end = (seq + data.length) >>> 0;
      if (!gt(end, expected)) return;
      data = data.subarray(seqDiff(expected, seq));
      seq = expected;
    }
    if (data.length === 0) return;
    if (seq === expected) {
      this.emit(side, no, timeNs, data);
      while (this.drainEarly(side, no, timeNs, undefined));
    } else {
      this.early[side]!.push({ seq, no, timeNs, data });
    }
  }

  result(): FollowResult {
    const ep = (e: { addr: number; port: number } | null) => (e ? `${formatIpv4(e.addr)}:${e.port}` : '');
    return {
      stream: this.stream,
      client: ep(this.client),
      server: ep(this.server),
      chunks: this.chunks,
      frames: this.frames,
      clientBytes: this.written[0]!,
      serverBytes: this.written[1]!,
      truncated: this.truncated,
    };
  }

  private emit(side: number, no: number, timeNs: number, data: Uint8Array, missing?: number): void {
    const room = this.maxBytes - this.kept;
    if (data.length > room) this.truncated = true;
    // A copy, so a long stream read in batches does not keep whole frames alive.
    if (room > 0) this.chunks.push({ fromServer: side === 1, no, timeNs, bytes: data.slice(0, room), ...(missing !== undefined ? { missing } : {}) });
    this.kept += Math.min(room, data.length);
    this.written[side]! += data.length;
    this.next[side] = ((this.next[side] ?? 0) + (missing ?? data.length)) >>> 0;
  }

  /** check_follow_fragments: place one waiting segment if it now fits; true when one was handled. */
  private drainEarly(side: number, no: number, timeNs: number, acked: number | undefined): boolean {
    const list = this.early[side]!;
    if (list.length === 0) return false;
    const expected = this.next[side]!;
    let lowest = list[0]!.seq;
    for (let i = 0; i < list.length; i++) {
      const f = list[i]!;
      if (gt(lowest, f.seq)) lowest = f.seq;
      if (lt(f.seq, expected)) {
        const end = (f.seq + f.data.length) >>> 0;
        if (gt(end, expected)) this.emit(side, f.no, f.timeNs, f.data.subarray(seqDiff(expected, f.seq)));
        list.splice(i, 1);
        return true;
      }
      if (f.seq === expected) {
        this.emit(side, f.no, f.timeNs, f.data);
        list.splice(i, 1);
        return true;
      }
    }
    if (acked !== undefined && gt(acked, lowest)) {
      // The peer acknowledged bytes this capture point never saw.
      const n = seqDiff(lowest, expected);
      const note = ascii(`[${n} bytes missing in capture file]`);
      this.emit(side, no, timeNs, note, n);
      this.written[side]! -= note.length; // the note is not the peer's bytes
      return true;
    }
    return false;
  }
}

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
