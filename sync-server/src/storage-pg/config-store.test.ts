import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config';

const URL_WITH_PASSWORD = 'postgres://app:s3cret-pass@db.internal:5432/feedback';

describe('STORE and DATABASE_URL', () => {
  it('defaults to the file store and ignores DATABASE_URL there', () => {
    const c = loadConfig({ DATABASE_URL: URL_WITH_PASSWORD });
    expect(c.store).toBe('fs');
    expect(c.database).toEqual({ url: null, timeoutMs: 5_000 });
  });

  it('takes the database settings with STORE=postgres', () => {
    const c = loadConfig({
      STORE: 'postgres',
      DATABASE_URL: URL_WITH_PASSWORD,
      DATABASE_TIMEOUT_S: '2',
    });
    expect(c.store).toBe('postgres');
    expect(c.database).toEqual({ url: URL_WITH_PASSWORD, timeoutMs: 2_000 });
  });

  it('refuses STORE=postgres without DATABASE_URL, naming it', () => {
    expect(() => loadConfig({ STORE: 'postgres' })).toThrow(
      new ConfigError('missing environment variable DATABASE_URL: STORE=postgres needs it'),
    );
  });

  it('never echoes a bad DATABASE_URL (it may hold a password)', () => {
    let message = '';
    try {
      loadConfig({ STORE: 'postgres', DATABASE_URL: 'mysql://app:s3cret-pass@db/x' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^bad environment variable DATABASE_URL/);
    expect(message).not.toContain('s3cret-pass');
  });
});
