import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO, startServer } from './server';

/** Retrain after this many answers, so the suite reaches one real retrain. */
export const E2E_THRESHOLD = 4;
export const E2E_ADMIN_TOKEN = 'e2e-admin-token';

/**
 * Builds the app if needed and starts the real server with the local trainer driver. Tests
 * find it through E2E_* variables (Playwright workers inherit the runner's environment).
 * `E2E_MODELS_FROM` may point at another models/ folder while developing.
 */
export default async function globalSetup() {
  const build = spawnSync('npm', ['run', '--silent', 'build:if-needed', '-w', 'web'], {
    cwd: REPO,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('web build failed');
  const server = await startServer({
    ...(process.env.E2E_MODELS_FROM
      ? { modelsFrom: path.resolve(process.env.E2E_MODELS_FROM) }
      : {}),
    env: {
      RETRAIN_DRIVER: 'local',
      RETRAIN_THRESHOLD: String(E2E_THRESHOLD),
      ADMIN_TOKEN: E2E_ADMIN_TOKEN,
    },
  });
  process.env.E2E_BASE_URL = server.baseUrl;
  process.env.E2E_DATA_DIR = server.dataDir;
  process.env.E2E_MODELS_DIR = server.modelsDir;
  process.env.E2E_TMP = server.tmp;
  return async () => {
    await server.stop();
  };
}
