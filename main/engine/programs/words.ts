// Split a command line into words like a POSIX shell: whitespace separates, '...' is literal,
// "..." allows \" and \\, a backslash escapes the next character. Unclosed quotes are an error.
export function splitWords(line: string): string[] | { error: string } {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return { error: 'unexpected EOF while looking for matching `\'\'' };
      cur += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (ch === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && (line[j + 1] === '"' || line[j + 1] === '\\')) j++;
        cur += line[j];
      }
      if (j >= line.length) return { error: 'unexpected EOF while looking for matching `"\'' };
      i = j;
      inWord = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      cur += line[++i];
      inWord = true;
    } else if (ch === ' ' || ch === '\t' || ch === '\n') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

export interface Redirect {
  /** '<' stdin from a file; '>' stdout to a file (truncated); '>>' stdout appended to a file. */
  op: '<' | '>' | '>>';
  target: string;
}

/**
 * A command line's words and its redirections: unquoted `<`, `>` and `>>`, apart or attached
 * (`>out.txt`), take the next word as their file; quoted ones are ordinary characters.
 */
export function splitCommand(line: string): { words: string[]; redirects: Redirect[] } | { error: string } {
  // Mark unquoted operators with private-use characters (kept by splitWords), then split.
  let marked = '';
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '\\' && quote !== "'" && i + 1 < line.length) {
      marked += ch + line[++i]!;
      continue;
    }
    if (quote) {
      if (ch === quote) quote = null;
      marked += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      marked += ch;
    } else if (ch === '>' && line[i + 1] === '>') {
      marked += ' \uE002 ';
      i++;
    } else if (ch === '>') marked += ' \uE001 ';
    else if (ch === '<') marked += ' \uE000 ';
    else marked += ch;
  }
  const all = splitWords(marked);
  if ('error' in all) return all;
  const words: string[] = [];
  const redirects: Redirect[] = [];
  for (let i = 0; i < all.length; i++) {
    const w = all[i]!;
    const op = w === '\uE000' ? '<' : w === '\uE001' ? '>' : w === '\uE002' ? '>>' : null;
    if (!op) {
      words.push(w);
      continue;
    }
    const target = all[i + 1];
    if (target === undefined || /^[\uE000-\uE002]$/.test(target)) return { error: `syntax error near unexpected token \`${target === undefined ? 'newline' : { '\uE000': '<', '\uE001': '>', '\uE002': '>>' }[target]}'` };
    redirects.push({ op, target });
    i++;
  }
  return { words, redirects };
}
