import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';

// The one place the trainer reads process.env; everything else gets the parsed config.
const envSchema = z.object({
  DATA_DIR: z.string().min(1).default('new_data'),
  MODELS_DIR: z.string().min(1).default('models'),
  RETRAIN_THRESHOLD: z.coerce.number().int().min(1).default(10),
  INIT_CWD: z.string().min(1).optional(),
});

export interface TrainerConfig {
  /** Absolute `new_data/` folder. */
  dataDir: string;
  /** Absolute `models/` folder. */
  modelsDir: string;
  /** Samples that seal a subset (the server's `RETRAIN_THRESHOLD`). */
  threshold: number;
  /** Where relative paths resolve: npm's INIT_CWD (the folder npm ran in), else the cwd. */
  baseDir: string;
}

/** Parses the environment once; a bad value throws one line naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): TrainerConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`bad environment variable ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const baseDir = parsed.data.INIT_CWD ?? process.cwd();
  return {
    baseDir,
    dataDir: resolveAgainst(baseDir, parsed.data.DATA_DIR),
    modelsDir: resolveAgainst(baseDir, parsed.data.MODELS_DIR),
    threshold: parsed.data.RETRAIN_THRESHOLD,
  };
}

/** A user-given path: absolute as is, relative against `baseDir`. */
export function resolveAgainst(baseDir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path);
}
