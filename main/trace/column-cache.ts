// The columns display filters have read lately, kept in memory up to a byte budget (least recently
// used dropped first). A filter reads a column of every chunk: from the file that is one B-tree
// lookup per chunk and column (~5 us each, ~5 ms per column of 1M frames), while the typed arrays
// themselves are a few MB. Someone working a trace refines a filter or types the next one, and
// every filter reads `has`: those reads come from here. A committed chunk's columns never change,
// but after TraceStore.reset() the capture id and row numbers start again, so the same keys come
// back with other data: the owner clears the cache then, and when a write fails (ChunkReader.clear).
// A filter whose columns exceed the budget finds none of them on its next run (a scan evicts its
// own first chunks before it comes back to them): it reads the file as it would without the cache.

/** What the cache holds per chunk and column: a typed array. */
type Column = { readonly byteLength: number };

/** Bytes of columns kept: `has` and a 16-bit and a 32-bit column of ~2M capture rows (1M frames) fit several times. */
const COLUMN_CACHE_BYTES = 64 * 2 ** 20;

export class ColumnCache {
  /** Least recently used first (a Map keeps insertion order; a hit moves its key last). */
  private readonly entries = new Map<string, Column>();
  private held = 0;

  constructor(private readonly budget = COLUMN_CACHE_BYTES) {}

  /** Bytes held. */
  get bytes(): number {
    return this.held;
  }

  get(capture: number, chunk: number, name: string): Column | undefined {
    const key = keyOf(capture, chunk, name);
    const c = this.entries.get(key);
    if (c) {
      this.entries.delete(key);
      this.entries.set(key, c);
    }
    return c;
  }

  /** Keep a column; one larger than the whole budget is not kept. */
  set(capture: number, chunk: number, name: string, column: Column): void {
    const key = keyOf(capture, chunk, name);
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.held -= old.byteLength;
    }
    if (column.byteLength > this.budget) return;
    for (const [k, c] of this.entries) {
      if (this.held + column.byteLength <= this.budget) break;
      this.entries.delete(k);
      this.held -= c.byteLength;
    }
    this.entries.set(key, column);
    this.held += column.byteLength;
  }

  clear(): void {
    this.entries.clear();
    this.held = 0;
  }
}

const keyOf = (capture: number, chunk: number, name: string): string => `${capture}:${chunk}:${name}`;
