import { describe, expect, it } from 'vitest';
import { rgbaToGray, type RgbaImage } from '../draw/image-to-gray';
import { inkStats } from './ink-stats';
import { screenDrawing, screenPhoto } from './screen-rule';
import { padImage, zigzag } from './test-strokes';

const stats = (image: RgbaImage) => inkStats(rgbaToGray(image), image.width, image.height);
const judge = (strokes: [number, number][][], top: number | null = 0.99) =>
  screenDrawing(stats(padImage(strokes)), top);

const circle = (cx: number, cy: number, r: number): [number, number][] =>
  Array.from({ length: 33 }, (_, i) => {
    const a = (i / 32) * 2 * Math.PI;
    return [cx + r * Math.cos(a), cy + r * 1.3 * Math.sin(a)];
  });

const DIGITS: Record<string, [number, number][][]> = {
  one: [
    [
      [0.5, 0.15],
      [0.5, 0.85],
    ],
  ],
  seven: [
    [
      [0.25, 0.2],
      [0.75, 0.2],
      [0.45, 0.85],
    ],
  ],
  zero: [circle(0.5, 0.5, 0.25)],
  eight: [circle(0.5, 0.32, 0.14), circle(0.5, 0.68, 0.16)],
  'four in two strokes': [
    [
      [0.3, 0.2],
      [0.25, 0.55],
      [0.7, 0.55],
    ],
    [
      [0.6, 0.25],
      [0.6, 0.85],
    ],
  ],
  'five with a lifted bar': [
    [
      [0.35, 0.2],
      [0.32, 0.45],
      [0.6, 0.5],
      [0.62, 0.75],
      [0.3, 0.8],
    ],
    [
      [0.4, 0.17],
      [0.7, 0.17],
    ],
  ],
  'a small but clear 1': [
    [
      [0.5, 0.4],
      [0.5, 0.62],
    ],
  ],
};

describe('screenDrawing', () => {
  for (const [name, strokes] of Object.entries(DIGITS)) {
    it(`lets a plausible digit through: ${name}`, () => {
      expect(judge(strokes)).toEqual({ ok: true });
    });
  }

  it('a blank pad is blank, with or without the model', () => {
    expect(judge([], null)).toEqual({ ok: false, reason: 'blank' });
  });

  it('a dot or a tiny tick is tiny, even when the model is sure', () => {
    expect(judge([[[0.5, 0.5]]], 0.999)).toEqual({ ok: false, reason: 'tiny' });
    expect(
      judge(
        [
          [
            [0.5, 0.5],
            [0.53, 0.52],
          ],
        ],
        0.999,
      ),
    ).toEqual({ ok: false, reason: 'tiny' });
  });

  it('a scribble filling the pad is a scribble', () => {
    expect(judge([zigzag(14)], 0.999)).toEqual({ ok: false, reason: 'scribble' });
    expect(judge([zigzag(8)], 0.999)).toEqual({ ok: false, reason: 'scribble' });
  });

  it('two digits side by side are several marks', () => {
    const eleven: [number, number][][] = [
      [
        [0.15, 0.2],
        [0.15, 0.8],
      ],
      [
        [0.8, 0.2],
        [0.8, 0.8],
      ],
    ];
    expect(judge(eleven, 0.999)).toEqual({ ok: false, reason: 'several' });
  });

  it('marks near the limit pass only when the model is sure', () => {
    const nearPair: [number, number][][] = [
      [
        [0.3, 0.2],
        [0.3, 0.8],
      ],
      [
        [0.55, 0.2],
        [0.55, 0.8],
      ],
    ];
    expect(judge(nearPair, 0.6)).toEqual({ ok: false, reason: 'uncertain' });
    expect(judge(nearPair, 0.95)).toEqual({ ok: true });
  });

  it('a plausible drawing the model shrugs at is uncertain', () => {
    expect(judge(DIGITS.seven!, 0.3)).toEqual({ ok: false, reason: 'uncertain' });
  });
});

describe('screenPhoto', () => {
  it('judges a photo by blank and the model only', () => {
    const thin = stats(padImage([[[0.5, 0.5]]]));
    expect(screenPhoto(thin, 0.9)).toEqual({ ok: true });
    expect(screenPhoto(thin, 0.2)).toEqual({ ok: false, reason: 'uncertain' });
    expect(screenPhoto(stats(padImage([])), null)).toEqual({ ok: false, reason: 'blank' });
  });
});
