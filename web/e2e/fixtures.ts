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
  page: Page;
}

/**
 * Every test stands alone: its own server, data and browser profile, so any one of them runs
 * by itself (`-g`) and no test depends on another's answers. Temp folders go with the test.
 */
export const test = base.extend<AppFixtures>({
  serverOptions: [{}, { option: true }],
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
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's needs from it
  profile: async ({}, use) => {
    const context = await launchProfile();
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
