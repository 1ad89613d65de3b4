import { createHash } from 'node:crypto';

/** Share of feedback held out of training, to judge candidates on users' own digits. */
export const HOLDOUT_SHARE = 0.2;

/**
 * Whether the sample with this id belongs to the holdout. Decided by a hash of the id alone,
 * so a sample stays on the same side across runs and machines and is never trained on.
 */
export function isHoldout(id: string, share = HOLDOUT_SHARE): boolean {
  const digest = createHash('sha256').update(id).digest();
  return digest.readUInt32BE(0) / 2 ** 32 < share;
}

/** Splits samples into the ones to train on and the holdout. */
export function splitHoldout<T extends { id: string }>(
  samples: readonly T[],
  share = HOLDOUT_SHARE,
): { train: T[]; holdout: T[] } {
  const train: T[] = [];
  const holdout: T[] = [];
  for (const s of samples) (isHoldout(s.id, share) ? holdout : train).push(s);
  return { train, holdout };
}
