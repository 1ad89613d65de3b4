// `npm run bench -w web [-- --models <dir>]`: measures the built app in Debian's chromium
// against the real server and prints the figures (no thresholds: the machine is shared).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { recordRun, watchMachine, type WebRun } from 'sync-server/bench-results';
import type { Page } from '@playwright/test';
import {
  closeProfile,
  drawSeven,
  launchProfile,
  modelReady,
  predictedDigit,
  rememberAnswers,
  styledAnswers,
} from '../e2e/helpers';
import { REPO, startServer } from '../e2e/server';
import { quantile, type BackendChoice } from '../src/predict/backend-choice';
import { PREDICT_MEASURE, READY_MARK } from '../src/predict/marks';
import { MEMORY_CAP } from '../src/memory/memory-db';
import { describeHand, isPlain, type Hand } from '../src/memory/hand';

const COLD_RUNS = 3;
const WARM_RUNS = 3;
const DRAWN_PREDICTIONS = 25;
// Drawn right after the first load: the app warms up and measures backends only once the user
// starts drawing, so these run while that goes on (printed, not recorded).
const FIRST_DIGITS = 5;
const DIST = path.join(REPO, 'web', 'dist');

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const ms = (v: number) => `${v.toFixed(2)} ms`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const median = (xs: number[]) => quantile(xs, 0.5);

interface Transfer {
  /** Body bytes received per JS path (compressed size when the server compresses). */
  js: Map<string, number>;
  modelBytes: number;
}

/** What the page fetched so far, from Resource Timing (fetches, scripts, wasm). */
async function transferred(page: Page): Promise<Transfer> {
  const entries = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map(
        (e) =>
          [new URL(e.name).pathname, (e as PerformanceResourceTiming).encodedBodySize] as const,
      ),
  );
  const t: Transfer = { js: new Map(), modelBytes: 0 };
  for (const [p, bytes] of entries) {
    if (p.endsWith('.js')) t.js.set(p, bytes);
    if (p.startsWith('/models/')) t.modelBytes += bytes;
  }
  return t;
}

const readyAt = (page: Page) =>
  page.evaluate((mark) => performance.getEntriesByName(mark)[0]?.startTime ?? NaN, READY_MARK);

async function coldRun(base: string) {
  const context = await launchProfile();
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(base);
  await modelReady(page);
  const ready = await readyAt(page);
  return { context, page, ready, transfer: await transferred(page) };
}

/** The backend measurement the app ran on first use (kept in its local storage). */
async function backendChoice(page: Page): Promise<BackendChoice> {
  await page.waitForFunction(() => localStorage.getItem('digit-loop:backend-choice'), null, {
    timeout: 120_000,
  });
  return page.evaluate(
    () => JSON.parse(localStorage.getItem('digit-loop:backend-choice')!) as BackendChoice,
  );
}

async function drawnPredictions(page: Page, count = DRAWN_PREDICTIONS): Promise<number[]> {
  await page.evaluate((name) => performance.clearMeasures(name), PREDICT_MEASURE);
  for (let i = 0; i < count; i++) {
    await drawSeven(page);
    await predictedDigit(page);
    await page.getByTestId('clear').click();
  }
  return page.evaluate(
    (name) => performance.getEntriesByName(name).map((e) => e.duration),
    PREDICT_MEASURE,
  );
}

/**
 * Fills the personal memory to its cap with a user's answers in one strong style (so the app
 * fits a hand and every prediction runs through it), reloads so the app fits the hand and embeds
 * them all, and times predictions again. Resolves with the timings and the hand the app fitted.
 */
async function fullMemoryPredictions(page: Page): Promise<{ ms: number[]; hand: Hand }> {
  const hand = await rememberAnswers(page, styledAnswers(MEMORY_CAP));
  // A reloaded page runs cold code at first; the first run above had the backend measurement
  // and three page loads before it, so this one gets a round of drawn digits before timing.
  await drawnPredictions(page);
  return { ms: await drawnPredictions(page), hand };
}

function gzipOf(paths: Iterable<string>): number {
  let total = 0;
  for (const p of paths) {
    const file = path.join(DIST, p);
    if (fs.existsSync(file)) total += gzipSync(fs.readFileSync(file)).length;
  }
  return total;
}

/** Everything one bench run measures, in the browser against a real server. */
interface Measured {
  browser: string;
  colds: number[];
  warms: number[];
  firstDigits: number[];
  choice: BackendChoice;
  auto: number[];
  personal: number[];
  hand: string;
  entry: string | undefined;
  transfer: Transfer;
}

async function main(): Promise<void> {
  const browser = spawnSync('/usr/bin/chromium', ['--version']).stdout?.toString().trim() ?? '?';
  const machine = watchMachine(browser);
  const build = spawnSync('npm', ['run', '--silent', 'build:if-needed', '-w', 'web'], {
    cwd: REPO,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0) throw new Error('web build failed');
  const models = arg('--models');
  const server = await startServer({
    ...(models ? { modelsFrom: path.resolve(models) } : {}),
    env: { RETRAIN_DRIVER: 'none' },
  });
  try {
    const m = await measure(server.baseUrl, browser);
    process.stdout.write(`${reportLines(m).join('\n')}\n`);
    const results = path.join(REPO, 'web', 'bench', 'results.json');
    recordRun(results, webRun(m, machine.done()));
    process.stdout.write(`written to ${results}; \`npm run docs\` updates the READMEs\n`);
  } finally {
    await server.stop();
  }
}

/**
 * Cold loads, then drawn digits on the first page (each backend, auto, with a full memory),
 * then warm offline reloads.
 */
async function measure(baseUrl: string, browser: string): Promise<Measured> {
  const colds: number[] = [];
  let first: Awaited<ReturnType<typeof coldRun>> | null = null;
  for (let i = 0; i < COLD_RUNS; i++) {
    const run = await coldRun(baseUrl);
    colds.push(run.ready);
    if (first) await closeProfile(run.context);
    else first = run;
  }
  const { context, page, transfer } = first!;
  const firstDigits = await drawnPredictions(page, FIRST_DIGITS);
  const choice = await backendChoice(page);
  const auto = await drawnPredictions(page);
  const full = await fullMemoryPredictions(page);
  if (isPlain(full.hand))
    throw new Error('the full memory got no hand: its p50 would not time one');
  const entry = /src="\/(assets\/index-[^"]+\.js)"/.exec(
    fs.readFileSync(path.join(DIST, 'index.html'), 'utf8'),
  )?.[1];
  const warms: number[] = [];
  await context.setOffline(true);
  for (let i = 0; i < WARM_RUNS; i++) {
    await page.reload();
    await modelReady(page);
    warms.push(await readyAt(page));
  }
  await closeProfile(context);
  const hand = describeHand(full.hand);
  return {
    browser,
    colds,
    warms,
    firstDigits,
    choice,
    auto,
    personal: full.ms,
    hand,
    entry,
    transfer,
  };
}

function reportLines(m: Measured): string[] {
  const { choice, auto, personal, colds, warms, transfer } = m;
  const load = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  return [
    `load average while measuring (1/5/15 min): ${load}`,
    `machine: ${os.cpus()[0]?.model ?? '?'} ×${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${process.platform} ${process.arch}, ${m.browser}`,
    ...choice.timings.map(
      (t) => `predict ${t.backend.padEnd(6)} p50 ${ms(t.p50)}  p95 ${ms(t.p95)}  (${t.runs} runs)`,
    ),
    ...Object.entries(choice.failures).map(([b, why]) => `predict ${b}: unavailable (${why})`),
    `first ${m.firstDigits.length} drawn digits after load: ${m.firstDigits.map(ms).join(', ')}`,
    `predict auto (${choice.backend}) p50 ${ms(quantile(auto, 0.5))}  p95 ${ms(quantile(auto, 0.95))}  (${auto.length} drawn digits)`,
    `predict with a full personal memory (${MEMORY_CAP}, hand ${m.hand}) p50 ${ms(quantile(personal, 0.5))}  p95 ${ms(quantile(personal, 0.95))}  (${personal.length} drawn digits)`,
    `first prediction ready, cold:         median ${ms(median(colds))}  (${colds.map((c) => c.toFixed(0)).join(', ')})`,
    `first prediction ready, warm offline: median ${ms(median(warms))}  (${warms.map((c) => c.toFixed(0)).join(', ')})`,
    `JS initial entry: ${kb(gzipOf(m.entry ? [m.entry] : []))} gzip`,
    `JS loaded to first prediction: ${kb(gzipOf(transfer.js.keys()))} gzip, ${kb(
      jsOnTheWire(transfer),
    )} on the wire (${transfer.js.size} files)`,
    `model bytes on the wire: ${kb(transfer.modelBytes)}`,
  ];
}

const jsOnTheWire = (transfer: Transfer) => [...transfer.js.values()].reduce((a, b) => a + b, 0);

function webRun(m: Measured, machine: WebRun['machine']): WebRun {
  const { choice, auto, personal, colds, warms, transfer } = m;
  return {
    date: new Date().toISOString(),
    machine,
    predict: choice.timings.map((t) => ({
      backend: t.backend,
      p50Ms: t.p50,
      p95Ms: t.p95,
      runs: t.runs,
    })),
    auto: {
      backend: choice.backend,
      p50Ms: quantile(auto, 0.5),
      p95Ms: quantile(auto, 0.95),
      digits: auto.length,
    },
    personal: {
      memory: MEMORY_CAP,
      hand: m.hand,
      p50Ms: quantile(personal, 0.5),
      p95Ms: quantile(personal, 0.95),
      digits: personal.length,
    },
    coldReadyMedianMs: median(colds),
    coldReadySlowestMs: Math.max(...colds),
    warmOfflineReadyMedianMs: median(warms),
    initialJsGzipKB: gzipOf(m.entry ? [m.entry] : []) / 1024,
    jsToFirstPredictionGzipKB: gzipOf(transfer.js.keys()) / 1024,
    jsToFirstPredictionRawKB: jsOnTheWire(transfer) / 1024,
    modelKB: transfer.modelBytes / 1024,
  };
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
