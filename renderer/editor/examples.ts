// The example gallery: the lab files of examples/, built into the app (Vite inlines them), in the
// order of the topics they teach. Each carries its own description, shown when it is opened.

const FILES = import.meta.glob('../../examples/*.lab.json', { query: '?raw', import: 'default', eager: true });

/** Gallery order: the seed topics first, then the rest by name. */
const ORDER = [
  'accept-keeps-port',
  'backlog-overflow',
  'fork-and-fd-passing',
  'port-ranges-backdoor',
  'ftp-active-passive',
  'telnet-vs-ssh',
  'routed',
  'default',
  'services',
  'two-hosts',
];

export interface Example {
  file: string;
  name: string;
  description: string;
  text: string;
}

export function examples(files: Record<string, string> = FILES): Example[] {
  const out: Example[] = [];
  for (const [path, text] of Object.entries(files)) {
    const file = path.slice(path.lastIndexOf('/') + 1);
    try {
      const doc = JSON.parse(text) as { name?: unknown; description?: unknown };
      out.push({ file, name: String(doc.name ?? file), description: typeof doc.description === 'string' ? doc.description : '', text });
    } catch {
      // A broken example is a build problem (shared/lab/examples.test.ts fails first); keep the gallery usable.
    }
  }
  const rank = (f: string): number => {
    const i = ORDER.indexOf(f.replace(/\.lab\.json$/, ''));
    return i < 0 ? ORDER.length : i;
  };
  return out.sort((a, b) => rank(a.file) - rank(b.file) || a.file.localeCompare(b.file));
}
