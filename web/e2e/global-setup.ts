import { spawnSync } from 'node:child_process';
import { REPO } from './server';

/** Builds the app if needed; each test then starts its own server (fixtures.ts). */
export default function globalSetup(): void {
  const build = spawnSync('npm', ['run', '--silent', 'build:if-needed', '-w', 'web'], {
    cwd: REPO,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('web build failed');
}
