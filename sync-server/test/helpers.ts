import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type AppDeps } from '../src/app';
import { encodePixels, modelUrl, type FeedbackItem, type Manifest } from '../src/contract';
import { createLogger, silentLogger, type Logger } from '../src/log';
import { Metrics } from '../src/metrics';
import { ManifestStore } from '../src/models/manifest-store';
import { loadTf, saveModelFiles } from '../src/registry';
import { createNoneDriver, type RetrainDriver } from '../src/retrain/driver';
import { FeedbackStore } from '../src/storage/feedback-store';
import { ReviewBook } from '../src/storage/review-book';
import { fileReviewDesk } from '../src/storage/review-desk';
import { fileInsights } from '../src/stats/insights';
import { IngestScreen, type ScreenOptions } from '../src/storage/screen';
import { nodeStoreFs, type StoreFs } from '../src/storage/store-fs';

export const V1 = '2026-11-26T12-00-00-000Z';
export const V2 = '2026-11-26T13-00-00-000Z';
export const CANARY = 'CANARY-outside-models';

/** A temp root with `new_data/`, `models/` (throwaway model versions) and a canary file. */
export function tempDirs(versions: string[] = [V1, V2]): {
  root: string;
  data: string;
  models: string;
  cleanup: () => void;
} {
  const root = mkdtempSync(join(tmpdir(), 'sync-server-test-'));
  const data = join(root, 'new_data');
  const models = join(root, 'models');
  mkdirSync(data);
  mkdirSync(models);
  writeFileSync(join(root, 'canary.txt'), CANARY);
  if (versions.length > 0) writeManifest(models, versions, versions[0]!);
  return { root, data, models, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** A throwaway manifest naming `versions` (each with a tiny model.json and shard). */
export function writeManifest(models: string, versions: string[], current: string): Manifest {
  for (const v of versions) {
    mkdirSync(join(models, v), { recursive: true });
    writeFileSync(join(models, v, 'model.json'), JSON.stringify({ fake: v }));
    writeFileSync(join(models, v, 'group1-shard1of1.bin'), Buffer.alloc(16, 1));
  }
  const manifest: Manifest = {
    schemaVersion: 1,
    current,
    versions: versions.map((version) => ({
      version,
      modelUrl: modelUrl(version),
      createdAt: '2026-11-26T12:00:00.000Z',
      parent: null,
      trainedOn: { subsets: [], samples: 0 },
      metrics: { mnistTestAccuracy: 0.9 },
      bytes: 16,
    })),
    history: [],
  };
  writeFileSync(join(models, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return manifest;
}

/**
 * Replaces the throwaway files of `models/<version>/` with a real tiny layers model (the
 * contract's `[n,28,28,1]` → `[n,10]` softmax), so a rollback's load check passes.
 */
export async function writeTinyModel(models: string, version: string): Promise<void> {
  const tf = await loadTf();
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28, 1] }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  rmSync(join(models, version), { recursive: true, force: true });
  mkdirSync(join(models, version), { recursive: true });
  await saveModelFiles(model, join(models, version));
  model.dispose();
}

/** A valid wire item; `fill` sets every pixel. */
export function makeItem(overrides: Partial<FeedbackItem> = {}, fill = 128): FeedbackItem {
  return {
    id: randomUUID(),
    pixels: encodePixels(new Uint8Array(784).fill(fill)),
    label: 3,
    predicted: 5,
    confidence: 0.7,
    modelVersion: V1,
    createdAt: new Date().toISOString(),
    ...overrides,
  };
}

export interface TestApp {
  app: ReturnType<typeof createApp>;
  store: FeedbackStore;
  review: ReviewBook;
  manifests: ManifestStore;
  metrics: Metrics;
  close: () => Promise<void>;
}

/** The real app on real folders, driven in memory (`app.request`). */
export async function makeApp(
  dirs: { data: string; models: string },
  options: Partial<Omit<AppDeps, 'store' | 'manifests' | 'metrics' | 'review' | 'insights'>> & {
    threshold?: number;
    /** Quotas and burst flags; none (every answer stored, unflagged by rate) by default. */
    screen?: Partial<ScreenOptions>;
    driver?: RetrainDriver;
    /** The store's file-system calls (`failingFs` makes the disk fail). */
    storeFs?: StoreFs;
  } = {},
): Promise<TestApp> {
  const driver = options.driver ?? createNoneDriver();
  let review: ReviewBook | null = null;
  const store = await FeedbackStore.open({
    dataDir: dirs.data,
    threshold: options.threshold ?? 10,
    log: options.log ?? silentLogger,
    onSealed: (i) => driver.onSealed(i),
    screen: new IngestScreen({ quotaPerDay: 0, burstPerHour: 1_000_000, ...options.screen }),
    onStored: (added) => review?.add(added),
    ...(options.storeFs ? { fs: options.storeFs } : {}),
  });
  review = await ReviewBook.open({
    dataDir: dirs.data,
    log: options.log ?? silentLogger,
    entries: store.storedEntries(),
  });
  const manifests = new ManifestStore({ modelsDir: dirs.models, log: silentLogger, pollMs: 50 });
  await manifests.start();
  const metrics = new Metrics();
  const app = createApp({
    log: silentLogger,
    webDist: join(dirs.models, 'no-web-build'),
    adminToken: null,
    rateLimitPerMin: 0,
    corsOrigins: [],
    ...options,
    driver,
    store,
    review: fileReviewDesk(review, dirs.data),
    insights: fileInsights(store, dirs.data),
    manifests,
    metrics,
    modelsDir: dirs.models,
  });
  return {
    app,
    store,
    review,
    manifests,
    metrics,
    close: async () => {
      await store.close();
      manifests.close();
    },
  };
}

/**
 * The store's file-system calls with a switch that makes writes fail like a full disk: the
 * file is created and part of it written, then the call throws an errno error (`ENOSPC`).
 * `after` lets that many writes succeed first, so a commit fails half-way.
 */
export function failingFs(): { fs: StoreFs; failWith(code: string | null, after?: number): void } {
  let code: string | null = null;
  let left = 0;
  const fs: StoreFs = {
    ...nodeStoreFs,
    writeFileSynced: async (path, data) => {
      if (code === null || left-- > 0) return nodeStoreFs.writeFileSynced(path, data);
      writeFileSync(path, typeof data === 'string' ? data.slice(0, 3) : data.subarray(0, 3));
      throw Object.assign(new Error(`${code}: no space left on device, write`), {
        code,
        syscall: 'write',
      });
    },
  };
  return {
    fs,
    failWith: (c, after = 0) => {
      code = c;
      left = after;
    },
  };
}

/** A logger that keeps its lines, parsed. */
export function capturingLogger(): { log: Logger; lines: () => LogLine[] } {
  const raw: string[] = [];
  const log = createLogger({ level: 'debug', write: (l) => raw.push(l) });
  return { log, lines: () => raw.map((l) => JSON.parse(l) as LogLine) };
}
type LogLine = { level: string; msg: string } & Record<string, unknown>;

/** POSTs a JSON (or raw string) body to /api/feedback in memory. */
export async function postFeedback(
  app: TestApp['app'],
  body: unknown,
  headers: Record<string, string> = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests assert fields one by one
): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await app.request('/api/feedback', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: parseOrText(text), headers: res.headers };
}

/** A response body as JSON, loosely typed: tests assert it field by field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function jsonOf(res: Response | Promise<Response>): Promise<any> {
  return (await res).json();
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
