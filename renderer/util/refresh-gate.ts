// Re-fetch on demand, at most once per interval, one request at a time, and never dropping the
// last demand (a trailing fetch runs after the interval or after the one in flight). Pure; see
// refresh-gate.test.ts.

export interface GateClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const browserClock: GateClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => window.setTimeout(fn, ms),
  clearTimeout: (h) => window.clearTimeout(h as number),
};

export class RefreshGate {
  private lastStart = -Infinity;
  private inFlight = false;
  private pending = false;
  private timer: unknown = null;
  private disposed = false;

  constructor(
    private readonly fetch: () => Promise<unknown>,
    private readonly minIntervalMs: number,
    private readonly clock: GateClock,
  ) {}

  /** Ask for a fresh fetch. `now`: skip the interval (a new subject, not a change of the same). */
  request(now = false): void {
    if (this.disposed) return;
    if (this.inFlight) {
      this.pending = true;
      return;
    }
    const wait = now ? 0 : this.lastStart + this.minIntervalMs - this.clock.now();
    if (wait <= 0) {
      this.cancelTimer();
      this.start();
    } else if (this.timer === null) {
      this.timer = this.clock.setTimeout(() => {
        this.timer = null;
        this.request();
      }, wait);
    }
  }

  dispose(): void {
    this.disposed = true;
    this.cancelTimer();
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private start(): void {
    this.lastStart = this.clock.now();
    this.inFlight = true;
    const done = () => {
      this.inFlight = false;
      if (this.pending) {
        this.pending = false;
        this.request();
      }
    };
    this.fetch().then(done, done);
  }
}
