import { defineConfig } from '@playwright/test';

// https://playwright.dev/docs/test-configuration
// Each test starts its own server and browser profile (fixtures.ts), so any one runs alone.
// One worker: a server, Chromium and a trainer run are already a lot for a small machine.
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  globalSetup: './global-setup.ts',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 120_000,
  reporter: [['list']],
  outputDir: '../node_modules/.cache/e2e-results',
  use: { trace: 'off' },
});
