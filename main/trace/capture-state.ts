// What the store keeps in memory about the current capture: its id and numbering, row counters,
// and its capture points. The store numbers rows and assigns capture-point ids itself as events
// arrive (so counts need no database round trip and the writer may run on another thread).
// Loaded at open, reloaded after a failed write, replaced by reset().
import type Database from 'better-sqlite3';
import type { ChunkMeta } from './chunks';

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
  /** The capture's chunks in order, as handed to the writer (committed or not). */
  readonly chunks: ChunkMeta[] = [];
  /** Kernel events of type 'drop' in this capture. */
  drops = 0;
  /** interface id -> capture point, and back (machine -> nic -> id). */
  readonly points = new Map<number, CapturePoint>();
  private readonly idOf = new Map<string, Map<string, number>>();

  private constructor(
    readonly id: number,
    /** frame.no before this capture's first frame: FrameRow.no = frame.no - base. */
    readonly base: number,
    /** The id the next new capture point gets (interface ids are unique across captures). */
    private nextPointId: number,
  ) {}

  /** The latest capture in db, or a new one when there is none. */
  static current(db: Database.Database, meta: CaptureMeta): CaptureState {
    const has = db.prepare('SELECT 1 FROM capture LIMIT 1').get();
    return has ? CaptureState.latest(db) : CaptureState.create(db, meta);
  }

  /** The latest capture (reading only: throws when there is none). */
  static latest(db: Database.Database): CaptureState {
    const row = db.prepare('SELECT id, base_no AS base FROM capture ORDER BY id DESC LIMIT 1').get() as
      | { id: number; base: number }
      | undefined;
    if (!row) throw new Error('the trace holds no capture');
    const s = new CaptureState(row.id, row.base, nextInterfaceId(db));
    const chunks = db.prepare('SELECT first_no AS firstNo, rows, first_pos AS firstPos, view_rows AS viewRows FROM frame_chunk WHERE capture = ? ORDER BY first_no').all(s.id) as ChunkMeta[];
    s.chunks.push(...chunks);
    const last = chunks.at(-1);
    s.total = last ? last.firstNo + last.rows - 1 - s.base : 0;
    s.firstCount = last ? last.firstPos + last.viewRows : 0;
    s.drops = (db.prepare("SELECT COUNT(*) AS n FROM kernel_event WHERE capture = ? AND type = 'drop'").get(s.id) as { n: number }).n;
    const points = db.prepare('SELECT id, machine, nic FROM interface WHERE capture = ? ORDER BY id').all(s.id) as (CapturePoint & { id: number })[];
    for (const p of points) s.addPoint(p.id, p.machine, p.nic);
    return s;
  }

  /** A new, empty capture numbered after every frame already in db. */
  static create(db: Database.Database, meta: CaptureMeta): CaptureState {
    const r = db
      .prepare('INSERT INTO capture (lab, seed, started_wall_ms, base_no) VALUES (?, ?, ?, COALESCE((SELECT MAX(first_no + rows - 1) FROM frame_chunk), 0)) RETURNING id, base_no AS base')
      .get(meta.lab ?? '', meta.seed ?? null, meta.startedWallMs ?? Date.now()) as { id: number; base: number };
    return new CaptureState(r.id, r.base, nextInterfaceId(db));
  }

  pointId(machine: string, nic: string): number | undefined {
    return this.idOf.get(machine)?.get(nic);
  }

  /** Register a capture point not seen before; returns its new id. */
  addNewPoint(machine: string, nic: string): number {
    const id = this.nextPointId++;
    this.addPoint(id, machine, nic);
    return id;
  }

  private addPoint(id: number, machine: string, nic: string): void {
    this.points.set(id, { machine, nic });
    let nics = this.idOf.get(machine);
    if (!nics) this.idOf.set(machine, (nics = new Map()));
    nics.set(nic, id);
  }
}

function nextInterfaceId(db: Database.Database): number {
  return ((db.prepare('SELECT MAX(id) AS n FROM interface').get() as { n: number | null }).n ?? 0) + 1;
}
