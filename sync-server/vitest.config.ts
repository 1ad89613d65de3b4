import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'sync-server',
    environment: 'node',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Real files, fsyncs and child processes on a shared 2-core box: 5 s is too tight when
    // it is busy. Tests still assert behaviour, never timings.
    testTimeout: 30_000,
  },
});
