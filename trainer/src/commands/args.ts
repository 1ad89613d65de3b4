import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { z } from 'zod';

/** A wrong command line: the CLI prints it as one line and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses `args` strictly (unknown flags are errors) and validates the flag values with
 * `schema`, so `--epochs abc` fails as one line naming the flag.
 */
export function parseFlags<S extends z.ZodType>(
  args: string[],
  options: Options,
  schema: S,
): { flags: z.infer<S>; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const result = schema.safeParse(parsed.values);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new UsageError(`--${issue?.path.join('.')}: ${issue?.message}`);
  }
  return { flags: result.data, positionals: parsed.positionals };
}
