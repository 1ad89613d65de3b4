// The publish gate: which candidates may replace the live model.
export {
  decide,
  DEFAULT_THRESHOLDS,
  type GateDecision,
  type GateThresholds,
  type Scores,
} from './decide';
export { HOLDOUT_SHARE, isHoldout, splitHoldout } from './holdout';
