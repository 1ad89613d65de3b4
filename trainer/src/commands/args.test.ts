import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { flagsHelp, parseArgsOptions, parseFlags, UsageError } from './args';

const schema = z.object({
  epochs: z.coerce.number().int().min(1).default(3).describe('passes over the data'),
  mode: z.enum(['fast', 'slow']).optional().describe('how to run'),
  force: z.boolean().default(false).describe('do it anyway'),
  dir: z.string().optional(),
});

describe('parseArgsOptions', () => {
  it('makes boolean schemas switches and everything else a value, plus --help', () => {
    expect(parseArgsOptions(schema)).toEqual({
      help: { type: 'boolean', short: 'h' },
      epochs: { type: 'string' },
      mode: { type: 'string' },
      force: { type: 'boolean' },
      dir: { type: 'string' },
    });
  });
});

describe('flagsHelp', () => {
  it('lists every flag with its description and default, in declaration order', () => {
    const lines = flagsHelp(schema).split('\n');
    expect(lines.map((l) => l.trim().split(/\s+/)[0])).toEqual([
      '--epochs',
      '--mode',
      '--force',
      '--dir',
      '--help,',
    ]);
    expect(lines[0]).toMatch(/--epochs <n> +passes over the data \(default: 3\)$/);
    expect(lines[1]).toMatch(/--mode <fast\|slow> +how to run$/);
    expect(lines[2]).toMatch(/--force +do it anyway$/);
  });
});

describe('parseFlags', () => {
  it('validates values with the schema and keeps positionals', () => {
    expect(parseFlags(schema, ['v1', '--epochs', '5', '--force'])).toEqual({
      help: false,
      flags: { epochs: 5, force: true },
      positionals: ['v1'],
    });
    expect(parseFlags(schema, [])).toMatchObject({ flags: { epochs: 3, force: false } });
  });

  it('answers --help and -h before validating anything', () => {
    expect(parseFlags(schema, ['--epochs', 'x', '--help'])).toEqual({ help: true });
    expect(parseFlags(schema, ['-h'])).toEqual({ help: true });
  });

  it.each([
    [['--epochs', 'many'], /^--epochs: /],
    [['--mode', 'medium'], /^--mode: /],
    [['--nope'], /--nope/],
    [['--force=yes'], /--force/],
  ])('rejects %j as a UsageError naming the flag', (args, message) => {
    expect(() => parseFlags(schema, args)).toThrow(UsageError);
    expect(() => parseFlags(schema, args)).toThrow(message);
  });
});
