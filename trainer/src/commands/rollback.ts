import { z } from 'zod';
import { loadConfig, resolveAgainst } from '../config';
import { rollback } from 'sync-server/registry';
import { parseFlags, UsageError } from './args';

const flagsSchema = z.object({ 'models-dir': z.string().optional() });

/** `rollback <version> [--models-dir <dir>]`: makes a kept version live after it loads. */
export async function run(args: string[]): Promise<number> {
  const config = loadConfig();
  const { flags, positionals } = parseFlags(
    args,
    { 'models-dir': { type: 'string' } },
    flagsSchema,
  );
  const [version, ...rest] = positionals;
  if (!version || rest.length > 0) throw new UsageError('usage: rollback <version>');
  const modelsDir = flags['models-dir']
    ? resolveAgainst(config.baseDir, flags['models-dir'])
    : config.modelsDir;
  const { entry } = await rollback(modelsDir, version);
  process.stdout.write(`live version is now ${entry.version}\n`);
  return 0;
}
