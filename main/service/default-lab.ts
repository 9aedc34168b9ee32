// Where the default lab lives (examples/default.lab.json at the project root).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root: two levels above this file in the source tree (main/service). */
export function projectRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

export function defaultLabPath(root = projectRoot()): string {
  return resolve(root, 'examples', 'default.lab.json');
}

export function readDefaultLab(root?: string): string {
  return readFileSync(defaultLabPath(root), 'utf8');
}
