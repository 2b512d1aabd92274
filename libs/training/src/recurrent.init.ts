import type { RecurrentLayerSpec } from '@rnnflow/cells';
import * as tf from '@tensorflow/tfjs';

const GATES = { lstm: 4, gru: 3, simpleRnn: 1 } as const;

/**
 * `[U × G·U]`: one random orthogonal `U × U` block per gate (QR of a seeded Gaussian matrix,
 * column signs fixed so the distribution is uniform, Mezzadri 2007). Orthogonal recurrent
 * weights keep gradients from exploding or vanishing early in BPTT. Built here rather than with
 * tfjs's `orthogonal` initializer, which warns on every matrix above 2,000 elements.
 */
export function blockOrthogonal(units: number, gates: number, seed: number): tf.Tensor2D {
  return tf.tidy(() => {
    const blocks = Array.from({ length: gates }, (_, g) => {
      const [q, r] = tf.linalg.qr(tf.randomNormal([units, units], 0, 1, 'float32', seed + g));
      const diagonal = tf.sum(tf.mul(r, tf.eye(units)), 0);
      return tf.mul(q, tf.sign(diagonal));
    });
    return tf.concat(blocks, 1) as tf.Tensor2D;
  });
}

/**
 * Replaces a freshly built recurrent layer's recurrent kernel with {@link blockOrthogonal} and,
 * for an LSTM with bias, opens its forget gates (bias 1, Jozefowicz et al. 2015) as Keras does
 * (by hand: tfjs's `unitForgetBias` initializer leaks four tensors per layer).
 */
export function initializeRecurrentWeights(
  layer: tf.layers.Layer,
  spec: RecurrentLayerSpec,
  seed: number,
): void {
  const [kernel, , bias] = layer.getWeights();
  const replaced: tf.Tensor[] = [blockOrthogonal(spec.units, GATES[spec.type], seed)];
  if (bias) {
    const values = Float32Array.from(bias.dataSync());
    // LSTM gate columns are i, f, c, o.
    if (spec.type === 'lstm') values.fill(1, spec.units, 2 * spec.units);
    replaced.push(tf.tensor1d(values));
  }
  layer.setWeights([kernel, ...replaced]);
  tf.dispose(replaced);
}
