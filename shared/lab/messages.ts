// The words of lab-file errors. Every field problem reads `<value> is not <what> (<hint>)` or
// `missing <what> (<hint>)`, so a person sees what they wrote, what was wanted and an example.

export interface Expected {
  article: 'a' | 'an';
  noun: string;
  hint?: string;
}

const MAX_SHOWN = 40;

/** A value as it appears in an error: strings quoted (and cut), containers by kind. */
export function showValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return v.length > MAX_SHOWN ? `${JSON.stringify(v.slice(0, MAX_SHOWN)).slice(0, -1)}…"` : JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return Object.is(v, -0) ? '-0' : String(v);
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

function withHint(text: string, e: Expected): string {
  return e.hint ? `${text} (${e.hint})` : text;
}

export function isNot(v: unknown, e: Expected): string {
  return withHint(`${showValue(v)} is not ${e.article} ${e.noun}`, e);
}

export function missing(e: Expected): string {
  return withHint(`missing ${e.noun}`, e);
}

/** A zod `error` function: "missing ..." when the key is absent, "... is not ..." otherwise. */
export function describe(e: Expected): (issue: { input?: unknown }) => string {
  return (issue) => (issue.input === undefined ? missing(e) : isNot(issue.input, e));
}

/** Edit distance with adjacent swaps (optimal string alignment), case-insensitive: "nmae" is 1 from "name". */
function distance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The known name closest to a misspelt one, when it is a likely typo: a few edits away (one per
 * three letters: "nic"/"nics", "nmae"/"name", "bandwith"/"bandwidth") or one a prefix of the other
 * ("ipv4"/"ip"). Case is ignored ("Latency"/"latency").
 */
export function suggest(name: string, known: readonly string[]): string | null {
  if (name.length > 64) return null;
  let best: string | null = null;
  let bestD = Infinity;
  for (const k of known) {
    const d = distance(name, k);
    const [short, long] = name.length < k.length ? [name, k] : [k, name];
    const prefix = short.length >= 2 && long.toLowerCase().startsWith(short.toLowerCase());
    const close = d <= Math.floor(Math.max(name.length, k.length) / 3);
    if ((prefix || close) && d < bestD) {
      best = k;
      bestD = d;
    }
  }
  return best;
}

export function unknownField(key: string, known: readonly string[]): string {
  const guess = suggest(key, known);
  if (guess !== null) return `unknown field (did you mean "${guess}"?)`;
  return known.length > 0 ? `unknown field (known fields: ${known.join(', ')})` : 'unknown field';
}

/** `machines[1].nics[0].ip` from ['machines', 1, 'nics', 0, 'ip']. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (typeof seg === 'string' && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}
