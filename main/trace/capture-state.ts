// What the store keeps in memory about the current capture: its id and numbering, row counters,
// and its capture points. Loaded at open, advanced by each flush, replaced by reset().
import type Database from 'better-sqlite3';

export interface CapturePoint {
  machine: string;
  nic: string;
}

export interface CaptureMeta {
  lab?: string;
  seed?: number;
  /** Wall-clock start, metadata only (Date.now() unless given). */
  startedWallMs?: number;
}

export interface CaptureInfo {
  id: number;
  lab: string;
  seed: number | null;
  startedWallMs: number | null;
}

export class CaptureState {
  /** Rows of this capture, all capture points. */
  total = 0;
  /** Rows of this capture in the default view (first = 1). */
  firstCount = 0;
  /** interface id -> capture point, and back ("machine\0nic" -> id). */
  readonly points = new Map<number, CapturePoint>();
  readonly idOf = new Map<string, number>();

  private constructor(
    readonly id: number,
    /** frame.no before this capture's first frame: FrameRow.no = frame.no - base. */
    readonly base: number,
  ) {}

  /** The latest capture in db, or a new one when there is none. */
  static current(db: Database.Database, meta: CaptureMeta): CaptureState {
    const row = db.prepare('SELECT id, base_no AS base FROM capture ORDER BY id DESC LIMIT 1').get() as
      | { id: number; base: number }
      | undefined;
    if (!row) return CaptureState.create(db, meta);
    const s = new CaptureState(row.id, row.base);
    const maxNo = (db.prepare('SELECT MAX(no) AS n FROM frame').get() as { n: number | null }).n ?? 0;
    s.total = Math.max(0, maxNo - s.base);
    s.firstCount = (db.prepare('SELECT MAX(first_no) AS n FROM frame WHERE capture = ? AND first_no IS NOT NULL').get(s.id) as { n: number | null }).n ?? 0;
    const points = db.prepare('SELECT id, machine, nic FROM interface WHERE capture = ? ORDER BY id').all(s.id) as (CapturePoint & { id: number })[];
    for (const p of points) s.addPoint(p.id, p.machine, p.nic);
    return s;
  }

  /** A new, empty capture numbered after every frame already in db. */
  static create(db: Database.Database, meta: CaptureMeta): CaptureState {
    const r = db
      .prepare('INSERT INTO capture (lab, seed, started_wall_ms, base_no) VALUES (?, ?, ?, COALESCE((SELECT MAX(no) FROM frame), 0)) RETURNING id, base_no AS base')
      .get(meta.lab ?? '', meta.seed ?? null, meta.startedWallMs ?? Date.now()) as { id: number; base: number };
    return new CaptureState(r.id, r.base);
  }

  static key(machine: string, nic: string): string {
    return `${machine}\u0000${nic}`;
  }

  addPoint(id: number, machine: string, nic: string): void {
    this.points.set(id, { machine, nic });
    this.idOf.set(CaptureState.key(machine, nic), id);
  }

  /** Forget a capture point whose insert was rolled back. */
  dropPoint(id: number): void {
    const p = this.points.get(id);
    if (!p) return;
    this.points.delete(id);
    this.idOf.delete(CaptureState.key(p.machine, p.nic));
  }
}
