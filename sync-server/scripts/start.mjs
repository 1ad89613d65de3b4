// `npm start -w sync-server`: bundles `src/main.ts` (our own modules; packages stay imports
// Node resolves as installed) into `dist/server.mjs` with esbuild, unless the bundle is already
// one of the current sources (`bundle.mjs`), then runs it in this process. Under tsx each of
// our modules went through its loader hooks on every start; the bundle loads as one file
// (`npm run bench -w sync-server -- startup` times a start). Plain JavaScript: it must run
// before anything is built.
import { serverBundle } from './bundle.mjs';

await import(serverBundle());
