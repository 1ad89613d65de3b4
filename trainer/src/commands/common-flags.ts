import { z } from 'zod';

// Flags several commands share, declared once. Folders resolve in `loadConfig`, against the
// folder npm ran in, like the environment variables they replace.

export const MODELS_DIR_FLAG = z
  .string()
  .trim()
  .min(1)
  .optional()
  .describe('the models folder (default: $MODELS_DIR, else models)');

export const DATA_DIR_FLAG = z
  .string()
  .trim()
  .min(1)
  .optional()
  .describe('the feedback folder (default: $DATA_DIR, else new_data)');

export const JSON_FLAG = z.boolean().default(false).describe('print one JSON line instead of text');
