import { describe, expect, it } from 'vitest';
import { timing, type BackendName } from './backend-choice';
import { measureBackendChoice, pickBackend } from './backend-pick';
import { fakeEngine } from './test-engine';

describe('pickBackend', () => {
  it('starts the preferred backend when it works', async () => {
    const fake = fakeEngine();
    expect(await pickBackend(fake.engine, 'webgl')).toBe('webgl');
    expect(fake.calls).toEqual(['use webgl']);
  });

  it('falls back through the measured backends to CPU, trying each once', async () => {
    const fake = fakeEngine({ backends: ['cpu'] });
    expect(await pickBackend(fake.engine, 'webgl')).toBe('cpu');
    expect(fake.calls).toEqual(['use webgl', 'use wasm', 'use cpu']);
  });

  it('fails in words when no backend starts', async () => {
    const fake = fakeEngine({ backends: [] });
    await expect(pickBackend(fake.engine, undefined)).rejects.toThrow(/no tfjs backend/);
  });
});

describe('measureBackendChoice', () => {
  const now = () => new Date('2026-11-26T12:00:00.000Z');

  it('chooses the fastest and notes the backends that failed', async () => {
    const measure = async (b: BackendName) => {
      if (b === 'webgl') throw new Error('no WebGL');
      return timing(b, [2, 3, 4]);
    };
    const choice = await measureBackendChoice({ measure, current: 'cpu', modelVersion: 'v', now });
    expect(choice).toMatchObject({
      backend: 'wasm',
      failures: { webgl: 'no WebGL' },
      modelVersion: 'v',
      measuredAt: '2026-11-26T12:00:00.000Z',
    });
    expect(choice.timings.map((t) => t.backend)).toEqual(['wasm']);
  });

  it('keeps the backend in use when nothing could be measured', async () => {
    const measure = async () => Promise.reject(new Error('no workers'));
    const choice = await measureBackendChoice({ measure, current: 'webgl', modelVersion: 'v' });
    expect([choice.backend, Object.keys(choice.failures)]).toEqual(['webgl', ['wasm', 'webgl']]);
  });
});
