import { fileURLToPath } from 'node:url';

// Where the server's own files are. This module sits directly in `src/`, as the bundle that
// `npm start` runs (`dist/server.mjs`, `scripts/start.mjs`) sits directly in `dist/`: paths
// taken from here hold both under tsx and in the bundle. A module in a subfolder of `src/`
// must not resolve files against its own `import.meta.url`, which the bundle does not keep.

/** `sync-server/`. */
export const SERVER_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The repository root: the workspace that holds `sync-server/`, `trainer/` and `web/`. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
