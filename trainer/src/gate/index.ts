// The publish gate: which candidates may replace the live model, held against the champion.
export {
  decide,
  DEFAULT_THRESHOLDS,
  type CandidateScores,
  type GateDecision,
  type GateInput,
  type GateMeasures,
  type GateThresholds,
} from './decide';
export { championOf, nextChampion, promotes } from './champion';
export { pairHits, signTestP, type PairedCounts } from './sign-test';
export { HOLDOUT_SHARE, isHoldout, splitHoldout } from './holdout';
