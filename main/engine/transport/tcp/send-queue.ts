// The send queue (bytes from snd_una on: sent-but-unacked, then unsent), kept in fixed-size blocks
// that go back to a shared pool when acknowledged, much as Linux's tcp_sendmsg copies into page
// fragments (sk_page_frag) that are freed when the ACK frees their skb. A send used to be one
// exactly-sized copy: 500 busy flows made tens of thousands of them, each living long enough to
// reach V8's old generation and leaving its bytes behind until the next full collection. Blocks
// are reused at once instead. The queue never hands out a view of a block: readers copy out.

/** Bytes per block: a send of a few bytes wastes at most one block per socket. */
export const SEND_BLOCK = 8192;

/** Free blocks kept for reuse (beyond this they are left to the garbage collector): 8 MiB. */
const POOL_MAX = 1024;
const pool: Uint8Array[] = [];

function takeBlock(): Uint8Array {
  return pool.pop() ?? new Uint8Array(SEND_BLOCK);
}

function giveBlock(b: Uint8Array): void {
  if (pool.length < POOL_MAX) pool.push(b);
}

/** Free blocks in the pool (tests). */
export const pooledBlocks = (): number => pool.length;

export class SendQueue {
  private blocks: Uint8Array[] = [];
  /** Bytes already dropped from blocks[0]. */
  private head = 0;
  length = 0;

  /** Copy `data` onto the end of the queue. */
  append(data: Uint8Array): void {
    let pos = 0;
    while (pos < data.length) {
      // Bytes used in the last block; 0 means it is full (or there is none): no empty block is kept.
      const used = (this.head + this.length) % SEND_BLOCK;
      if (used === 0) this.blocks.push(takeBlock());
      const tail = this.blocks[this.blocks.length - 1]!;
      const take = Math.min(SEND_BLOCK - used, data.length - pos);
      tail.set(data.subarray(pos, pos + take), used);
      pos += take;
      this.length += take;
    }
  }

  /** Copy `len` bytes from `offset` into dst at dstOff; returns the bytes copied. */
  copyTo(offset: number, len: number, dst: Uint8Array, dstOff: number): number {
    const n = Math.max(0, Math.min(len, this.length - offset));
    let at = this.head + offset;
    let pos = 0;
    while (pos < n) {
      const block = this.blocks[Math.floor(at / SEND_BLOCK)]!;
      const start = at % SEND_BLOCK;
      const take = Math.min(SEND_BLOCK - start, n - pos);
      dst.set(block.subarray(start, start + take), dstOff + pos);
      pos += take;
      at += take;
    }
    return n;
  }

  /** Copy of `len` bytes from `offset` (tests). */
  peek(offset: number, len: number): Uint8Array {
    const out = new Uint8Array(Math.max(0, Math.min(len, this.length - offset)));
    this.copyTo(offset, out.length, out, 0);
    return out;
  }

  /** Remove `n` bytes from the front; blocks left empty go back to the pool. */
  drop(n: number): void {
    n = Math.min(n, this.length);
    this.length -= n;
    this.head += n;
    let free = Math.floor(this.head / SEND_BLOCK);
    // An emptied queue keeps no block: the next append starts a fresh one at offset 0.
    if (this.length === 0) free = this.blocks.length;
    if (free === 0) return;
    for (let i = 0; i < free; i++) giveBlock(this.blocks[i]!);
    this.blocks.splice(0, free);
    this.head = this.length === 0 ? 0 : this.head - free * SEND_BLOCK;
  }

  clear(): void {
    this.drop(this.length);
  }
}
