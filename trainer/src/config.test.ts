import { DEFAULT_THRESHOLD } from 'sync-server/contract';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

describe('loadConfig', () => {
  it('defaults to the contract threshold and folders under INIT_CWD', () => {
    expect(loadConfig({}, { INIT_CWD: '/repo' })).toEqual({
      baseDir: '/repo',
      dataDir: '/repo/new_data',
      modelsDir: '/repo/models',
      threshold: DEFAULT_THRESHOLD,
    });
  });

  it('treats blank values as unset, as the server does', () => {
    const c = loadConfig(
      {},
      {
        INIT_CWD: '/repo',
        DATA_DIR: '',
        MODELS_DIR: ' ',
        RETRAIN_THRESHOLD: '',
      },
    );
    expect(c).toMatchObject({ dataDir: '/repo/new_data', modelsDir: '/repo/models' });
    expect(c.threshold).toBe(DEFAULT_THRESHOLD);
  });

  it('resolves folder flags like the variables they replace', () => {
    const env = { INIT_CWD: '/repo', MODELS_DIR: 'env-models', DATA_DIR: '/abs/data' };
    expect(loadConfig({ 'models-dir': '../m' }, env)).toMatchObject({
      modelsDir: '/m',
      dataDir: '/abs/data',
    });
    expect(loadConfig({ 'data-dir': 'd' }, env).dataDir).toBe('/repo/d');
    expect(loadConfig({}, env).modelsDir).toBe('/repo/env-models');
  });

  it('a bad value is one line naming the variable and the value', () => {
    expect(() => loadConfig({}, { RETRAIN_THRESHOLD: '0' })).toThrow(
      /^bad environment variable RETRAIN_THRESHOLD: .*, got "0"$/,
    );
  });
});
