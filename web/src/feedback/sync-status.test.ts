import { describe, expect, it } from 'vitest';
import { syncStatus } from './sync-status';

describe('syncStatus', () => {
  it('is all sent only with nothing pending and no failure', () => {
    expect(syncStatus({ pending: 0, online: true, lastError: null })).toEqual({ kind: 'sent' });
    expect(syncStatus({ pending: 2, online: true, lastError: null })).toEqual({ kind: 'waiting' });
  });

  it('never calls a server that does not answer online', () => {
    const status = syncStatus({ pending: 3, online: true, lastError: 'network: TypeError' });
    expect(status.kind).toBe('unreachable');
    expect(status).toMatchObject({
      why: expect.stringMatching(/did not answer.*network: TypeError/),
    });
    expect(syncStatus({ pending: 1, online: true, lastError: 'HTTP 503: busy' })).toMatchObject({
      why: expect.stringMatching(/server had a problem.*HTTP 503/),
    });
  });

  it('says offline first: nothing can be sent then', () => {
    expect(syncStatus({ pending: 1, online: false, lastError: 'network: x' })).toEqual({
      kind: 'offline',
    });
  });
});
