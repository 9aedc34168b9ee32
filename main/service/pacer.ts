// Pacing virtual time against the wall clock: real time x factor, or as fast as possible. This is
// the only place where simulation meets wall time (the engine itself has none).

export interface WallClock {
  /** Milliseconds, monotonic. */
  now(): number;
}

export const systemClock: WallClock = { now: () => performance.now() };

/** How much wall time one tick may spend simulating, so the UI stays responsive. */
export const TICK_BUDGET_MS = 25;

export type PaceDecision = { kind: 'until'; virtualNs: number } | { kind: 'budget'; wallMs: number };

export class Pacer {
  private lastWall: number | null = null;

  constructor(private readonly clock: WallClock) {}

  /** Forget the last tick (after a pause, so paused wall time is not simulated). */
  resetBase(): void {
    this.lastWall = null;
  }

  /** What to simulate in this tick: up to a virtual time (real time x factor) or for a wall budget (max). */
  decide(virtualNowNs: number, speed: { mode: 'realtime'; factor: number } | { mode: 'max' }): PaceDecision {
    const wall = this.clock.now();
    const last = this.lastWall ?? wall;
    this.lastWall = wall;
    if (speed.mode === 'max') return { kind: 'budget', wallMs: TICK_BUDGET_MS };
    // Never try to catch up more than a second of wall time (e.g. after the host was suspended).
    const dtMs = Math.min(wall - last, 1000);
    return { kind: 'until', virtualNs: virtualNowNs + Math.round(dtMs * 1e6 * speed.factor) };
  }

  nowMs(): number {
    return this.clock.now();
  }
}
