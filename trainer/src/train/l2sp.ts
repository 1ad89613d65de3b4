import * as tf from '@tensorflow/tfjs';

/**
 * L2-SP ("starting point" as the prior, Li et al. 2018): `alpha / 2 · Σ ‖w − w₀‖²` over
 * `variables`, where w₀ are the weights when fine-tuning began. Unlike weight decay toward zero,
 * it lets the few new answers move the model only as far as they pay for, so what the live
 * model knew is kept. Returns the penalty function for `fit` and a `dispose` for the anchors.
 */
export function l2spPenalty(
  variables: readonly tf.Variable[],
  alpha: number,
): { penalty: () => tf.Scalar; dispose: () => void } {
  const anchors = variables.map((v) => tf.keep(v.clone()));
  const penalty = () =>
    tf.tidy(() => {
      const terms = variables.map((v, i) => v.sub(anchors[i]!).square().sum());
      return tf.addN(terms).mul(alpha / 2) as tf.Scalar;
    });
  return { penalty, dispose: () => tf.dispose(anchors) };
}

/** The weights L2-SP pulls back: conv and dense kernels and biases, not BatchNorm's. */
export function l2spVariables(model: tf.LayersModel): tf.Variable[] {
  return model.layers
    .filter((l) => l.getClassName() !== 'BatchNormalization')
    .flatMap((l) => l.trainableWeights.map((w) => w.read() as tf.Variable));
}
