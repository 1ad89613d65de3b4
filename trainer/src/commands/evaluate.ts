import { z } from 'zod';
import { initBackend } from '../backend';
import { loadConfig, resolveAgainst } from '../config';
import { evaluationSets, loadNamedModel, score } from '../evaluate';
import { parseFlags } from './args';

const flagsSchema = z.object({
  model: z.string().default('current'),
  data: z.string().default('mnist-test'),
  'models-dir': z.string().optional(),
  json: z.boolean().optional(),
});

/**
 * `evaluate [--model <version|path|current>] [--data mnist-test|new_data|<dir>]`: accuracy of a
 * model; a feedback folder is scored as a whole and split into its train and holdout parts.
 */
export async function run(args: string[]): Promise<number> {
  const config = loadConfig();
  const { flags } = parseFlags(
    args,
    {
      model: { type: 'string' },
      data: { type: 'string' },
      'models-dir': { type: 'string' },
      json: { type: 'boolean' },
    },
    flagsSchema,
  );
  const modelsDir = flags['models-dir']
    ? resolveAgainst(config.baseDir, flags['models-dir'])
    : config.modelsDir;
  const dataDir =
    flags.data === 'new_data' ? config.dataDir : resolveAgainst(config.baseDir, flags.data);
  await initBackend();
  const sets = await evaluationSets(flags.data, dataDir, config.threshold);
  const { model, label } = await loadNamedModel(flags.model, modelsDir, config.baseDir);
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
}
