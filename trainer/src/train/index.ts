// Training: the loop (`fit`), its LR schedule, seeded randomness and batch/accuracy helpers.
export { fit } from './fit';
export type { BatchEnd, EpochEnd, FitOptions, FitProgress, FitResult } from './fit';
export { learningRateAt } from './schedule';
export type { ScheduleKind } from './schedule';
export { createRng, shuffledIndices } from './rng';
export { accuracy, imagesTensor, labelsTensor, predictClasses } from './batch';
export type { SampleSet } from './batch';
export { recalibrateBatchNorm } from './recalibrate';
export { l2spPenalty, l2spVariables } from './l2sp';
