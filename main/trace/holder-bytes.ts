// Reading frame rows in capture order: a row holds its bytes, or names the earlier row that does
// (bytes_of, schema V4: a frame's copies at its other capture points).
import type Database from 'better-sqlite3';

/**
 * A row's bytes when rows are read in order: its own, or its holder's (bytes_of, an earlier row:
 * a frame's first capture). The holders just read are kept, so the copies at a frame's other
 * capture points cost no second read (FRAME_BYTES's subquery did, ~8 us a row); older holders
 * are looked up.
 */
export function holderBytes(db: Database.Database): (no: number, own: Uint8Array | null, holder: number | null) => Uint8Array {
  const recent = new Map<number, Uint8Array>();
  const lookup = db.prepare('SELECT bytes FROM frame WHERE no = ?').pluck();
  return (no, own, holder) => {
    if (own) {
      recent.set(no, own);
      if (recent.size > 4096) recent.delete(recent.keys().next().value!);
      return own;
    }
    const b = recent.get(holder!) ?? (lookup.get(holder) as Uint8Array | undefined);
    if (!b) throw new Error(`trace: frame row ${no} names row ${holder} for its bytes, which is not there`);
    return b;
  };
}
