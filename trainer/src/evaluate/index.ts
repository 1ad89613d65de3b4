// Scoring models on MNIST and on feedback.
export { score, samplesToSet, pick, concatSets, type Score } from './score';
export { loadNamedModel } from './load-model';
export { evaluationSets, type NamedSet } from './data-sets';
export { scoreParallel, type ParallelScore, type ParallelScoreOptions } from './parallel-score';
