// How a prediction uses the personal memory, in two steps, both pure and shared with the bench:
// 1. the per-device head (head.ts) corrects the model's probabilities for this writer's style;
// 2. the nearest remembered answers (blend.ts) then decide for a digit drawn almost exactly
//    like one the user already answered, so a correction holds the very next time.
import {
  argmax,
  blend,
  normalize,
  type BlendOptions,
  BLEND_DEFAULTS,
  type MemoryIndex,
} from './blend';
import type { PersonalHead } from './head';

export interface PersonalModel {
  head: PersonalHead | null;
  index: MemoryIndex | null;
}

export interface Personalized {
  probabilities: Float32Array;
  /** True when the memory changed the answer: the top digit differs from the model's. */
  personal: boolean;
}

export function personalize(
  probabilities: Float32Array,
  embedding: Float32Array | null,
  memory: PersonalModel | null,
  options: BlendOptions = BLEND_DEFAULTS,
): Personalized {
  if (!embedding || !memory) return { probabilities, personal: false };
  const corrected = memory.head ? memory.head.apply(probabilities, embedding) : probabilities;
  const query = memory.index ? normalize(embedding) : null;
  const blended = blend(corrected, query, memory.index, options).probabilities;
  return { probabilities: blended, personal: argmax(blended) !== argmax(probabilities) };
}
