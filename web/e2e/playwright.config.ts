import { defineConfig } from '@playwright/test';

// https://playwright.dev/docs/test-configuration
// One worker, in order: the tests share one server (and its new_data/) and build on each
// other's answers up to the retrain threshold, like one user's session.
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
