// GNU getopt_long(3), shared by the lab's command-line tools.

export interface LongOpt {
  /** The key reported for it (usually its short letter). */
  key: string;
  arg: 'none' | 'required' | 'optional';
}

interface Getopt {
  opts: { key: string; value?: string }[];
  args: string[];
}

/**
 * getopt_long(3) as glibc does it: short options clustered (-tanp), "x:" takes an argument from
 * the rest of the word or the next word, "x::" an optional attached one, long options by unique
 * prefix with "=value" or the next word, operands permuted to the end, "--" ends options.
 * Errors are glibc's messages, prefixed with the program name.
 */
export function getopt(prog: string, argv: string[], shorts: string, longs: Record<string, LongOpt> = {}, permute = true): Getopt | { error: string } {
  const opts: Getopt['opts'] = [];
  const args: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const exact = Object.hasOwn(longs, name) ? [name] : Object.keys(longs).filter((l) => l.startsWith(name));
      const uniq = [...new Set(exact.map((l) => longs[l]!.key))];
      if (exact.length === 0) return { error: `${prog}: unrecognized option '${a}'\n` };
      if (uniq.length > 1) return { error: `${prog}: option '--${name}' is ambiguous; possibilities:${exact.map((l) => ` '--${l}'`).join('')}\n` };
      const full = exact[0]!;
      const spec = longs[full]!;
      if (spec.arg === 'none') {
        if (eq >= 0) return { error: `${prog}: option '--${full}' doesn't allow an argument\n` };
        opts.push({ key: spec.key });
      } else if (eq >= 0) opts.push({ key: spec.key, value: a.slice(eq + 1) });
      else if (spec.arg === 'required') {
        if (i + 1 >= argv.length) return { error: `${prog}: option '--${full}' requires an argument\n` };
        opts.push({ key: spec.key, value: argv[++i]! });
      } else opts.push({ key: spec.key });
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        const at = shorts.indexOf(c);
        if (at < 0 || c === ':') return { error: `${prog}: invalid option -- '${c}'\n` };
        const takes = shorts[at + 1] === ':' ? (shorts[at + 2] === ':' ? 'optional' : 'required') : 'none';
        if (takes === 'none') {
          opts.push({ key: c });
          continue;
        }
        const rest = a.slice(j + 1);
        if (rest) opts.push({ key: c, value: rest });
        else if (takes === 'optional') opts.push({ key: c });
        else if (i + 1 < argv.length) opts.push({ key: c, value: argv[++i]! });
        else return { error: `${prog}: option requires an argument -- '${c}'\n` };
        break;
      }
      continue;
    }
    if (!permute) {
      args.push(...argv.slice(i));
      break;
    }
    args.push(a);
  }
  return { opts, args };
}
