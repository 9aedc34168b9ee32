// Where the Electron binary is, without require('electron') (which would try to download it).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The binary's path, or null with the reason it is missing. */
export function electronBinary() {
  const pkg = join(root, 'node_modules', 'electron');
  const pathTxt = join(pkg, 'path.txt');
  if (!existsSync(pathTxt)) return { path: null, reason: 'node_modules/electron/path.txt is missing: the Electron binary was never downloaded (no access to its release host here)' };
  const bin = join(pkg, 'dist', readFileSync(pathTxt, 'utf8').trim());
  if (!existsSync(bin)) return { path: null, reason: `${bin} does not exist` };
  return { path: bin, reason: '' };
}
