// Zod issues -> lab problems. Field messages are already written by the schema (messages.ts); this
// splits "unrecognized keys" into one problem per key (with a did-you-mean) and puts problems in
// document order.

import { z } from 'zod';
import { unknownField } from './messages';
import { LabDocSchema, LinkSchema, MachineSchema, NicSchema, PositionSchema, ScriptEntrySchema } from './schema';

export type PathSeg = string | number;

/** A problem before its path is formatted (LabError holds the formatted path). */
export interface Problem {
  path: PathSeg[];
  message: string;
}

export function problemsFromZod(error: z.ZodError, root: z.ZodType): Problem[] {
  const out: Problem[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map((seg) => (typeof seg === 'number' ? seg : String(seg)));
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(root, path);
      for (const key of issue.keys) out.push({ path: [...path, key], message: unknownField(key, known) });
    } else {
      out.push({ path, message: issue.message });
    }
  }
  return out;
}

/** The field names of the object schema found by following `path` from `root`. */
function knownKeysAt(root: z.ZodType, path: readonly PathSeg[]): string[] {
  let s: z.ZodType | undefined = root;
  for (const seg of path) {
    s = unwrap(s);
    if (s instanceof z.ZodArray && typeof seg === 'number') s = s.element as z.ZodType;
    else if (s instanceof z.ZodObject && typeof seg === 'string' && Object.hasOwn(s.shape, seg)) s = s.shape[seg] as z.ZodType;
    else return [];
  }
  s = unwrap(s);
  return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}

function unwrap(s: z.ZodType | undefined): z.ZodType | undefined {
  while (s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
  return s;
}

/**
 * Field order of the file format, taken from the schema so it cannot drift: problems sort like the
 * document reads. A name shared by two objects ("name") keeps its first place.
 */
const FIELD_ORDER: readonly string[] = [
  ...new Set(
    [LabDocSchema, MachineSchema, NicSchema, PositionSchema, LinkSchema, ScriptEntrySchema].flatMap((o) => Object.keys(o.shape)),
  ),
];
const RANK = new Map(FIELD_ORDER.map((f, i) => [f, i]));

function compareSeg(a: PathSeg, b: PathSeg): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  const ra = RANK.get(a) ?? FIELD_ORDER.length;
  const rb = RANK.get(b) ?? FIELD_ORDER.length;
  return ra !== rb ? ra - rb : a < b ? -1 : a > b ? 1 : 0;
}

export function comparePaths(a: readonly PathSeg[], b: readonly PathSeg[]): number {
  for (let i = 0; i < a.length && i < b.length; i++) {
    const c = compareSeg(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** Stable sort into document order (Array.prototype.sort is stable since ES2019). */
export function inDocumentOrder(problems: Problem[]): Problem[] {
  return [...problems].sort((x, y) => comparePaths(x.path, y.path));
}
