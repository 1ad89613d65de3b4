import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { parseFlags } from '../args';
import { learningFlags, learningOptions } from './learning-flags';
import { RETRAIN_DEFAULTS } from './options';

const schema = z.object(learningFlags);

describe('learning flags', () => {
  it('default to RETRAIN_DEFAULTS', () => {
    const parsed = parseFlags(schema, []);
    if (parsed.help) throw new Error('help');
    expect(learningOptions(parsed.flags)).toEqual({
      feedbackShare: RETRAIN_DEFAULTS.feedbackShare,
      maxRepeat: RETRAIN_DEFAULTS.maxRepeat,
      batchNorm: RETRAIN_DEFAULTS.batchNorm,
      l2sp: RETRAIN_DEFAULTS.l2sp,
      schedule: RETRAIN_DEFAULTS.schedule,
      augment: RETRAIN_DEFAULTS.augment,
      tune: RETRAIN_DEFAULTS.tune,
      optimizer: RETRAIN_DEFAULTS.optimizer,
      writerDigits: RETRAIN_DEFAULTS.writerDigits,
      writerPool: RETRAIN_DEFAULTS.writerPool,
      writerChoice: RETRAIN_DEFAULTS.writerChoice,
      writerReplayBy: RETRAIN_DEFAULTS.writerReplayBy,
      writerReplay: RETRAIN_DEFAULTS.writerReplay,
      writerWarp: RETRAIN_DEFAULTS.writerWarp,
      handWarps: RETRAIN_DEFAULTS.handWarps,
      hands: RETRAIN_DEFAULTS.hands,
      fitWriters: RETRAIN_DEFAULTS.fitWriters,
      blend: RETRAIN_DEFAULTS.blend,
    });
  });

  it('take the typed values and refuse unknown modes', () => {
    const parsed = parseFlags(schema, ['--tune', 'all', '--l2sp', '0', '--batch-norm', 'frozen']);
    if (parsed.help) throw new Error('help');
    expect(learningOptions(parsed.flags)).toMatchObject({
      tune: 'all',
      l2sp: 0,
      batchNorm: 'frozen',
    });
    expect(() => parseFlags(schema, ['--tune', 'everything'])).toThrow(/--tune/);
    expect(() => parseFlags(schema, ['--blend', '0'])).toThrow(/--blend/);
    expect(() => parseFlags(schema, ['--blend', '1.5'])).toThrow(/--blend/);
    expect(() => parseFlags(schema, ['--writer-pool', '0'])).toThrow(/--writer-pool/);
    expect(() => parseFlags(schema, ['--hands', 'client'])).toThrow(/--hands/);
  });
});
