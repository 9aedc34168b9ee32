import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// UI benchmarks (bench/ui/*.bench.ts): the e2e setup, one run, figures printed as JSON lines. No
// Playwright trace: its recorder takes DOM snapshots around each action and screenshots, on the
// page's main thread (a snapshot measured ~30 ms at the app's start), which the figures would count
// as the app's.
export default defineConfig({ ...base, testDir: 'bench/ui', testMatch: '*.bench.ts', reporter: [['line']], retries: 0, use: { ...base.use, trace: 'off' } });
