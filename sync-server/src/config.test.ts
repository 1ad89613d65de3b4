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
      clientQuotaPerDay: 500,
      burstPerHour: 60,
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
      CLIENT_QUOTA_PER_DAY: '0',
      BURST_PER_HOUR: '120',
      CORS_ORIGINS: 'https://a.example, http://localhost:5173',
      LOG_LEVEL: 'silent',
    });
    expect(c).toMatchObject({
      port: 0,
      threshold: 3,
      driver: 'none',
      adminToken: 'long-enough',
      rateLimitPerMin: 0,
      clientQuotaPerDay: 0,
      burstPerHour: 120,
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
    [{ CLIENT_QUOTA_PER_DAY: 'lots' }, /CLIENT_QUOTA_PER_DAY/],
    [{ BURST_PER_HOUR: '0' }, /BURST_PER_HOUR/],
    [{ METRICS_TOKEN: 'short' }, /METRICS_TOKEN/],
    [{ MAX_BODIES: '0' }, /MAX_BODIES/],
    [{ BODY_TIMEOUT_S: '60', REQUEST_TIMEOUT_S: '60' }, /BODY_TIMEOUT_S: must be below/],
    [{ HEADERS_TIMEOUT_S: '90' }, /HEADERS_TIMEOUT_S: must be below REQUEST_TIMEOUT_S/],
    [
      { CORS_ORIGINS: 'https://a.example/path' },
      /CORS_ORIGINS: https:\/\/a.example\/path is not an origin/,
    ],
    [{ GITHUB_REPOSITORY: 'nope' }, /GITHUB_REPOSITORY/],
  ])('names the bad variable in one line: %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('rejects an ADMIN_TOKEN with whitespace in one line, without echoing it', () => {
    // Such a token passed before and could then never match a bearer header.
    for (const ADMIN_TOKEN of ['secret token', 'secret-token\n', '\tsecret-token']) {
      let message = '';
      try {
        loadConfig({ ADMIN_TOKEN });
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(/^bad environment variable ADMIN_TOKEN: must not contain whitespace/);
      expect(message).not.toContain('secret');
      expect(message.split('\n')).toHaveLength(1);
    }
  });

  it('has limits, an audit log beside models/ and an open /metrics by default', () => {
    const c = loadConfig({ INIT_CWD: '/repo' });
    expect(c.adminAuditLog).toBe('/repo/admin-audit.jsonl');
    expect(c.metricsToken).toBeNull();
    expect(c.adminAuthFailuresPerMin).toBeGreaterThan(0);
    expect(c.limits.bodyTimeoutMs).toBeLessThan(c.limits.requestTimeoutMs);
    expect(c.limits.headersTimeoutMs).toBeLessThan(c.limits.requestTimeoutMs);
    expect(c.limits.maxBodiesPerClient).toBeLessThanOrEqual(c.limits.maxBodies);
  });

  it('parses the limits, the metrics token and the audit log path', () => {
    const c = loadConfig({
      INIT_CWD: '/repo',
      HEADERS_TIMEOUT_S: '2',
      BODY_TIMEOUT_S: '3',
      REQUEST_TIMEOUT_S: '4',
      KEEP_ALIVE_TIMEOUT_S: '1',
      MAX_BODIES: '7',
      MAX_BODIES_PER_CLIENT: '2',
      METRICS_TOKEN: 'scrape-token',
      ADMIN_AUDIT_LOG: 'logs/audit.jsonl',
      ADMIN_AUTH_FAILURES_PER_MIN: '3',
    });
    expect(c).toMatchObject({
      metricsToken: 'scrape-token',
      adminAuditLog: '/repo/logs/audit.jsonl',
      adminAuthFailuresPerMin: 3,
      limits: {
        headersTimeoutMs: 2000,
        bodyTimeoutMs: 3000,
        requestTimeoutMs: 4000,
        keepAliveTimeoutMs: 1000,
        maxBodies: 7,
        maxBodiesPerClient: 2,
      },
    });
  });
});
