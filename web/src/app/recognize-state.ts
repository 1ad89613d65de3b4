import type { Prediction } from '../predict/use-predictor';
import type { UnsureReason } from '../screen';

/** What the answer area shows; one state at a time. */
export type RecognizeState =
  | { kind: 'empty' }
  | { kind: 'invalid'; message: string }
  | { kind: 'waiting'; pixels: Uint8Array }
  | {
      kind: 'unsure';
      reason: UnsureReason;
      /** Null for a blank pad: there is nothing to answer anyway. */
      shown: Shown | null;
    }
  | ({ kind: 'shown' } & Shown);

export interface Shown {
  pixels: Uint8Array;
  prediction: Prediction;
  version: string | null;
}

/** The words announced to screen readers when the state settles. */
export function announcement(state: RecognizeState): string {
  switch (state.kind) {
    case 'shown': {
      const best = state.prediction.top[0]!;
      return `Looks like ${best.digit}, ${Math.round(best.probability * 100)} percent sure.`;
    }
    case 'unsure':
      return 'Not sure this is a digit.';
    case 'invalid':
      return state.message;
    default:
      return '';
  }
}
