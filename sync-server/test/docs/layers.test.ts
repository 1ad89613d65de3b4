import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The layers of the code, as the READMEs describe them: the contract is pure (the browser
// imports it), the registry is the on-disk protocol under both processes and knows nothing of
// HTTP or the store, and the browser never reaches Node-only code.
const REPO = join(import.meta.dirname, '..', '..', '..');

interface Rule {
  /** Source files this rule applies to, by folder from the repo root. */
  from: string;
  /** Import specifiers (relative ones resolved to repo paths) that must never appear. */
  never: RegExp;
  why: string;
}

const RULES: Rule[] = [
  {
    from: 'sync-server/src/contract',
    never: /^node:|^sync-server\/src\/(?!contract(\/|$))|^trainer\/|^web\//,
    why: 'the contract is pure data and functions: no Node, no server, no registry',
  },
  {
    from: 'sync-server/src/registry',
    never: /^sync-server\/src\/(?!registry(\/|$)|contract(\/|$)|log$)|^trainer\/|^web\//,
    why: 'the registry is the shared on-disk protocol: no HTTP, store or driver code',
  },
  {
    from: 'web/src',
    never: /^sync-server\/registry|^sync-server\/src\/(?!contract(\/|$)|app-type$)|^trainer\//,
    why: 'the browser imports the contract and the API type only',
  },
  {
    from: 'trainer/src',
    never: /^sync-server\/src\/|^web\//,
    why: 'the trainer uses the server package through its entries only',
  },
  {
    from: 'sync-server/src',
    never: /^trainer\/|^web\//,
    why: 'the server runs the trainer as a process, never imports it',
  },
];

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function sources(dir: string): string[] {
  return readdirSync(join(REPO, dir), { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && /\.(ts|vue)$/.test(d.name) && !/\.test\.ts$/.test(d.name))
    .map((d) => relative(REPO, join(d.parentPath, d.name)));
}

/** Each import of `file`, relative ones as repo paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(REPO, file), 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => {
    const spec = (m[1] ?? m[2])!;
    return spec.startsWith('.') ? relative(REPO, join(REPO, file, '..', spec)) : spec;
  });
}

describe('layers', () => {
  for (const rule of RULES) {
    it(`${rule.from}: ${rule.why}`, () => {
      const broken = sources(rule.from).flatMap((file) =>
        importsOf(file)
          .filter((spec) => rule.never.test(spec))
          .map((spec) => `${file} imports ${spec}`),
      );
      expect(broken).toEqual([]);
    });
  }

  it('sees the imports it checks (a rule over no imports proves nothing)', () => {
    expect(importsOf('sync-server/src/registry/index.ts').length).toBeGreaterThan(0);
    expect(importsOf('web/src/api/api-client.ts')).toContain('sync-server/app-type');
  });
});
