import { describe, expect, it } from 'vitest';
import { buildModel } from '../../model';
import { freezeBelow } from './freeze';

describe('freezeBelow', () => {
  /** The class of each layer that still has trainable weights. */
  const tuned = (m: ReturnType<typeof buildModel>) =>
    m.layers.filter((l) => l.trainableWeights.length > 0).map((l) => l.getClassName());

  it('leaves only the classifier trainable for head, and restores every flag', () => {
    const model = buildModel();
    const all = model.trainableWeights.length;
    const restore = freezeBelow(model, 'head');
    expect(tuned(model)).toEqual(['Dense']);
    restore();
    expect(model.trainableWeights).toHaveLength(all);
    model.dispose();
  });

  it('keeps the last conv block and the classifier for top', () => {
    const model = buildModel();
    const restore = freezeBelow(model, 'top');
    expect(tuned(model)).toEqual(['Conv2D', 'BatchNormalization', 'Dense']);
    restore();
    model.dispose();
  });

  it('changes nothing for all', () => {
    const model = buildModel();
    const all = model.trainableWeights.length;
    freezeBelow(model, 'all')();
    expect(model.trainableWeights).toHaveLength(all);
    model.dispose();
  });
});
