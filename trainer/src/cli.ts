import { log } from './log';
import { UsageError } from './commands/args';
import type { Command } from './commands/command';

// Loaded on demand so `list` does not pay for loading TensorFlow.js backends it never uses.
const COMMANDS: Record<string, () => Promise<{ command: Command }>> = {
  'train-base': () => import('./commands/train-base'),
  retrain: () => import('./commands/retrain'),
  evaluate: () => import('./commands/evaluate'),
  rollback: () => import('./commands/rollback'),
  list: () => import('./commands/list'),
};

const USAGE = `usage: trainer <${Object.keys(COMMANDS).join('|')}> [flags]`;
const HELP_HINT = (name: string) => `trainer ${name} --help lists its flags`;

/** Runs one command; any error becomes one line on stderr and a non-zero exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n${HELP_HINT('<command>')}\n`);
    return 0;
  }
  const load = name ? COMMANDS[name] : undefined;
  if (!name || !load) {
    log('error', name ? `unknown command ${name}; ${USAGE}` : USAGE);
    return 2;
  }
  try {
    return await (await load()).command.main(args);
  } catch (err) {
    const message = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    if (err instanceof UsageError) {
      log('error', `${name}: ${message} (${HELP_HINT(name)})`);
      return 2;
    }
    log('error', `${name}: ${message}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
