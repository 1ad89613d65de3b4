import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema, feedbackResponseSchema } from '../src/contract';
import { makeApp, makeItem, tempDirs, type TestApp } from './helpers';

// A seeded generator (mulberry32) so a failure can be replayed.
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 2 ** 32;
  };
}
const rand = rng(20261126);
const int = (n: number) => Math.floor(rand() * n);
const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;

const WEIRD = [
  '../../../etc/passwd',
  '..\\..\\canary.txt',
  '%2e%2e%2fcanary.txt',
  '/abs/path',
  'a\u0000b',
  'sub_set_0/../../x',
  'ümlaut-ß-中文-🙂',
  '\ud800',
  '‮evil',
  'CON',
  '',
  ' ',
  '.'.repeat(300),
];
const NUMBERS = [1e308, -1e308, 2 ** 53 + 2, -0, 0.5, 10, -1, 1e-320, 2 ** 53, 123456789012];

function randomValue(depth = 0): unknown {
  switch (int(depth > 3 ? 4 : 7)) {
    case 0:
      return pick(NUMBERS);
    case 1:
      return pick(WEIRD);
    case 2:
      return pick([null, true, false]);
    case 3:
      return String.fromCodePoint(
        ...Array.from({ length: int(20) }, () => int(0x10ffff - 0xe000) + 0xe000),
      );
    case 4:
      return Array.from({ length: int(4) }, () => randomValue(depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: int(4) }, () => [pick(WEIRD), randomValue(depth + 1)]),
      );
  }
}

/** Bodies that are not a valid envelope: each must get a 4xx JSON error. */
function badEnvelope(i: number): string | Uint8Array {
  switch (i % 8) {
    case 0:
      return Uint8Array.from({ length: int(2000) }, () => int(256));
    case 1:
      return JSON.stringify(randomValue());
    case 2:
      return `${'['.repeat(1 + int(50_000))}${']'.repeat(int(3))}`;
    case 3:
      return `{"items":${'{"a":'.repeat(1 + int(5000))}1${'}'.repeat(int(5000))}}`;
    case 4:
      return JSON.stringify({ items: pick(['x', {}, null, 1e308, [], true, -1]) });
    case 5:
      return JSON.stringify({ items: Array.from({ length: 101 + int(50) }, () => ({})) });
    case 6:
      return JSON.stringify({ items: [makeItem()], [pick(WEIRD)]: randomValue() });
    default: {
      const good = JSON.stringify({ items: [makeItem()] });
      return good.slice(0, int(good.length - 1));
    }
  }
}

// Values each field can never take, so every mutated item must be rejected.
const INVALID: Record<string, () => unknown> = {
  id: () => (rand() < 0.5 ? pick(WEIRD) : randomValue()),
  pixels: () => (rand() < 0.5 ? pick(WEIRD) : randomValue()),
  label: () => pick([...WEIRD, 1e308, -1, 10, 0.5, 2 ** 53, null, '3']),
  predicted: () => pick([...WEIRD, 1e308, -1, 10, 0.5, [3]]),
  confidence: () => pick([...WEIRD, 1e308, -1, 1.5, '0.5', {}]),
  modelVersion: () => pick(['', '.'.repeat(300), 7, [], {}]),
  createdAt: () => pick([...WEIRD, 1764158400000, '2026-13-01T00:00:00Z', '1969-01-01T00:00:00Z']),
};

/** Envelopes whose every item is malformed: a 200 that rejects them all, storing nothing. */
function badItems(): unknown {
  const item: Record<string, unknown> = { ...makeItem() };
  const field = pick(Object.keys(INVALID));
  item[field] = INVALID[field]!();
  if (rand() < 0.3) item[`x${pick(WEIRD)}`] = randomValue();
  return { items: [item, randomValue(), pick(WEIRD)] };
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

let dirs: ReturnType<typeof tempDirs>;
let t: TestApp;
beforeAll(async () => {
  dirs = tempDirs();
  t = await makeApp(dirs);
});
afterAll(async () => {
  await t.close();
  dirs.cleanup();
});

describe('fuzz: 1,200 malformed bodies', () => {
  it('answers every one with a 4xx JSON error or a 200 rejecting every item; stores nothing', async () => {
    const before = listFiles(dirs.root).filter((f) => !f.startsWith('new_data'));
    const send = (body: string | Uint8Array) =>
      t.app.request('/api/feedback', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    for (let i = 0; i < 800; i++) {
      const body = badEnvelope(i);
      const res = await send(body);
      const text = await res.text();
      const why = `case ${i % 8}: ${String(body).slice(0, 80)} -> ${res.status} ${text.slice(0, 200)}`;
      expect(res.status >= 400 && res.status < 500, why).toBe(true);
      expect(errorBodySchema.safeParse(JSON.parse(text)).success, why).toBe(true);
    }
    for (let i = 0; i < 400; i++) {
      const body = JSON.stringify(badItems());
      const res = await send(body);
      const json = await res.json();
      expect(res.status, body.slice(0, 200)).toBe(200);
      const parsed = feedbackResponseSchema.parse(json);
      expect([parsed.accepted, parsed.rejected.length], body.slice(0, 200)).toEqual([0, 3]);
    }
    const after = listFiles(dirs.root);
    expect(after.filter((f) => !f.startsWith('new_data'))).toEqual(before);
    expect(after.filter((f) => f.startsWith('new_data'))).toEqual([join('new_data', 'count.json')]);
    expect(JSON.parse(readFileSync(join(dirs.data, 'count.json'), 'utf8'))).toEqual({
      current_count: 0,
      sub_set_count: 0,
    });
    expect(relative(dirs.root, dirs.data)).toBe('new_data');
  }, 120_000);
});
