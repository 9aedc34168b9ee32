// Helpers for this folder's tests only.
import { seededRandom } from '../../shared/testing/random';

/** "0a 0d 0d 0a ..." (spaces, newlines and | ignored) to bytes. */
export function hex(s: string): Uint8Array {
  const clean = s.replace(/[\s|]/g, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function toHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}


/** Repeatable random numbers for fuzz tests. */
export const rng = seededRandom;
