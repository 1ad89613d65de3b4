import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';

/** A wrong command line: the CLI prints it as one line and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * The flags of one command: flag name → value schema. Each schema is the flag's only
 * declaration: `parseArgs` options and help text both come from it, so give every flag a
 * `.describe()`. A boolean schema is a switch; anything else takes a value (as a string, so
 * numbers use `z.coerce`).
 */
export type FlagsSchema = z.ZodObject<Record<string, z.ZodType>>;

type Options = NonNullable<ParseArgsConfig['options']>;

/** The schema and the optional/default wrappers around it, outermost first. */
function layers(schema: z.ZodType): z.ZodType[] {
  const out = [schema];
  for (let s = schema; s instanceof z.ZodOptional || s instanceof z.ZodDefault;) {
    s = s.unwrap() as z.ZodType;
    out.push(s);
  }
  return out;
}

const valueSchema = (schema: z.ZodType) => layers(schema).at(-1) ?? schema;
const isSwitch = (schema: z.ZodType) => valueSchema(schema) instanceof z.ZodBoolean;

/** The `parseArgs` options for `schema`, plus `--help`/`-h`. */
export function parseArgsOptions(schema: FlagsSchema): Options {
  const options: Options = { help: { type: 'boolean', short: 'h' } };
  for (const [name, flag] of Object.entries(schema.shape)) {
    options[name] = { type: isSwitch(flag) ? 'boolean' : 'string' };
  }
  return options;
}

/** One line per flag: `--name <value>  what it does (default: x)`. */
export function flagsHelp(schema: FlagsSchema): string {
  const rows = Object.entries(schema.shape).map(([name, flag]) => {
    const head = isSwitch(flag) ? `--${name}` : `--${name} <${valueName(flag)}>`;
    const description = layers(flag).find((s) => s.description)?.description ?? '';
    return [head, `${description}${isSwitch(flag) ? '' : defaultOf(flag)}`] as const;
  });
  rows.push(['--help, -h', 'print this help and exit']);
  const width = Math.max(0, ...rows.map(([head]) => head.length));
  return rows.map(([head, text]) => `  ${head.padEnd(width)}  ${text}`.trimEnd()).join('\n');
}

function valueName(flag: z.ZodType): string {
  const value = valueSchema(flag);
  if (value instanceof z.ZodEnum) return value.options.join('|');
  if (value instanceof z.ZodNumber) return 'n';
  return 'value';
}

function defaultOf(flag: z.ZodType): string {
  const withDefault = layers(flag).find((s) => s instanceof z.ZodDefault);
  if (!withDefault) return '';
  const value: unknown = withDefault.def.defaultValue;
  return ` (default: ${typeof value === 'string' ? value : JSON.stringify(value)})`;
}

export type ParsedFlags<S extends FlagsSchema> =
  { help: true } | { help: false; flags: z.output<S>; positionals: string[] };

/**
 * Parses `args` strictly (unknown flags are errors) and validates the flag values with
 * `schema`, so `--epochs abc` fails as one line naming the flag. `--help` wins over the rest.
 */
export function parseFlags<S extends FlagsSchema>(schema: S, args: string[]): ParsedFlags<S> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: parseArgsOptions(schema),
      strict: true,
      allowPositionals: true,
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const { help, ...values } = parsed.values;
  if (help) return { help: true };
  const result = schema.safeParse(values);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new UsageError(`--${issue?.path.join('.')}: ${issue?.message}`);
  }
  return { help: false, flags: result.data, positionals: parsed.positionals };
}

/**
 * For a script (not a CLI command): its flags, or on `--help` the help text printed and the
 * process ended. A wrong flag or value ends it as a CLI command's does: one line on stderr
 * and exit code 2, not a stack trace.
 */
export function scriptFlags<S extends FlagsSchema>(schema: S, args: string[]): z.output<S> {
  let parsed: ParsedFlags<S>;
  try {
    parsed = parseFlags(schema, args);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`error: ${err.message.split('\n')[0]} (--help lists the flags)\n`);
    return process.exit(2);
  }
  if (!parsed.help) return parsed.flags;
  process.stdout.write(`${flagsHelp(schema)}\n`);
  return process.exit(0);
}
