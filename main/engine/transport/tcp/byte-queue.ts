// A FIFO of bytes kept as the chunks pushed (no copy): the receive queue, which holds the payloads of
// received segments until the application reads them. The send queue copies into blocks (send-queue.ts).
export class ByteQueue {
  private chunks: Uint8Array[] = [];
  private head = 0; // bytes already consumed from chunks[0]
  length = 0;

  push(b: Uint8Array): void {
    if (b.length === 0) return;
    this.chunks.push(b);
    this.length += b.length;
  }

  /** Copy `len` bytes starting `offset` bytes into the queue. */
  peek(offset: number, len: number): Uint8Array {
    const n = Math.max(0, Math.min(len, this.length - offset));
    // Within the first chunk (a reader keeping up with arriving segments): one native copy.
    const first = this.chunks[0];
    if (first && this.head + offset + n <= first.length) return first.slice(this.head + offset, this.head + offset + n);
    const out = new Uint8Array(n);
    this.copyTo(offset, out.length, out, 0);
    return out;
  }

  /** Copy `len` bytes from `offset` into dst at dstOff (no temporary buffer); returns bytes copied. */
  copyTo(offset: number, len: number, dst: Uint8Array, dstOff: number): number {
    const n = Math.max(0, Math.min(len, this.length - offset));
    let skip = offset + this.head;
    let pos = 0;
    for (const c of this.chunks) {
      if (pos >= n) break;
      if (skip >= c.length) {
        skip -= c.length;
        continue;
      }
      const take = Math.min(c.length - skip, n - pos);
      dst.set(c.subarray(skip, skip + take), dstOff + pos);
      pos += take;
      skip = 0;
    }
    return n;
  }

  /** Remove `n` bytes from the front. */
  drop(n: number): void {
    n = Math.min(n, this.length);
    this.length -= n;
    while (n > 0) {
      const c = this.chunks[0]!;
      const left = c.length - this.head;
      if (n < left) {
        this.head += n;
        return;
      }
      n -= left;
      this.chunks.shift();
      this.head = 0;
    }
  }

  take(n: number): Uint8Array {
    const b = this.peek(0, n);
    this.drop(b.length);
    return b;
  }
}
