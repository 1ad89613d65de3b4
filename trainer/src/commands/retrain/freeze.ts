import type * as tf from '@tensorflow/tfjs';
import type { TunedLayers } from './options';

/**
 * Marks the layers below those `tune` names as not trainable (their weights then stay as the
 * live model's); returns the function that restores every layer's flag.
 */
export function freezeBelow(model: tf.LayersModel, tune: TunedLayers): () => void {
  const saved = model.layers.map((l) => l.trainable);
  const convs = model.layers.filter((l) => l.getClassName() === 'Conv2D');
  const first =
    tune === 'all'
      ? 0
      : tune === 'top'
        ? model.layers.indexOf(convs.at(-1)!)
        : model.layers.findIndex((l) => l.getClassName() === 'Dense');
  model.layers.forEach((l, i) => {
    if (i < first) l.trainable = false;
  });
  return () => model.layers.forEach((l, i) => (l.trainable = saved[i] ?? true));
}
