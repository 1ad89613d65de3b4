import { describe, expect, it } from 'vitest';
import { isAppRoute, isServerPath } from './spa-routes';

describe('SPA routes', () => {
  it('keeps the API, the models and the probes for the server, at any depth', () => {
    for (const p of ['/api', '/api/feedback', '/api/docs', '/models/v1/model.json', '/healthz']) {
      expect([p, isServerPath(p), isAppRoute(p)]).toEqual([p, true, false]);
    }
    expect(isServerPath('/readyz')).toBe(true);
    expect(isServerPath('/metrics')).toBe(true);
  });

  it('gives every other extensionless path to the app, even one that starts like a server path', () => {
    for (const p of ['/', '/dashboard', '/answers/recent', '/apis', '/modelsx', '/healthz-page']) {
      expect([p, isAppRoute(p)]).toEqual([p, true]);
    }
  });

  it('never treats a file path as a route', () => {
    expect(isAppRoute('/missing.js')).toBe(false);
    expect(isAppRoute('/assets/index-abc.css')).toBe(false);
  });
});
