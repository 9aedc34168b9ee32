// Lab files written by earlier versions of Packet Lab still open. Format "packet-lab/1" has only
// grown optional fields since it was introduced, so no migration has been needed yet; the files in
// compat/ are examples as they were committed (named by commit) and must keep loading, and a file
// of a format this version does not know is refused with a message that says so.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatLabError, parseLab, serializeLab } from './index';

const DIR = fileURLToPath(new URL('./compat/', import.meta.url));
const files = readdirSync(DIR).filter((f) => f.endsWith('.lab.json'));

describe('lab files from earlier versions', () => {
  it('keeps some', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  it.each(files)('%s opens, and saving it gives a file that opens to the same lab', (file) => {
    const r = parseLab(readFileSync(DIR + file, 'utf8'));
    if (!r.ok) throw new Error(r.errors.map(formatLabError).join('\n'));
    const again = parseLab(serializeLab(r.doc));
    expect(again).toEqual(r);
  });

  it('a format this version does not know is refused, naming the one it reads', () => {
    const r = parseLab('{"format":"packet-lab/2","name":"x","machines":[],"links":[]}');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map(formatLabError)).toEqual(['format: "packet-lab/2" is not a supported format (expected "packet-lab/1")']);
  });
});
