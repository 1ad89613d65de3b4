import { z } from 'zod';
import { loadConfig } from '../config';
import { listVersions } from '../registry';
import { defineCommand } from './command';
import { JSON_FLAG, MODELS_DIR_FLAG } from './common-flags';

export const command = defineCommand({
  name: 'list',
  summary: 'The kept versions, the live one marked with *.',
  flags: z.object({ 'models-dir': MODELS_DIR_FLAG, json: JSON_FLAG }),
  async run(flags) {
    const { modelsDir } = loadConfig(flags);
    const versions = await listVersions(modelsDir);
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(versions)}\n`);
      return 0;
    }
    if (versions.length === 0) {
      process.stdout.write(`no versions in ${modelsDir}\n`);
      return 0;
    }
    for (const v of versions) {
      const acc = (v.metrics.mnistTestAccuracy * 100).toFixed(2);
      const holdout = v.metrics.holdoutAccuracy;
      const parts = [
        v.live ? '*' : ' ',
        v.version,
        `mnist ${acc}%`,
        typeof holdout === 'number' ? `holdout ${(holdout * 100).toFixed(1)}%` : '',
        `subsets [${v.trainedOn.subsets.join(',')}]`,
        v.training ? `${v.training.kind} on ${v.training.backend}` : '',
        v.onDisk ? '' : 'MISSING ON DISK',
      ];
      process.stdout.write(`${parts.filter(Boolean).join('  ')}\n`);
    }
    return 0;
  },
});
