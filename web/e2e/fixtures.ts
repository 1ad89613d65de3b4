import fs from 'node:fs';
import { test as base, type BrowserContext, type Page } from '@playwright/test';
import { closeProfile, launchProfile } from './helpers';
import { startServer, type RunningServer, type ServerOptions } from './server';

/** The threshold every test's server starts with; the retrain test answers this many. */
export const E2E_THRESHOLD = 4;
export const E2E_ADMIN_TOKEN = 'e2e-admin-token';

export interface AppFixtures {
  /** How this test's server starts (`test.use({ serverOptions })`); merged over the defaults. */
  serverOptions: ServerOptions;
  /** A server of this test's own, on private copies of models/ and an empty new_data/. */
  server: RunningServer;
  /** A fresh browser profile: no service worker, cache or outbox from another test. */
  profile: BrowserContext;
  /** Show the first-run privacy notice (off by default: it floats over the page). */
  firstRun: boolean;
  page: Page;
}

/**
 * Every test stands alone: its own server, data and browser profile, so any one of them runs
 * by itself (`-g`) and no test depends on another's answers. Temp folders go with the test.
 */
export const test = base.extend<AppFixtures>({
  serverOptions: [{}, { option: true }],
  firstRun: [false, { option: true }],
  server: async ({ serverOptions }, use, testInfo) => {
    const server = await startServer({
      ...serverOptions,
      env: {
        RETRAIN_DRIVER: 'none',
        RETRAIN_THRESHOLD: String(E2E_THRESHOLD),
        ADMIN_TOKEN: E2E_ADMIN_TOKEN,
        ...serverOptions.env,
      },
    });
    try {
      await use(server);
    } finally {
      if (testInfo.status !== testInfo.expectedStatus) {
        await testInfo.attach('server.log', { body: fs.readFileSync(server.log) });
      }
      await server.stop();
    }
  },
  profile: async ({ firstRun }, use) => {
    const context = await launchProfile();
    if (!firstRun) {
      await context.addInitScript(() => localStorage.setItem('digit-loop:privacy-seen', '1'));
    }
    try {
      await use(context);
    } finally {
      await closeProfile(context);
    }
  },
  page: async ({ profile }, use) => {
    await use(profile.pages()[0] ?? (await profile.newPage()));
  },
});

export { expect } from '@playwright/test';
