// The web app's results files: the browser bench, the personal memory, Lighthouse.
import { z } from 'zod';
import { figureSchema, runBase } from './results-base';

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

export type LighthouseRun = z.input<typeof lighthouseRunSchema>;
export type WebRun = z.input<typeof webRunSchema>;
export type PersonalRun = z.input<typeof personalRunSchema>;
