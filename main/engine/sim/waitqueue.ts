// A wait queue: blocked syscalls register a waker and are woken when the object changes
// (Linux wait_queue_head_t). Waking re-checks the condition; spurious wakes are harmless.
export class WaitQueue {
  private waiters = new Set<() => void>();

  add(w: () => void): void {
    this.waiters.add(w);
  }

  remove(w: () => void): void {
    this.waiters.delete(w);
  }

  wake(): void {
    if (this.waiters.size === 0) return;
    for (const w of [...this.waiters]) w();
  }

  get size(): number {
    return this.waiters.size;
  }
}
