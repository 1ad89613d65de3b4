import type { z } from 'zod';
import { flagsHelp, parseFlags, type FlagsSchema } from './args';

export interface CommandSpec<S extends FlagsSchema> {
  /** `trainer <name>`. */
  name: string;
  /** The positionals for the usage line, e.g. `<version>`; none when absent. */
  positionals?: string;
  /** What the command does, for `--help`. */
  summary: string;
  /** Every flag, declared once (see `FlagsSchema`). */
  flags: S;
  /** Runs with validated flags; resolves to the exit code. */
  run: (flags: z.output<S>, positionals: string[]) => Promise<number>;
}

/** What the CLI calls: parsing, `--help` and the run itself, behind one method. */
export interface Command {
  readonly name: string;
  help(): string;
  main(args: string[]): Promise<number>;
}

/** A command whose parsing and help both come from its flags schema. */
export function defineCommand<S extends FlagsSchema>(spec: CommandSpec<S>): Command {
  const help = () => {
    const usage = [`trainer ${spec.name}`, spec.positionals, '[flags]'].filter(Boolean);
    return `usage: ${usage.join(' ')}\n\n${spec.summary}\n\nflags:\n${flagsHelp(spec.flags)}\n`;
  };
  return {
    name: spec.name,
    help,
    async main(args) {
      const parsed = parseFlags(spec.flags, args);
      if (parsed.help) {
        process.stdout.write(help());
        return 0;
      }
      return spec.run(parsed.flags, parsed.positionals);
    },
  };
}
