import { writeFileSync } from 'node:fs';
import { renderTypes, TYPES_FILE } from './types-file';

// `npm run openapi:types -w sync-server`: rewrites the committed client types after a
// contract change (a test fails while they are stale).
writeFileSync(TYPES_FILE, await renderTypes());
process.stdout.write(`wrote ${TYPES_FILE}\n`);
