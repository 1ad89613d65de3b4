import type { Champion } from 'sync-server/contract';
import type { CandidateScores } from './decide';

/** The champion a model's measured MNIST test scores make (establishing one). */
export function championOf(version: string, scores: CandidateScores): Champion {
  return {
    version,
    mnistTestAccuracy: scores.mnist,
    perDigitRecall: [...scores.perDigitRecall],
  };
}

/**
 * The champion after `version` is published with `scores`: the best published model by MNIST
 * test accuracy. A published candidate replaces the champion only when it is strictly better
 * overall, so the floor only ever rises. It has passed the per-digit floors, so each digit of
 * the new champion is at most `maxDigitDrop` below the old one's, and only in exchange for a
 * higher overall score.
 */
export function nextChampion(
  champion: Champion,
  version: string,
  scores: CandidateScores,
): Champion {
  return promotes(champion, scores) ? championOf(version, scores) : champion;
}

/** Whether a published model with `scores` becomes the champion (see `nextChampion`). */
export function promotes(champion: Champion, scores: CandidateScores): boolean {
  return scores.mnist > champion.mnistTestAccuracy;
}
