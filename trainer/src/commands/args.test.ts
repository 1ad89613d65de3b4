import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { flagsHelp, parseArgsOptions, parseFlags, scriptFlags, UsageError } from './args';

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

describe('scriptFlags', () => {
  afterEach(() => vi.restoreAllMocks());

  function exitCode(args: string[]): { code: unknown; stderr: string } {
    let stderr = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      stderr += String(chunk);
      return true;
    });
    vi.spyOn(process, 'exit').mockImplementation((code) => {
      throw Object.assign(new Error('exit'), { code });
    });
    try {
      scriptFlags(schema, args);
      return { code: undefined, stderr };
    } catch (err) {
      return { code: (err as { code?: unknown }).code, stderr };
    }
  }

  it('returns the flags when they parse', () => {
    expect(scriptFlags(schema, ['--epochs', '4'])).toMatchObject({ epochs: 4 });
  });

  it('ends on an unknown flag or a bad value with one line and exit code 2', () => {
    for (const args of [
      ['--batch-size', '64'],
      ['--epochs', 'x'],
    ]) {
      const { code, stderr } = exitCode(args);
      expect(code).toBe(2);
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(/^error: .*(batch-size|epochs).*\(--help lists the flags\)\n$/);
    }
  });
});
