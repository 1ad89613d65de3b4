import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  chromium,
  expect,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from '@playwright/test';
import { PNG } from 'pngjs';
import { writeAs } from 'sync-server/writers';
import { loadMnistTest } from '../bench/personal/mnist-test';
import type { Hand } from '../src/memory/hand';
import { MEMORY_DB_NAME } from '../src/memory/memory-db';
import { PERSONAL_READY_MARK } from '../src/predict/marks';
import {
  encodePixels,
  manifestSchema,
  PIXEL_COUNT,
  metadataFileSchema,
  modelUrl,
  type FeedbackItem,
  type MetadataEntry,
} from 'sync-server/contract';

const CHROMIUM_ARGS = [
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-swiftshader',
];

const profiles = new WeakMap<BrowserContext, string>();

/**
 * A real browser profile (not incognito), so installability and the SW behave as for users.
 * `device` sets the viewport, touch and mobile emulation (a phone, say).
 */
export async function launchProfile(
  device: Pick<BrowserContextOptions, 'viewport' | 'hasTouch' | 'isMobile'> = {},
): Promise<BrowserContext> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digit-e2e-profile-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    ...device,
  });
  profiles.set(context, dir);
  return context;
}

/**
 * Closes a context from `launchProfile` and deletes its profile (10-20 MB). Chromium may still
 * be writing as it exits, so the removal retries.
 */
export async function closeProfile(context: BrowserContext): Promise<void> {
  await context.close();
  const dir = profiles.get(context);
  if (dir)
    await fs.promises.rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
}

/** Strokes in pad fractions; the 7 is a bar and a slanted stem, as people write it. */
const SEVEN: [number, number][] = [
  [0.25, 0.2],
  [0.45, 0.2],
  [0.75, 0.2],
  [0.65, 0.45],
  [0.55, 0.65],
  [0.45, 0.85],
];

export async function drawSeven(page: Page): Promise<void> {
  const pad = page.getByTestId('pad');
  await pad.scrollIntoViewIfNeeded();
  const box = (await pad.boundingBox())!;
  const at = ([x, y]: [number, number]) => [box.x + box.width * x, box.y + box.height * y] as const;
  await page.mouse.move(...at(SEVEN[0]!));
  await page.mouse.down();
  for (const p of SEVEN.slice(1)) await page.mouse.move(...at(p), { steps: 8 });
  await page.mouse.up();
}

/** The predicted digit once it is shown. */
export async function predictedDigit(page: Page): Promise<string> {
  const digit = page.getByTestId('predict-digit');
  await expect(digit).toHaveText(/^\d$/, { timeout: 30_000 });
  return (await digit.textContent())!.trim();
}

/**
 * `count` MNIST test digits written in one strong style (sync-server/writers), with their true
 * labels: a user's answers that the app fits a hand to (web/src/memory/hand.ts).
 */
export function styledAnswers(count: number): { pixels: number[]; label: number }[] {
  const mnist = loadMnistTest();
  const style = { rotationDeg: -20, slant: -0.4, aspect: 0.6, stroke: 2 };
  return Array.from({ length: count }, (_, i) => ({
    pixels: Array.from(
      writeAs(mnist.images.subarray(i * PIXEL_COUNT, (i + 1) * PIXEL_COUNT), style),
    ),
    label: mnist.labels[i]!,
  }));
}

/**
 * Writes `answers` straight into the personal memory's IndexedDB, as that many answers would,
 * reloads, and resolves with the hand the app fitted once the memory is ready (the
 * `PERSONAL_READY_MARK`'s detail).
 */
export async function rememberAnswers(
  page: Page,
  answers: { pixels: number[]; label: number }[],
): Promise<Hand> {
  await page.evaluate(
    async ({ name, entries }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const tx = db.transaction('answers', 'readwrite');
      for (const { pixels, label } of entries) {
        tx.objectStore('answers').add({
          pixels: Uint8Array.from(pixels),
          label,
          createdAt: Date.now(),
        });
      }
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    },
    { name: MEMORY_DB_NAME, entries: answers },
  );
  await page.reload();
  await modelReady(page);
  await page.waitForFunction(
    (mark) => performance.getEntriesByName(mark).length > 0,
    PERSONAL_READY_MARK,
    { timeout: 120_000 },
  );
  return page.evaluate(
    (mark) => (performance.getEntriesByName(mark)[0] as PerformanceMark).detail as Hand,
    PERSONAL_READY_MARK,
  );
}

/** The live version's id once the model is loaded (the label shows it in words). */
export async function modelReady(page: Page): Promise<string> {
  const version = page.getByTestId('model-version');
  await expect(version).toHaveAttribute('data-version', /\S/, { timeout: 60_000 });
  return (await version.getAttribute('data-version'))!;
}

export async function pending(page: Page): Promise<number> {
  return Number((await page.getByTestId('pending-count').textContent())?.trim());
}

/** Every metadata entry stored under new_data/, with the PNG count, read from disk. */
export function stored(dataDir: string): { pngs: number; entries: MetadataEntry[] } {
  let pngs = 0;
  const entries: MetadataEntry[] = [];
  for (const name of fs.readdirSync(dataDir)) {
    if (!/^sub_set_\d+$/.test(name)) continue;
    const dir = path.join(dataDir, name);
    pngs += fs.readdirSync(dir).filter((f) => f.endsWith('.png')).length;
    const meta = path.join(dir, 'metadata.json');
    if (fs.existsSync(meta)) {
      entries.push(...metadataFileSchema.parse(JSON.parse(fs.readFileSync(meta, 'utf8'))));
    }
  }
  return { pngs, entries };
}

/**
 * Waits until `count` answers are committed and returns their entries. The server writes each
 * PNG before the metadata.json that commits it, so polling PNGs alone can see a file whose
 * entry is not there yet.
 */
export async function committed(
  dataDir: string,
  count: number,
  timeout = 30_000,
): Promise<MetadataEntry[]> {
  await expect
    .poll(
      () => {
        const { pngs, entries } = stored(dataDir);
        return [pngs, entries.length];
      },
      { timeout },
    )
    .toEqual([count, count]);
  return stored(dataDir).entries;
}

/** A photo-like PNG of a 7: dark ink on slightly grey paper, opaque, not square. */
export function sevenPhoto(): Buffer {
  const w = 180;
  const h = 240;
  const png = new PNG({ width: w, height: h });
  const segments = [
    [40, 50, 140, 50],
    [140, 50, 80, 200],
  ];
  const near = (x: number, y: number) =>
    segments.some(([x0, y0, x1, y1]) => {
      const dx = x1! - x0!;
      const dy = y1! - y0!;
      const t = Math.max(0, Math.min(1, ((x - x0!) * dx + (y - y0!) * dy) / (dx * dx + dy * dy)));
      return Math.hypot(x - (x0! + t * dx), y - (y0! + t * dy)) < 10;
    });
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = near(x, y) ? 35 : 215;
      png.data.set([v, v, v - 5, 255], (y * w + x) * 4);
    }
  }
  return PNG.sync.write(png);
}

/**
 * Sends `n` answers straight to the API, as another device would (a drawn 1, confirmed, by
 * default; `overrides` changes every item) and returns their ids.
 */
export async function postAnswers(
  baseUrl: string,
  n: number,
  overrides: Partial<FeedbackItem> = {},
): Promise<string[]> {
  const pixels = new Uint8Array(784);
  for (let y = 5; y < 23; y++) pixels.fill(255, y * 28 + 12, y * 28 + 15);
  const items: FeedbackItem[] = Array.from({ length: n }, () => ({
    id: crypto.randomUUID(),
    pixels: encodePixels(pixels),
    label: 1,
    predicted: 1,
    confidence: 0.9,
    modelVersion: null,
    createdAt: new Date().toISOString(),
    ...overrides,
  }));
  const res = await fetch(`${baseUrl}/api/feedback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ items }),
  });
  if (!res.ok) throw new Error(`feedback: HTTP ${res.status} ${await res.text()}`);
  return items.map((i) => i.id);
}

/**
 * A `prepareModels` step: publishes a copy of the live model as a retrained child of it, as a
 * retrain would, so a test sees two versions and a published attempt without training.
 */
export function addRetrainedVersion(modelsDir: string): string {
  const file = path.join(modelsDir, 'manifest.json');
  const manifest = manifestSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  const parent = manifest.versions.find((v) => v.version === manifest.current)!;
  const version = '2099-01-01T00-00-00-000Z';
  const at = '2099-01-01T00:00:00.000Z';
  fs.cpSync(path.join(modelsDir, parent.version), path.join(modelsDir, version), {
    recursive: true,
  });
  const trainedOn = { subsets: [0], samples: 4 };
  const metrics = { mnistTestAccuracy: parent.metrics.mnistTestAccuracy };
  const next = manifestSchema.parse({
    ...manifest,
    current: version,
    versions: [
      ...manifest.versions,
      {
        ...parent,
        version,
        modelUrl: modelUrl(version),
        createdAt: at,
        parent: parent.version,
        trainedOn,
        metrics,
      },
    ],
    history: [
      ...manifest.history,
      {
        startedAt: at,
        finishedAt: at,
        outcome: 'published',
        version,
        parent: parent.version,
        reason: 'e2e',
        metrics,
        trainedOn,
      },
    ],
  });
  fs.writeFileSync(file, JSON.stringify(next, null, 2));
  return version;
}
