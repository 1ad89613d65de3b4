import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { canonicalUuidSchema } from 'sync-server/contract';
import { clientId, forgetClientId, renewClientId } from './client-id';

let n = 0;
const freshName = () => `client-id-test-${++n}`;

describe('client id', () => {
  it('makes one random UUID per installation and keeps it', async () => {
    const name = freshName();
    const [a, b] = await Promise.all([clientId(name), clientId(name)]);
    expect(canonicalUuidSchema.safeParse(a).success).toBe(true);
    expect(b).toBe(a);
    expect(await clientId(name)).toBe(a);
    expect(await clientId(freshName())).not.toBe(a);
  });

  it('renews to a new id that then stays', async () => {
    const name = freshName();
    const before = await clientId(name);
    const renewed = await renewClientId(name);
    expect(renewed).not.toBe(before);
    expect(await clientId(name)).toBe(renewed);
  });

  it('forgets the id, and the next use makes a fresh one', async () => {
    const name = freshName();
    const before = await clientId(name);
    await forgetClientId(name);
    expect(await clientId(name)).not.toBe(before);
  });
});
