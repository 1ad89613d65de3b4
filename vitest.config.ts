import { defineConfig } from 'vitest/config';

// One project per workspace: https://vitest.dev/guide/projects
export default defineConfig({
  test: { projects: ['sync-server', 'trainer', 'web'] },
});
