// A wait queue: blocked syscalls register a waiter and are woken when the object changes
// (Linux wait_queue_head_t). Waking re-checks the condition; spurious wakes are harmless.
// The set is made on first use: most sockets of a busy server never have a sleeper.

/** What sleeps on a queue (Linux's wait_queue_entry): an object, so parking allocates no closure. */
export interface Waiter {
  wake(): void;
}

export class WaitQueue {
  private waiters: Set<Waiter> | null = null;

  add(w: Waiter): void {
    (this.waiters ??= new Set()).add(w);
  }

  remove(w: Waiter): void {
    // Drop the emptied Set: a socket that waited once (connect) must not keep it for its whole life.
    if (this.waiters?.delete(w) && this.waiters.size === 0) this.waiters = null;
  }

  wake(): void {
    const ws = this.waiters;
    if (!ws || ws.size === 0) return;
    if (ws.size === 1) {
      // The common case (one reader blocked on its socket): no copy of the set per wake.
      for (const w of ws) return w.wake();
    }
    for (const w of [...ws]) w.wake(); // a copy: waking may remove waiters (and add none we must wake now)
  }

  get size(): number {
    return this.waiters?.size ?? 0;
  }
}
