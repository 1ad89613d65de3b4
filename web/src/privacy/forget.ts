/** The pieces of "Forget me", injected so each is tested alone and wired once in the app. */
export interface ForgetDeps {
  /** Answers on this device: waiting, refused and the record of sent ones. */
  clearAnswers: () => Promise<void>;
  /** What the personal memory learned from this person's drawings. */
  clearPersonalMemory: () => Promise<void>;
  /** A fresh anonymous id, so later answers are not linked to earlier ones. */
  renewClientId: () => Promise<void>;
}

export type ForgetPiece = keyof ForgetDeps;

export interface ForgetReport {
  /** Pieces that failed, with why; empty when everything was forgotten. */
  failed: { piece: ForgetPiece; message: string }[];
}

const PIECES: ForgetPiece[] = ['clearAnswers', 'clearPersonalMemory', 'renewClientId'];

/**
 * Runs every piece, even after one fails (a half-forgotten device is worse than a report
 * that names what is left), and reports the failures.
 */
export async function forgetEverything(deps: ForgetDeps): Promise<ForgetReport> {
  const results = await Promise.allSettled(PIECES.map((piece) => deps[piece]()));
  const failed = results.flatMap((r, i) =>
    r.status === 'rejected'
      ? [
          {
            piece: PIECES[i]!,
            message: r.reason instanceof Error ? r.reason.message : String(r.reason),
          },
        ]
      : [],
  );
  return { failed };
}
