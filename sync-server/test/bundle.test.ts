import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureBundle } from '../scripts/bundle.mjs';

// `npm start` builds the server bundle only when its sources changed (scripts/bundle.mjs).
describe('ensureBundle', () => {
  let root = '';
  let paths = { root: '', entry: '', outfile: '', also: [] as string[] };
  const write = (file: string, text: string) => writeFileSync(join(root, file), text);
  const bundled = () => readFileSync(paths.outfile, 'utf8');

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'bundle-'));
    mkdirSync(join(root, 'src'));
    write('src/main.ts', "import { word } from './word';\nconsole.log(word);\n");
    write('src/word.ts', "export const word: string = 'one';\n");
    write('tsconfig.json', '{}\n');
    paths = {
      root,
      entry: join(root, 'src/main.ts'),
      outfile: join(root, 'dist/server.mjs'),
      also: [join(root, 'tsconfig.json')],
    };
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('builds once, then reuses the bundle while its sources are unchanged', () => {
    expect(ensureBundle(paths)).toBe('built');
    expect(bundled()).toContain('"one"');
    expect(ensureBundle(paths)).toBe('reused');
  });

  it('builds again when an input, an extra file or the set of inputs changes', () => {
    ensureBundle(paths);
    write('src/word.ts', "export const word: string = 'two';\n");
    expect(ensureBundle(paths)).toBe('built');
    expect(bundled()).toContain('"two"');

    write('tsconfig.json', '{ "compilerOptions": {} }\n');
    expect(ensureBundle(paths)).toBe('built');
    write('package.json', '{}\n');
    paths.also.push(join(root, 'package.json'));
    expect(ensureBundle(paths)).toBe('built');
    expect(ensureBundle(paths)).toBe('reused');

    // A new module imported by an edited one, then an input deleted.
    write('src/other.ts', "export const other = 'three';\n");
    write('src/main.ts', "import { other } from './other';\nconsole.log(other);\n");
    expect(ensureBundle(paths)).toBe('built');
    expect(bundled()).toContain('"three"');
    unlinkSync(join(root, 'src/word.ts'));
    expect(ensureBundle(paths)).toBe('reused');
    unlinkSync(join(root, 'src/other.ts'));
    write('src/main.ts', "console.log('four');\n");
    expect(ensureBundle(paths)).toBe('built');
    expect(bundled()).not.toContain('"three"');
  });

  it('never trusts a bundle without a stamp, with a broken one, or from another build', () => {
    mkdirSync(join(root, 'dist'));
    writeFileSync(paths.outfile, 'console.log("hand-written");\n');
    expect(ensureBundle(paths)).toBe('built');

    const good = bundled();
    writeFileSync(paths.outfile, good.replace('// built from: {', '// built from: {{'));
    expect(ensureBundle(paths)).toBe('built');

    // A bundle built from other sources than today's.
    write('src/word.ts', "export const word: string = 'five';\n");
    writeFileSync(paths.outfile, good);
    expect(ensureBundle(paths)).toBe('built');
    expect(bundled()).toContain('"five"');
  });
});
