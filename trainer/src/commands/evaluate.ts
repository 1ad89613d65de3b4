import { z } from 'zod';
import { initBackend } from '../backend';
import { loadConfig } from '../config';
import { evaluationSets, loadNamedModel, score } from '../evaluate';
import { defineCommand } from './command';
import { JSON_FLAG, MODELS_DIR_FLAG } from './common-flags';

// `--data` names a set; anything but these two is a new_data/-shaped folder.
const NAMED_SETS = ['mnist-test', 'new_data'];

export const command = defineCommand({
  name: 'evaluate',
  summary:
    'Accuracy of a model. A feedback folder is scored as a whole and split into its train and holdout parts.',
  flags: z.object({
    model: z
      .string()
      .default('current')
      .describe('current (the live version), a kept version, or a model folder or model.json'),
    data: z
      .string()
      .default('mnist-test')
      .describe('mnist-test, new_data (the configured feedback folder) or a feedback folder'),
    'models-dir': MODELS_DIR_FLAG,
    json: JSON_FLAG,
  }),
  async run(flags) {
    const config = loadConfig({
      'models-dir': flags['models-dir'],
      'data-dir': NAMED_SETS.includes(flags.data) ? undefined : flags.data,
    });
    await initBackend();
    const sets = await evaluationSets(flags.data, config.dataDir, config.threshold);
    const { model, label } = await loadNamedModel(flags.model, config.modelsDir, config.baseDir);
    try {
      const results = sets.map(({ name, set }) => ({ name, ...score(model, set) }));
      if (flags.json) process.stdout.write(`${JSON.stringify({ model: label, results })}\n`);
      else {
        for (const r of results) {
          const acc = r.accuracy === null ? 'n/a' : `${(r.accuracy * 100).toFixed(2)}%`;
          process.stdout.write(`${label}  ${r.name}: ${acc} (${r.correct}/${r.count})\n`);
        }
      }
    } finally {
      model.dispose();
    }
    return 0;
  },
});
