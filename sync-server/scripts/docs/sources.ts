// Reads the committed results files (and the live manifest) the README figures come from.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { manifestSchema, type Manifest } from '../../src/contract';
import {
  lighthouseRunSchema,
  personalRunSchema,
  poisonRunSchema,
  replayRunSchema,
  resultsFileSchema,
  retrainScaleRunSchema,
  retrainWallTimeRunSchema,
  serverStartupRunSchema,
  syncServerRunSchema,
  trainingSpeedRunSchema,
  webRunSchema,
} from './results';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/** Where each bench writes its results, relative to the repository root. */
export const RESULT_FILES = {
  syncServer: 'sync-server/bench/results.json',
  serverStartup: 'sync-server/bench/startup.json',
  trainingSpeed: 'trainer/bench/training-speed.json',
  retrainWallTime: 'trainer/bench/retrain-wall-time.json',
  retrainScale: 'trainer/bench/retrain-scale.json',
  replay: 'trainer/bench/replay.json',
  poison: 'trainer/bench/poison.json',
  web: 'web/bench/results.json',
  personal: 'web/bench/personal.json',
  lighthouse: 'web/bench/lighthouse.json',
} as const;

export interface Sources {
  syncServer: z.infer<typeof syncServerRunSchema>[];
  serverStartup: z.infer<typeof serverStartupRunSchema>[];
  trainingSpeed: z.infer<typeof trainingSpeedRunSchema>[];
  retrainWallTime: z.infer<typeof retrainWallTimeRunSchema>[];
  retrainScale: z.infer<typeof retrainScaleRunSchema>[];
  replay: z.infer<typeof replayRunSchema>[];
  poison: z.infer<typeof poisonRunSchema>[];
  web: z.infer<typeof webRunSchema>[];
  personal: z.infer<typeof personalRunSchema>[];
  lighthouse: z.infer<typeof lighthouseRunSchema>[];
  /** The committed `models/manifest.json`: the base model's own figures live there. */
  manifest: Manifest;
}

function runs<T extends z.ZodType>(file: string, schema: T): z.infer<T>[] {
  const path = join(REPO, file);
  const parsed = resultsFileSchema(schema).safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.message}`);
  return parsed.data.runs as z.infer<T>[];
}

export function readSources(): Sources {
  return {
    syncServer: runs(RESULT_FILES.syncServer, syncServerRunSchema),
    serverStartup: runs(RESULT_FILES.serverStartup, serverStartupRunSchema),
    trainingSpeed: runs(RESULT_FILES.trainingSpeed, trainingSpeedRunSchema),
    retrainWallTime: runs(RESULT_FILES.retrainWallTime, retrainWallTimeRunSchema),
    retrainScale: runs(RESULT_FILES.retrainScale, retrainScaleRunSchema),
    replay: runs(RESULT_FILES.replay, replayRunSchema),
    poison: runs(RESULT_FILES.poison, poisonRunSchema),
    web: runs(RESULT_FILES.web, webRunSchema),
    personal: runs(RESULT_FILES.personal, personalRunSchema),
    lighthouse: runs(RESULT_FILES.lighthouse, lighthouseRunSchema),
    manifest: manifestSchema.parse(
      JSON.parse(readFileSync(join(REPO, 'models/manifest.json'), 'utf8')),
    ),
  };
}
