import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// UI benchmarks (bench/ui/*.bench.ts): the e2e setup, one run, figures printed as JSON lines.
export default defineConfig({ ...base, testDir: 'bench/ui', testMatch: '*.bench.ts', reporter: [['line']], retries: 0 });
