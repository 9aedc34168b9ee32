// Lint rules hold the architecture's import directions (DESIGN.md section 2):
// shared <- main/engine <- main/trace, main/service <- main/app|web|cli; renderer -> shared only.
import tseslint from 'typescript-eslint';

// Bare names are matched exactly (as `paths`), globs as `patterns`: './events' is not Node's 'events'.
const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'http', 'net', 'crypto', 'url', 'util', 'events', 'stream', 'worker_threads'];
const tests = ['**/*.test.ts'];

/** Build a no-restricted-imports rule from glob groups and a message. */
const isGlob = (name) => name.includes('*') || name.includes('/');
const restrict = (groups) => [
  'error',
  {
    paths: groups.flatMap(([names, message]) => names.filter((n) => !isGlob(n)).map((name) => ({ name, message }))),
    patterns: groups
      .map(([names, message]) => ({ group: names.filter(isGlob), message }))
      .filter((p) => p.group.length > 0),
  },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'test-results/**', 'playwright-report/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: tests,
    rules: {
      'no-restricted-imports': restrict([
        [['**/main/**', '**/renderer/**'], 'shared/ is used by main and renderer: it imports neither.'],
        [[...nodeBuiltins, 'electron', 'better-sqlite3', 'ws', 'react', 'react-dom', 'cytoscape', '@xterm/*'], 'shared/ is pure TypeScript: no Node, DOM or app libraries (zod is the one allowed dependency).'],
      ]),
    },
  },
  {
    files: ['main/engine/**/*.ts'],
    ignores: tests,
    rules: {
      'no-restricted-globals': ['error',
        { name: 'setTimeout', message: 'Use the engine scheduler (virtual time).' },
        { name: 'setInterval', message: 'Use the engine scheduler (virtual time).' },
        { name: 'console', message: 'Emit a trace event instead.' },
        { name: 'process', message: 'The engine has no Node process.' },
        { name: 'performance', message: 'No wall clock in the engine.' },
      ],
      'no-restricted-properties': ['error',
        { object: 'Math', property: 'random', message: 'Use the seeded Rng stream (sim/rng.ts).' },
        { object: 'Date', property: 'now', message: 'Use virtual time (Scheduler.now).' },
      ],
      'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='Date']", message: 'No wall clock in the engine.' }],
    },
  },
  // Relative imports say nothing about "main/", so the engine's rule depends on the file's depth:
  // climbing out of main/engine/ is allowed only into shared/.
  ...[1, 2, 3].map((depth) => ({
    files: [`main/engine/${'*/'.repeat(depth - 1)}*.ts`],
    ignores: tests,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, 'electron', 'better-sqlite3', 'ws', 'react', 'zod']
            .filter((n) => !isGlob(n))
            .map((name) => ({ name, message: 'The engine is pure TypeScript: no Node, Electron, SQLite or UI libraries.' })),
          patterns: [
            { group: ['node:*'], message: 'The engine is pure TypeScript: no Node APIs.' },
            { regex: `^${'\\.\\./'.repeat(depth)}(?!\\.\\./shared/)`, message: 'The engine imports shared/ and itself only (no trace, service, app, web, cli or renderer).' },
          ],
        },
      ],
    },
  })),
  {
    files: ['main/trace/**/*.ts', 'main/service/**/*.ts', 'main/web/**/*.ts', 'main/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        [['electron'], 'Only main/app imports electron.'],
        [['**/renderer/**'], 'main never imports the renderer.'],
      ]),
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': restrict([
        [['**/main/**'], 'The renderer talks to main only through shared/api.'],
        [[...nodeBuiltins, 'electron', 'better-sqlite3', 'ws'], 'The renderer runs in a sandboxed page: no Node or Electron.'],
      ]),
    },
  },
  {
    files: ['main/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        [['zod', 'ws', 'better-sqlite3', '**/main/engine/**', '**/main/service/**'], 'A sandboxed preload cannot require npm packages; it forwards calls only.'],
      ]),
    },
  },
);
