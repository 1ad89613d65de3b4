// What every benchmark writes to its committed results file, and the one writer they share.
// The README figures are rendered from these files (`npm run docs`), never typed by hand.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { z } from 'zod';

/**
 * One measured value: a number, a [low, high] range (figures transcribed from several runs that
 * were only reported as a range), or null when that run did not record it.
 */
export const figureSchema = z.union([z.number(), z.tuple([z.number(), z.number()])]).nullable();
export type Figure = z.infer<typeof figureSchema>;

export const machineSchema = z.object({
  cpus: z.number().int().positive(),
  cpuModel: z.string(),
  memGiB: z.number(),
  node: z.string(),
  /**
   * 1-minute load average, lowest and highest seen while measuring (the box is shared); null
   * when a transcribed run did not report it.
   */
  load: z.object({ min: z.number(), max: z.number() }).nullable(),
  browser: z.string().optional(),
});
export type Machine = z.infer<typeof machineSchema>;

const runBase = {
  /** ISO date (or date and time) of the run. */
  date: z.string().min(10),
  machine: machineSchema,
  /** Where the figures came from when not written by the bench itself. */
  source: z.string().optional(),
  /** Bench invocations this entry stands for (a transcribed range may span several). */
  invocations: z.number().int().positive().default(1),
};

export const syncServerRunSchema = z.object({
  ...runBase,
  secondsPerRun: z.number(),
  connections: z.number().int(),
  rows: z.array(
    z.object({
      /** `feedback`, `echo`, or the label of another case. */
      target: z.string(),
      batch: z.number().int(),
      itemsPerSec: figureSchema,
      reqPerSec: figureSchema,
      p50Ms: figureSchema,
      p99Ms: figureSchema,
      errors: figureSchema,
    }),
  ),
});

export const trainingSpeedRunSchema = z.object({
  ...runBase,
  parameters: z.number().int(),
  multiplyAdds: z.number().int(),
  cases: z.array(
    z.object({
      backend: z.string(),
      batchSize: z.number().int(),
      augment: z.boolean(),
      samplesPerSec: figureSchema,
    }),
  ),
});

export const retrainWallTimeRunSchema = z.object({
  ...runBase,
  backend: z.string(),
  live: z.string(),
  sizes: z.array(
    z.object({
      samples: z.number().int(),
      /**
       * Present for the subset of 10 from two writers (`10-writers`): the digits written in
       * the hands fitted to them. Absent: answers without a client id.
       */
      writerDigits: z.number().int().optional(),
      outcome: z.string(),
      wallMs: figureSchema,
    }),
  ),
  /** Peak RSS of the retrain process over all sizes, MiB. */
  peakRssMiB: figureSchema,
});

/**
 * `npm run bench -w trainer` (retrain-scale): one retrain with 1,000 and 100,000 stored answers,
 * and with 100,000 of which only the first 1,000 trained the live model (a backlog).
 */
export const retrainScaleRunSchema = z.object({
  ...runBase,
  backend: z.string(),
  live: z.string(),
  sizes: z.array(
    z.object({
      /** Answers stored in new_data/ (the newest subset is new to the live model). */
      stored: z.number().int(),
      /** Answers the live model has not trained on, when more than the newest subset's. */
      unpublished: z.number().int().optional(),
      /** Training answers that trained as new, and those `--max-new` left to the recall pool. */
      newSamples: figureSchema.optional(),
      deferredSamples: figureSchema.optional(),
      outcome: z.string(),
      wallMs: figureSchema,
      readMs: figureSchema,
      peakRssMiB: figureSchema,
      trainSamples: figureSchema,
      holdoutSamples: figureSchema,
    }),
  ),
  /** Largest over smallest steady-state case, for the wall time and the peak RSS. */
  wallRatio: figureSchema,
  rssRatio: figureSchema,
});

/** `npm run bench -w sync-server -- startup`: spawn → healthy /healthz, by answers stored. */
export const serverStartupRunSchema = z.object({
  ...runBase,
  cases: z.array(z.object({ stored: z.number().int(), healthyMs: figureSchema })),
});

const pairSchema = z.object({ before: figureSchema, after: figureSchema });

export const replayRunSchema = z.object({
  ...runBase,
  /** The flags that differ from the retrain defaults, or `default`. */
  variant: z.string(),
  feedback: z.number().int(),
  live: z.string(),
  backend: z.string(),
  sets: z.array(
    pairSchema.extend({
      name: z.string(),
      digits: z.number().int(),
      fixed: figureSchema,
      broken: figureSchema,
      z: figureSchema,
      /** `--set writers`: each writer's judged digits read right, before and after. */
      perWriter: z.array(pairSchema).optional(),
    }),
  ),
  rounds: z.array(
    z.object({
      samples: z.number().int(),
      outcome: z.string(),
      reason: z.string(),
      wallMs: figureSchema,
      mnistTest: pairSchema,
      holdout: pairSchema,
      holdoutSamples: figureSchema,
    }),
  ),
});

/** `npm run poison -w trainer`: a flood of 1s labelled 7, honest answers, then a ratchet. */
export const poisonRunSchema = z.object({
  ...runBase,
  live: z.string(),
  backend: z.string(),
  /** MNIST test digits the gate and these figures measure (10,000: all of them). */
  testDigits: z.number().int(),
  /** The flags that differ from the script's defaults, or `default`. */
  variant: z.string(),
  /** The digit the flood relabels, and the live model's figures before it. */
  digit: z.number().int(),
  before: z.object({ accuracy: figureSchema, recall: figureSchema }),
  /** The champion's MNIST test accuracy as the first retrain established it. */
  champion: figureSchema,
  rounds: z.array(
    z.object({
      kind: z.enum(['poison', 'honest', 'ratchet']),
      answers: z.number().int(),
      outcome: z.string(),
      reason: z.string(),
      /** Answers the per-client caps held back in that retrain. */
      capped: figureSchema,
      wallMs: figureSchema,
      /** The live model after the round: MNIST test, and the recall of `digit`. */
      accuracy: figureSchema,
      recall: figureSchema,
    }),
  ),
});

export const webRunSchema = z.object({
  ...runBase,
  predict: z.array(
    z.object({
      backend: z.string(),
      p50Ms: figureSchema,
      p95Ms: figureSchema,
      runs: z.number().int().nullable(),
    }),
  ),
  auto: z.object({
    backend: z.string(),
    p50Ms: figureSchema,
    p95Ms: figureSchema,
    digits: z.number().int(),
  }),
  /** Drawn digits predicted with the personal memory full (web/src/memory/); newer runs only. */
  personal: z
    .object({
      memory: z.number().int(),
      /** The hand the app fitted to that memory (web/src/memory/hand.ts); absent in older runs. */
      hand: z.string().optional(),
      p50Ms: figureSchema,
      p95Ms: figureSchema,
      digits: z.number().int(),
    })
    .optional(),
  coldReadyMedianMs: figureSchema,
  coldReadySlowestMs: figureSchema,
  warmOfflineReadyMedianMs: figureSchema,
  initialJsGzipKB: figureSchema,
  jsToFirstPredictionGzipKB: figureSchema,
  jsToFirstPredictionRawKB: figureSchema,
  modelKB: figureSchema,
});

export const personalRunSchema = z.object({
  ...runBase,
  live: z.string(),
  /** The blend rule's parameters (web/src/memory/blend.ts) the run used. */
  blend: z.object({
    k: z.number().int(),
    radius: z.number(),
    alphaMax: z.number(),
    minSupport: z.number(),
  }),
  /** The per-device head's parameters (web/src/memory/head.ts). */
  head: z.object({ learningRate: z.number(), l2: z.number() }),
  /** The hand fit's parameters (web/src/memory/hand.ts); absent in runs before the hand. */
  hand: z
    .object({
      maxAnswers: z.number().int(),
      minAnswers: z.number().int(),
      minGain: z.number(),
      shrink: z.number(),
    })
    .optional(),
  streamLength: z.number().int(),
  writers: z.array(
    z.object({
      style: z.string(),
      judged: z.number().int(),
      errorsWithout: z.number().int(),
      errorsWith: z.number().int(),
      /** The hand fitted to this writer by the end of the stream ("none": no hand). */
      hand: z.string().optional(),
    }),
  ),
  /** Other seeded populations run with the same defaults: their totals and worst writer. */
  populations: z
    .array(
      z.object({
        seed: z.number().int(),
        without: z.number().int(),
        withMemory: z.number().int(),
        worst: z.number().int(),
      }),
    )
    .optional(),
  /** Median time `personalize` adds to one prediction with a full memory, in Node. */
  personalizeMedianMs: z.number().optional(),
  wallMs: z.number(),
});

/** One Lighthouse run of the built app on the real server (scores 0–100, times in ms). */
export const lighthouseRunSchema = z.object({
  ...runBase,
  lighthouse: z.string(),
  formFactors: z.array(
    z.object({
      formFactor: z.enum(['mobile', 'desktop']),
      /** Runs this entry's figures are the median of. */
      runs: z.number().int().positive(),
      performance: figureSchema,
      accessibility: figureSchema,
      bestPractices: figureSchema,
      seo: figureSchema,
      fcpMs: figureSchema,
      lcpMs: figureSchema,
      tbtMs: figureSchema,
      cls: figureSchema,
      transferKB: figureSchema,
    }),
  ),
});

export type SyncServerRun = z.input<typeof syncServerRunSchema>;
export type LighthouseRun = z.input<typeof lighthouseRunSchema>;
export type TrainingSpeedRun = z.input<typeof trainingSpeedRunSchema>;
export type RetrainWallTimeRun = z.input<typeof retrainWallTimeRunSchema>;
export type ReplayRun = z.input<typeof replayRunSchema>;
export type RetrainScaleRun = z.input<typeof retrainScaleRunSchema>;
export type ServerStartupRun = z.input<typeof serverStartupRunSchema>;
export type WebRun = z.input<typeof webRunSchema>;
export type PersonalRun = z.input<typeof personalRunSchema>;
export type PoisonRun = z.input<typeof poisonRunSchema>;

export const resultsFileSchema = <T extends z.ZodType>(run: T) =>
  z.object({ runs: z.array(run).min(1) });

/** Runs kept per results file: enough to show the spread on a shared box. */
export const KEEP_RUNS = 3;

/** Call at the start of a bench; call `done()` at the end for the machine description. */
export function watchMachine(browser?: string): { done: () => Machine } {
  const start = loadavg()[0] ?? 0;
  return {
    done: () => {
      const end = loadavg()[0] ?? 0;
      const round = (x: number) => Math.round(x * 10) / 10;
      return {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
        memGiB: Math.round(totalmem() / 2 ** 30),
        node: process.version,
        load: { min: round(Math.min(start, end)), max: round(Math.max(start, end)) },
        ...(browser ? { browser } : {}),
      };
    },
  };
}

/**
 * Adds `run` to the results file at `path`, keeping the newest `KEEP_RUNS`. With `sameAs`, an
 * earlier run it matches is replaced instead (the replay keeps one run per variant).
 */
export function recordRun<T extends { date: string }>(
  path: string,
  run: T,
  sameAs?: (earlier: T) => boolean,
): void {
  let runs: T[] = [];
  try {
    runs = (JSON.parse(readFileSync(path, 'utf8')) as { runs: T[] }).runs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const kept = sameAs ? runs.filter((r) => !sameAs(r)) : runs.slice(-(KEEP_RUNS - 1));
  writeFileSync(path, `${JSON.stringify({ runs: [...kept, run] }, null, 2)}\n`);
}
