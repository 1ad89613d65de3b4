import { DEFAULT_THRESHOLD, parseEnv, resolveAgainst } from 'sync-server/contract';
import { z } from 'zod';

// The one place the trainer reads process.env. Blank values count as unset, as on the server:
// both parse with the contract's `parseEnv`.
const envSchema = z.object({
  DATA_DIR: z.string().trim().min(1).default('new_data'),
  MODELS_DIR: z.string().trim().min(1).default('models'),
  RETRAIN_THRESHOLD: z.coerce.number().int().min(1).default(DEFAULT_THRESHOLD),
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

/** Folders given on the command line; each wins over its environment variable. */
export interface FolderFlags {
  'data-dir'?: string | undefined;
  'models-dir'?: string | undefined;
}

/**
 * Parses the environment once; a bad value throws one line naming the variable. Folder flags,
 * when given, replace `DATA_DIR` and `MODELS_DIR` and resolve the same way.
 */
export function loadConfig(
  flags: FolderFlags = {},
  env: NodeJS.ProcessEnv = process.env,
): TrainerConfig {
  const parsed = parseEnv(envSchema, env);
  if (!parsed.ok) throw new Error(parsed.message);
  const e = parsed.value;
  const baseDir = e.INIT_CWD ?? process.cwd();
  return {
    baseDir,
    dataDir: resolveAgainst(baseDir, flags['data-dir'] ?? e.DATA_DIR),
    modelsDir: resolveAgainst(baseDir, flags['models-dir'] ?? e.MODELS_DIR),
    threshold: e.RETRAIN_THRESHOLD,
  };
}
