import { posix } from 'node:path';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { envValues, parseEnv, resolveAgainst } from './env';

const schema = z.object({
  PORT: z.coerce.number().int().min(1, 'must be at least 1').default(8787),
  TOKEN: z.string().optional(),
});

describe('envValues', () => {
  it('drops unset, empty and all-space values and keeps the rest as given', () => {
    expect(envValues({ A: undefined, B: '', C: '  ', D: ' x ', E: '0' })).toEqual({
      D: ' x ',
      E: '0',
    });
  });
});

describe('parseEnv', () => {
  it('treats a blank value as unset, so the default applies', () => {
    expect(parseEnv(schema, { PORT: '', TOKEN: ' ' })).toEqual({
      ok: true,
      value: { PORT: 8787 },
    });
  });

  it('names the bad variable, what it must be and what it was, in one line', () => {
    expect(parseEnv(schema, { PORT: '0' })).toEqual({
      ok: false,
      message: 'bad environment variable PORT: must be at least 1, got "0"',
    });
  });

  it('does not read process.env', () => {
    process.env.TOKEN = 'from-process';
    try {
      expect(parseEnv(schema, {})).toEqual({ ok: true, value: { PORT: 8787 } });
    } finally {
      delete process.env.TOKEN;
    }
  });
});

describe('resolveAgainst', () => {
  it.each([
    ['/repo', 'models'],
    ['/repo', './x/../models/'],
    ['/repo/sub', '../new_data'],
    ['/repo', '/abs/models'],
    ['/repo/', 'a//b/./c'],
    ['/', '../..'],
  ])('%s + %s is what path.posix.resolve gives', (base, path) => {
    expect(resolveAgainst(base, path)).toBe(posix.resolve(base, path));
  });
});
