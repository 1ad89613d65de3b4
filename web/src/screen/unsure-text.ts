import type { UnsureReason } from './screen-rule';

/** Why the page is unsure, in plain words, after "Not sure this is a digit". */
export const UNSURE_TEXT: Record<UnsureReason, string> = {
  blank: 'The pad is blank.',
  tiny: 'That mark is very small. Draw the digit larger.',
  faint: 'There is very little ink. Draw the whole digit.',
  scribble: 'That looks like a scribble, not one digit.',
  several: 'There seem to be separate marks far apart. Draw one digit.',
  uncertain: 'The model cannot tell which digit this is.',
};
