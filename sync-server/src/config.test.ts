import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, REPO_ROOT } from './config';

describe('loadConfig', () => {
  it('has defaults that make npm start work on a fresh clone', () => {
    const c = loadConfig({ INIT_CWD: '/repo' });
    expect(c).toMatchObject({
      port: 8787,
      host: '127.0.0.1',
      dataDir: '/repo/new_data',
      modelsDir: '/repo/models',
      webDist: join(REPO_ROOT, 'web/dist'),
      threshold: 10,
      driver: 'local',
      adminToken: null,
      rateLimitPerMin: 600,
      corsOrigins: [],
      logLevel: 'info',
    });
  });

  it('resolves relative folders against INIT_CWD and keeps absolute ones', () => {
    const c = loadConfig({ INIT_CWD: '/repo', DATA_DIR: 'x/data', MODELS_DIR: '/abs/models' });
    expect([c.dataDir, c.modelsDir]).toEqual(['/repo/x/data', '/abs/models']);
  });

  it('parses every variable', () => {
    const c = loadConfig({
      PORT: '0',
      RETRAIN_THRESHOLD: '3',
      RETRAIN_DRIVER: 'none',
      ADMIN_TOKEN: 'long-enough',
      RATE_LIMIT_PER_MIN: '0',
      CORS_ORIGINS: 'https://a.example, http://localhost:5173',
      LOG_LEVEL: 'silent',
    });
    expect(c).toMatchObject({
      port: 0,
      threshold: 3,
      driver: 'none',
      adminToken: 'long-enough',
      rateLimitPerMin: 0,
      corsOrigins: ['https://a.example', 'http://localhost:5173'],
      logLevel: 'silent',
    });
  });

  it('treats an empty value as unset', () => {
    expect(loadConfig({ ADMIN_TOKEN: '', PORT: '' })).toMatchObject({
      adminToken: null,
      port: 8787,
    });
  });

  it.each([
    [{ PORT: 'abc' }, /^bad environment variable PORT: .*got "abc"$/],
    [{ PORT: '70000' }, /PORT/],
    [{ RETRAIN_THRESHOLD: '0' }, /RETRAIN_THRESHOLD/],
    [{ RETRAIN_THRESHOLD: '2.5' }, /RETRAIN_THRESHOLD/],
    [{ RETRAIN_DRIVER: 'cloud' }, /RETRAIN_DRIVER/],
    [{ ADMIN_TOKEN: 'short' }, /ADMIN_TOKEN/],
    [{ RATE_LIMIT_PER_MIN: '-1' }, /RATE_LIMIT_PER_MIN/],
    [
      { CORS_ORIGINS: 'https://a.example/path' },
      /CORS_ORIGINS: https:\/\/a.example\/path is not an origin/,
    ],
    [{ GITHUB_REPOSITORY: 'nope' }, /GITHUB_REPOSITORY/],
  ])('names the bad variable in one line: %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
