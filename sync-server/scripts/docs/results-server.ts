// The sync server's results files: ingest and replicas, start-up.
import { z } from 'zod';
import { figureSchema, runBase } from './results-base';

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

export const serverStartupRunSchema = z.object({
  ...runBase,
  cases: z.array(z.object({ stored: z.number().int(), healthyMs: figureSchema })),
});

export type SyncServerRun = z.input<typeof syncServerRunSchema>;
export type ServerStartupRun = z.input<typeof serverStartupRunSchema>;
