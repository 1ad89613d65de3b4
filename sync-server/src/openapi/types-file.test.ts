import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderTypes, TYPES_FILE } from './types-file';

describe('examples/api-types.ts', () => {
  it('is what openapi-typescript generates from the document now', async () => {
    // Stale? Run `npm run openapi:types -w sync-server` and commit the result.
    expect(readFileSync(TYPES_FILE, 'utf8')).toBe(await renderTypes());
  });
});
