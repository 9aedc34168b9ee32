// The import directions of DESIGN.md are enforced by eslint (eslint.config.js). These tests show
// that the rules fire on real violations, so a broken config cannot pass silently.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath });
  return r!.messages.map((m) => m.ruleId ?? m.message);
}

describe('architecture lint rules', () => {
  it('the engine may not import Node, Electron or SQLite, nor use the wall clock or Math.random', async () => {
    const ids = await ruleIds(
      'main/engine/sim/bad.ts',
      "import { readFileSync } from 'node:fs';\nimport Database from 'better-sqlite3';\nexport const x = [readFileSync, Database, Date.now(), Math.random(), new Date()];\nsetTimeout(() => {}, 1);\nconsole.log(x);\n",
    );
    expect(ids.filter((i) => i === 'no-restricted-imports')).toHaveLength(2);
    expect(ids.filter((i) => i === 'no-restricted-properties')).toHaveLength(2);
    expect(ids).toContain('no-restricted-syntax');
    expect(ids.filter((i) => i === 'no-restricted-globals')).toHaveLength(2);
  });

  it('the engine may not import upward (trace, service, renderer)', async () => {
    const ids = await ruleIds('main/engine/net/bad.ts', "import { TraceStore } from '../../trace';\nexport const y = TraceStore;\n");
    expect(ids).toEqual(['no-restricted-imports']);
  });

  it('shared/ may not import main/ or Node; zod is allowed', async () => {
    expect(await ruleIds('shared/lab/bad.ts', "import { World } from '../../main/engine';\nexport const w = World;\n")).toEqual(['no-restricted-imports']);
    expect(await ruleIds('shared/lab/bad.ts', "import { join } from 'path';\nexport const j = join;\n")).toEqual(['no-restricted-imports']);
    expect(await ruleIds('shared/lab/ok.ts', "import { z } from 'zod';\nexport const s = z.string();\n")).toEqual([]);
  });

  it('the renderer may not import main/ or Node', async () => {
    expect(await ruleIds('renderer/app/bad.ts', "import { LabService } from '../../main/service';\nexport const s = LabService;\n")).toEqual(['no-restricted-imports']);
    expect(await ruleIds('renderer/app/bad.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n")).toEqual(['no-restricted-imports']);
  });

  it('only main/app imports electron', async () => {
    expect(await ruleIds('main/service/bad.ts', "import { app } from 'electron';\nexport const a = app;\n")).toEqual(['no-restricted-imports']);
  });
});
