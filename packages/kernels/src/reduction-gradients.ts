/**
 * Gradients of Sum and Mean without a tensor of ones. tfjs's own gradient of a reduction builds
 * ones(x.shape) in JavaScript (a fresh typed array filled element by element and uploaded) and
 * multiplies the reshaped dy by it; on the wasm backend that fill cost about 80 ms per ALM update.
 * Here the ones come from the backend's Fill kernel instead (native on wasm); the arithmetic is
 * tfjs's own, so the values are the same. (Broadcasting dy with Tile would save the product, but
 * the wasm Tile kernel is slower still.) Registered process-wide (gradients belong to no backend);
 * the originals come back with uninstallReductionGradients.
 */
import * as tf from '@tensorflow/tfjs-core';

const NAMES = ['Sum', 'Mean'] as const;

/** tfjs's configs, kept while ours are registered. */
const originals = new Map<string, tf.GradConfig>();

/** The reduced axes, non-negative (null: every axis). */
function reducedAxes(x: tf.Tensor, axis: number | number[] | null | undefined): number[] {
  return tf.util.parseAxisParam(axis ?? x.shape.map((_, i) => i), x.shape);
}

/** x's shape with every reduced axis set to 1 (dy's shape with the reduced axes kept). */
function expandedShape(x: tf.Tensor, axis: number | number[] | null | undefined): number[] {
  const shape = x.shape.slice();
  for (const a of reducedAxes(x, axis)) shape[a] = 1;
  return shape;
}

const sumGradient: tf.GradConfig = {
  kernelName: 'Sum',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    const { axis } = attrs as unknown as { axis: number | number[] | null };
    const spread = tf.mul(tf.reshape(dy as tf.Tensor, expandedShape(x, axis)), tf.fill(x.shape, 1));
    return { x: () => spread };
  },
};

const meanGradient: tf.GradConfig = {
  kernelName: 'Mean',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    const { axis } = attrs as unknown as { axis: number | number[] | null };
    const axes = reducedAxes(x, axis);
    const count = axes.reduce((p, a) => p * x.shape[a], 1);
    return {
      x: () =>
        tf.div(tf.mul(tf.reshape(dy as tf.Tensor, expandedShape(x, axis)), tf.fill(x.shape, 1)), count),
    };
  },
};

export function isReductionGradientsInstalled(): boolean {
  return originals.size > 0;
}

/** Register the broadcast gradients of Sum and Mean. Idempotent. */
export function installReductionGradients(): void {
  if (originals.size > 0) return;
  for (const name of NAMES) {
    const original = tf.getGradient(name);
    if (original !== undefined) originals.set(name, original);
  }
  tf.registerGradient(sumGradient);
  tf.registerGradient(meanGradient);
}

/** Put tfjs's own gradients back. Returns whether anything changed. */
export function uninstallReductionGradients(): boolean {
  if (originals.size === 0) return false;
  for (const config of originals.values()) tf.registerGradient(config);
  originals.clear();
  return true;
}
