export interface Guess {
  digit: number;
  probability: number;
}

/** The k most probable digits, most probable first. */
export function topK(probabilities: ArrayLike<number>, k = 3): Guess[] {
  return Array.from(probabilities, (probability, digit) => ({ digit, probability }))
    .sort((a, b) => b.probability - a.probability)
    .slice(0, k);
}
