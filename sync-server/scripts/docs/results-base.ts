// The parts every results file shares: a measured figure, the machine, a run's date.
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

/** What every run records, whatever it measured. */
export const runBase = {
  /** ISO date (or date and time) of the run. */
  date: z.string().min(10),
  machine: machineSchema,
  /** Where the figures came from when not written by the bench itself. */
  source: z.string().optional(),
  /** Bench invocations this entry stands for (a transcribed range may span several). */
  invocations: z.number().int().positive().default(1),
};
