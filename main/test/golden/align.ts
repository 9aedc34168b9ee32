// Pair up two packet lists for a readable diff: a longest common subsequence on a key (direction and
// flags) anchors the pairs; between two anchors, gaps of equal size are paired position by position
// (a changed flag or field shows as one changed row), unequal gaps become missing / extra rows.

export interface Pair {
  /** Index in the expected list; undefined = an extra actual item. */
  e?: number;
  /** Index in the actual list; undefined = a missing expected item. */
  a?: number;
}

export function align<E, A>(expected: readonly E[], actual: readonly A[], keyE: (x: E) => string, keyA: (x: A) => string): Pair[] {
  const n = expected.length;
  const m = actual.length;
  const ke = expected.map(keyE);
  const ka = actual.map(keyA);
  // lcs[i][j] = LCS length of expected[i..] and actual[j..].
  const lcs: Uint16Array[] = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = ke[i] === ka[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const anchors: Array<[number, number]> = [];
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (ke[i] === ka[j]) {
      anchors.push([i, j]);
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) i++;
    else j++;
  }
  anchors.push([n, m]);
  const out: Pair[] = [];
  let pi = 0;
  let pj = 0;
  for (const [ai, aj] of anchors) {
    const ge = ai - pi;
    const ga = aj - pj;
    if (ge === ga) for (let k = 0; k < ge; k++) out.push({ e: pi + k, a: pj + k });
    else {
      // Unequal gap: keep time order roughly by listing the missing ones first, then the extras.
      for (let k = 0; k < ge; k++) out.push({ e: pi + k });
      for (let k = 0; k < ga; k++) out.push({ a: pj + k });
    }
    if (ai < n) out.push({ e: ai, a: aj });
    pi = ai + 1;
    pj = aj + 1;
  }
  return out;
}
