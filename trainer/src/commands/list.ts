import { loadConfig, resolveAgainst } from '../config';
import { listVersions } from '../registry';
import { parseFlags } from './args';
import { z } from 'zod';

const flagsSchema = z.object({ 'models-dir': z.string().optional(), json: z.boolean().optional() });

/** `list [--models-dir <dir>] [--json]`: the kept versions, the live one marked. */
export async function run(args: string[]): Promise<number> {
  const config = loadConfig();
  const { flags } = parseFlags(
    args,
    { 'models-dir': { type: 'string' }, json: { type: 'boolean' } },
    flagsSchema,
  );
  const modelsDir = flags['models-dir']
    ? resolveAgainst(config.baseDir, flags['models-dir'])
    : config.modelsDir;
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
}
