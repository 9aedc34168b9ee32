import { defineConfig } from 'vitest/config';

// Unit and integration tests live beside the code (*.test.ts). Two cores: two workers.
export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'main/**/*.test.ts', 'renderer/**/*.test.ts', 'bench/**/*.test.ts'],
    pool: 'threads',
    maxWorkers: 2,
    testTimeout: 30_000,
  },
});
