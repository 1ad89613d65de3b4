// Finds references that point nowhere: relative Markdown links, files named in comments or docs
// (a Markdown file's name, a repo path like `sync-server/src/app.ts`), and documents that live
// outside the repository (the shared design and style notes, the issue tracker's text), which a
// clone does not have.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';

/** What builds and runs write, ignored by git: a clone has none of it until then. */
const BUILT_DIRS = new Set([
  'node_modules',
  'dist',
  'dev-dist',
  'test-results',
  'playwright-report',
]);
const SKIP_DIRS = new Set([...BUILT_DIRS, '.git', 'fixtures']);
/** Data folders at the repository root (the `models/` of the server's source is code). */
const SKIP_AT_ROOT = new Set(['models', 'new_data']);
/** This checker and its test spell out the very patterns they look for. */
const SELF = ['sync-server/scripts/docs/references.ts', 'sync-server/test/docs/references.test.ts'];
const CODE = new Set(['.ts', '.mts', '.js', '.mjs', '.vue']);
const YAML = new Set(['.yml', '.yaml']);

/** A path with a folder and a file extension, not inside a longer path or a URL. */
const PATH =
  /(?<![\w./:@-])(?:\.{1,2}\/)*[\w.-]+(?:\/[\w.-]+)+\.(?:ts|md|json|ya?ml|mjs|js|vue|html)\b/g;
/** A Markdown file named on its own, as in "see DESIGN.md". */
const MD_NAME = /(?<![\w./-])[\w-]+\.md\b/g;
/** `[text](target)` with a relative target. */
const MD_LINK = /\]\((?!https?:|mailto:|#)([^)\s]+)\)/g;
/** Documents that only ever existed outside this repository. */
const OUTSIDE = /\b(?:DESIGN|COMMON|STYLE)(?:\.md| rule \d+)|\bthe issue\b/gi;

const OUTSIDE_NAME = /^(?:DESIGN|COMMON|STYLE)\.md$/;

/** `sub_set_N/metadata.json`, `X.md`: a pattern for many files, not the name of one. */
function isPlaceholder(path: string): boolean {
  return path.split('/').some((segment) => /(?:^|_)[A-Z]$/.test(segment.replace(/\.\w+$/, '')));
}

/**
 * `dist/server.mjs`: a file a build writes. Whether it exists depends on what ran before (a
 * check on a fresh clone would fail, and pass once a test had started the server), so it is
 * not checked.
 */
function isBuilt(path: string): boolean {
  return path.split('/').some((segment) => BUILT_DIRS.has(segment));
}

export interface DeadReference {
  file: string;
  line: number;
  reference: string;
}

/** The parts of a file that are prose: comments in code and YAML, everything in Markdown. */
export function proseOf(file: string, text: string): string {
  const ext = extname(file);
  if (ext === '.md') return text;
  // Blank out everything that is not a comment, keeping newlines so line numbers stay right.
  const pattern = CODE.has(ext)
    ? /\/\*[\s\S]*?\*\/|\/\/[^\n]*/g
    : YAML.has(ext)
      ? /#[^\n]*/g
      : null;
  if (!pattern) return '';
  let out = '';
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    out += text.slice(last, m.index).replace(/[^\n]/g, ' ') + m[0];
    last = m.index + m[0].length;
  }
  return out + text.slice(last).replace(/[^\n]/g, ' ');
}

/** The workspace folder a repo-relative file belongs to, or the repo root. */
function workspaceOf(repo: string, file: string): string {
  const first = relative(repo, file).split(sep)[0] ?? '';
  return ['sync-server', 'trainer', 'web'].includes(first) ? join(repo, first) : repo;
}

function resolves(repo: string, file: string, target: string): boolean {
  const clean = target.replace(/[#?].*$/, '');
  return [dirname(file), workspaceOf(repo, file), repo].some((base) =>
    existsSync(join(base, clean)),
  );
}

/** Every dead reference in `text` (the contents of `file`, an absolute path under `repo`). */
export function deadReferencesIn(repo: string, file: string, text: string): DeadReference[] {
  const prose = proseOf(file, text);
  const found: DeadReference[] = [];
  const add = (index: number, reference: string) =>
    found.push({
      file: relative(repo, file),
      line: prose.slice(0, index).split('\n').length,
      reference,
    });
  for (const m of prose.matchAll(OUTSIDE)) add(m.index, m[0]);
  const links = extname(file) === '.md' ? [...prose.matchAll(MD_LINK)] : [];
  for (const m of links) {
    const target = m[1]!;
    if (!existsSync(join(dirname(file), target.replace(/[#?].*$/, '')))) add(m.index, target);
  }
  // A link's target is checked above, relative to the Markdown file only.
  const rest = prose.replace(MD_LINK, (link) => link.replace(/[^\n]/g, ' '));
  for (const m of [...rest.matchAll(PATH), ...rest.matchAll(MD_NAME)]) {
    if (OUTSIDE_NAME.test(m[0]) || isPlaceholder(m[0]) || isBuilt(m[0])) continue;
    if (!resolves(repo, file, m[0])) add(m.index, m[0]);
  }
  return found;
}

function* walk(dir: string, root = true): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const skip = SKIP_DIRS.has(entry.name) || (root && SKIP_AT_ROOT.has(entry.name));
    if (entry.isDirectory() && !skip) yield* walk(join(dir, entry.name), false);
    else if (entry.isFile()) yield join(dir, entry.name);
  }
}

export function deadReferences(repo: string): DeadReference[] {
  return [...walk(repo)]
    .filter((f) => CODE.has(extname(f)) || YAML.has(extname(f)) || extname(f) === '.md')
    .filter((f) => !SELF.includes(relative(repo, f).split(sep).join('/')))
    .flatMap((f) => deadReferencesIn(repo, f, readFileSync(f, 'utf8')));
}
