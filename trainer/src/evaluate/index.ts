// Scoring models on MNIST and on feedback.
export {
  score,
  scoreSamples,
  summarize,
  samplesToSet,
  pick,
  concatSets,
  type Score,
  type SampleScore,
} from './score';
export { loadNamedModel } from './load-model';
export { evaluationSets, type NamedSet } from './data-sets';
export { scoreParallel, type ParallelScore, type ParallelScoreOptions } from './parallel-score';
