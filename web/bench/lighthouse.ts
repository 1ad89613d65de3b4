// `npm run bench:lighthouse -w web`: Lighthouse (mobile and desktop) against the built app on the
// real server, on temp copies of models/ and new_data/, in Debian's chromium. A bench, not a
// test: it records the scores (median of a few runs) in bench/lighthouse.json, asserts nothing.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { launch } from 'chrome-launcher';
import lighthouse, { type Flags, type RunnerResult } from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { recordRun, watchMachine, type LighthouseRun } from 'sync-server/bench-results';
import { REPO, startServer } from '../e2e/server';

const RUNS = Number(process.env.LIGHTHOUSE_RUNS ?? 3);
// Set to keep each run's full report (JSON) for a closer look.
const REPORT_DIR = process.env.LIGHTHOUSE_REPORT_DIR;
// Set to `mobile` or `desktop` to try a change on one form factor only.
const ONLY = process.env.LIGHTHOUSE_FORM_FACTOR;
const CHROMIUM = '/usr/bin/chromium';
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
const FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--no-first-run',
  '--disable-quic',
  '--enable-unsafe-swiftshader',
];
type FormFactor = LighthouseRun['formFactors'][number];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2 : Number.NaN;
};

// Each run on a fresh profile (chrome-launcher makes a temp one): a first visit, as people make it.
async function once(url: string, formFactor: 'mobile' | 'desktop'): Promise<RunnerResult> {
  const chrome = await launch({ chromePath: CHROMIUM, chromeFlags: FLAGS });
  try {
    const flags: Flags = {
      port: chrome.port,
      output: 'json',
      onlyCategories: CATEGORIES,
      logLevel: 'error',
    };
    const result = await lighthouse(
      url,
      flags,
      formFactor === 'desktop' ? desktopConfig : undefined,
    );
    if (!result) throw new Error('lighthouse returned nothing');
    if (result.lhr.runtimeError) throw new Error(result.lhr.runtimeError.message);
    if (REPORT_DIR) {
      fs.mkdirSync(REPORT_DIR, { recursive: true });
      const name = `${formFactor}-${Date.now()}.json`;
      fs.writeFileSync(path.join(REPORT_DIR, name), JSON.stringify(result.lhr));
    }
    return result;
  } finally {
    chrome.kill();
  }
}

function summary(formFactor: 'mobile' | 'desktop', results: RunnerResult[]): FormFactor {
  const score = (id: string) =>
    median(results.map((r) => Math.round((r.lhr.categories[id]?.score ?? Number.NaN) * 100)));
  const audit = (id: string) =>
    median(results.map((r) => r.lhr.audits[id]?.numericValue ?? Number.NaN));
  return {
    formFactor,
    runs: results.length,
    performance: score('performance'),
    accessibility: score('accessibility'),
    bestPractices: score('best-practices'),
    seo: score('seo'),
    fcpMs: Math.round(audit('first-contentful-paint')),
    lcpMs: Math.round(audit('largest-contentful-paint')),
    tbtMs: Math.round(audit('total-blocking-time')),
    cls: Math.round(audit('cumulative-layout-shift') * 1000) / 1000,
    transferKB: Math.round(audit('total-byte-weight') / 1024),
  };
}

async function main(): Promise<void> {
  const browser = spawnSync(CHROMIUM, ['--version']).stdout?.toString().trim() ?? '?';
  const machine = watchMachine(browser);
  const build = spawnSync('npm', ['run', '--silent', 'build:if-needed', '-w', 'web'], {
    cwd: REPO,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0) throw new Error('web build failed');
  const server = await startServer({ env: { RETRAIN_DRIVER: 'none' } });
  const formFactors: FormFactor[] = [];
  let version = '?';
  try {
    for (const formFactor of ['mobile', 'desktop'] as const) {
      if (ONLY && ONLY !== formFactor) continue;
      const results: RunnerResult[] = [];
      for (let i = 0; i < RUNS; i++) results.push(await once(`${server.baseUrl}/`, formFactor));
      version = results[0]?.lhr.lighthouseVersion ?? version;
      const s = summary(formFactor, results);
      formFactors.push(s);
      process.stdout.write(
        `${formFactor}: performance ${s.performance}, accessibility ${s.accessibility}, best practices ${s.bestPractices}, SEO ${s.seo}; FCP ${s.fcpMs} ms, LCP ${s.lcpMs} ms, TBT ${s.tbtMs} ms, CLS ${s.cls}, ${s.transferKB} KB (median of ${s.runs})\n`,
      );
    }
  } finally {
    await server.stop();
  }
  const run: LighthouseRun = {
    date: new Date().toISOString(),
    machine: machine.done(),
    lighthouse: version,
    formFactors,
  };
  const results = path.join(REPO, 'web', 'bench', 'lighthouse.json');
  recordRun(results, run);
  process.stdout.write(`written to ${results}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `lighthouse bench failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
