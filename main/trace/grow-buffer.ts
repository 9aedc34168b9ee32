// Buffers that grow: a little-endian byte buffer for the capture writers (one allocation when the
// caller knows the size, doubling otherwise; exports stream through one buffer, drained as it
// fills; headers go through a DataView, payloads through Uint8Array.set), typed arrays doubled,
// and scratch rows for the filters.

/** A typed array at twice its length, its contents kept. */
export function doubled<T extends Float64Array<ArrayBuffer> | Int32Array<ArrayBuffer>>(a: T): T {
  const next = new (a.constructor as new (n: number) => T)(a.length * 2);
  next.set(a);
  return next;
}

/** Scratch rows of one owner (a filter node, a field, a view), grown to the largest chunk seen. */
export function scratch(): (n: number) => Uint8Array {
  let buf = new Uint8Array(0);
  return (n) => (buf.length >= n ? buf : (buf = new Uint8Array(n)));
}

export class GrowBuffer {
  bytes: Uint8Array;
  view: DataView;
  pos = 0;
  /** True after a view of `bytes` was handed out: the next write must not touch it. */
  private lent = false;

  constructor(capacity = 64 * 1024) {
    this.bytes = new Uint8Array(Math.max(64, capacity));
    this.view = new DataView(this.bytes.buffer);
  }

  get isLent(): boolean {
    return this.lent;
  }

  /** Make room for n more bytes at pos. */
  ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.bytes.length && !this.lent) return;
    const cap = need <= this.bytes.length ? this.bytes.length : Math.max(need, this.bytes.length * 2);
    const next = new Uint8Array(cap);
    next.set(this.bytes.subarray(0, this.pos));
    this.bytes = next;
    this.view = new DataView(next.buffer);
    this.lent = false;
  }

  /** Write `src` at pos and zero-pad to a multiple of 4 (caller ensured room). */
  putPadded(src: Uint8Array): void {
    const padded = (src.length + 3) & ~3;
    if (padded !== src.length) this.view.setUint32(this.pos + padded - 4, 0, true);
    this.bytes.set(src, this.pos);
    this.pos += padded;
  }

  /** Everything written so far. No copy when the buffer is exactly full (pre-sized writers). */
  toBytes(): Uint8Array {
    if (this.pos === this.bytes.length) {
      this.lent = true;
      return this.bytes;
    }
    return this.bytes.slice(0, this.pos);
  }

  /** Hand everything written so far to `sink` as a view (valid only during the call), then start over: no copy. */
  drain(sink: (bytes: Uint8Array) => void): void {
    if (this.pos > 0) sink(this.bytes.subarray(0, this.pos));
    this.pos = 0;
  }

  /** A copy of everything written since the last take, then start over. */
  take(): Uint8Array {
    const out = this.bytes.slice(0, this.pos);
    this.pos = 0;
    return out;
  }
}

export const pad4 = (n: number): number => (n + 3) & ~3;
