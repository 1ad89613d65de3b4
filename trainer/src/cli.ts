import { log } from './log';
import { UsageError } from './commands/args';

/** Every command module exports `run(args)`, resolving to the process exit code. */
interface Command {
  run: (args: string[]) => Promise<number>;
}

// Loaded on demand so `list` does not pay for loading TensorFlow.js backends it never uses.
const COMMANDS: Record<string, () => Promise<Command>> = {
  'train-base': () => import('./commands/train-base'),
  retrain: () => import('./commands/retrain'),
  evaluate: () => import('./commands/evaluate'),
  rollback: () => import('./commands/rollback'),
  list: () => import('./commands/list'),
};

const USAGE = `usage: trainer <${Object.keys(COMMANDS).join('|')}> [flags]`;

/** Runs one command; any error becomes one line on stderr and a non-zero exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const load = name ? COMMANDS[name] : undefined;
  if (!load) {
    log('error', name ? `unknown command ${name}; ${USAGE}` : USAGE);
    return 2;
  }
  try {
    return await (await load()).run(args);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log('error', `${name}: ${message.split('\n')[0]}`);
    return err instanceof UsageError ? 2 : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
