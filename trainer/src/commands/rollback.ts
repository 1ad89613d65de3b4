import { z } from 'zod';
import { loadConfig } from '../config';
import { rollback } from 'sync-server/registry';
import { UsageError } from './args';
import { defineCommand } from './command';
import { MODELS_DIR_FLAG } from './common-flags';

export const command = defineCommand({
  name: 'rollback',
  positionals: '<version>',
  summary: 'Makes a kept version live, after checking that it loads.',
  flags: z.object({ 'models-dir': MODELS_DIR_FLAG }),
  async run(flags, positionals) {
    const [version, ...rest] = positionals;
    if (!version || rest.length > 0) throw new UsageError('usage: rollback <version>');
    const { modelsDir } = loadConfig(flags);
    const { entry } = await rollback(modelsDir, version);
    process.stdout.write(`live version is now ${entry.version}\n`);
    return 0;
  },
});
