// Recent files. In browser mode a lab file reaches the page as an upload, without a path to open
// again, so the list keeps each file's text as it was last opened or saved (localStorage); the
// desktop app's list is the same. Pure; see recent.test.ts.
import { safeFileName } from '../util/download';

export interface RecentLab {
  fileName: string;
  labName: string;
  text: string;
  /** When it was last opened or saved here (ms since the epoch). */
  atMs: number;
}

export const RECENT_KEY = 'files:recent';
export const RECENT_MAX = 8;
/** Larger files are not kept (localStorage holds a few MB for the whole app). */
export const RECENT_MAX_CHARS = 512 * 1024;

/** `entry` first, replacing an older one of the same file name; at most RECENT_MAX. */
export function addRecent(list: readonly RecentLab[], entry: RecentLab): RecentLab[] {
  if (entry.text.length > RECENT_MAX_CHARS) return list.filter((r) => r.fileName !== entry.fileName);
  return [entry, ...list.filter((r) => r.fileName !== entry.fileName)].slice(0, RECENT_MAX);
}

/** The stored list; anything malformed (an older format, a hand edit) is dropped, never thrown. */
export function parseRecent(raw: string | null): RecentLab[] {
  if (!raw) return [];
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!Array.isArray(v)) return [];
  return v
    .filter(
      (r): r is RecentLab =>
        typeof r === 'object' && r !== null && typeof r.fileName === 'string' && typeof r.labName === 'string' && typeof r.text === 'string' && typeof r.atMs === 'number',
    )
    .slice(0, RECENT_MAX);
}

/** The lab's name from its file text (for the list), or the file name when it has none. */
export function labNameOf(text: string, fileName: string): string {
  try {
    const v = JSON.parse(text) as { name?: unknown };
    return typeof v.name === 'string' && v.name ? v.name : fileName;
  } catch {
    return fileName;
  }
}

/** A file name a lab can be saved under: "x" -> "x.lab.json"; null when nothing usable is left. */
export function labFileName(input: string): string | null {
  const t = input.trim();
  if (!t || t === '.' || t === '..') return null;
  const base = safeFileName(t);
  return /\.json$/i.test(base) ? base : `${base}.lab.json`;
}
