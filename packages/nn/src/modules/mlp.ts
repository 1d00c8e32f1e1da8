/**
 * Multi-layer perceptrons in the shapes the paper's networks use (Appendix, Table 3; the authors'
 * models): the encoder, latent model and actor are Linear/ELU stacks; the reward, critic and
 * classifier nets put LayerNorm + tanh after their first Linear instead of the activation:
 *
 *   layerNormTanhFirst: Linear(in, h) - LayerNorm(h) - Tanh - Linear(h, h) - ELU - Linear(h, out)
 *   plain:              Linear(in, h) - ELU - Linear(h, h) - ELU - Linear(h, out)
 */
import type { Rng } from '@mbrl-ts/rng';
import { Activation, type ActivationName } from './activation';
import { LayerNorm } from './layer-norm';
import { Linear } from './linear';
import type { Layer } from './module';
import { Sequential } from './sequential';

export interface MlpOptions {
  inputSize: number;
  /** Widths of the hidden layers, e.g. [512, 512]. May be empty (a single Linear). */
  hiddenSizes: readonly number[];
  outputSize: number;
  /** Hidden nonlinearity. Default 'elu' (the paper's). */
  activation?: ActivationName;
  /** Replace the first hidden activation by LayerNorm + tanh (reward, critic, classifier nets). */
  layerNormTanhFirst?: boolean;
  /** Nonlinearity after the last Linear; none by default. */
  outputActivation?: ActivationName;
  /** Draws the orthogonal initial weights. */
  rng: Rng;
}

export function mlp(options: MlpOptions): Sequential {
  const { inputSize, hiddenSizes, outputSize, rng } = options;
  const activation = options.activation ?? 'elu';
  for (const size of [inputSize, ...hiddenSizes, outputSize]) {
    if (!Number.isInteger(size) || size <= 0) {
      throw new RangeError(
        `mlp: layer sizes must be positive integers, got [${[inputSize, ...hiddenSizes, outputSize].join(', ')}]`,
      );
    }
  }
  const layers: Layer[] = [];
  let width = inputSize;
  hiddenSizes.forEach((size, index) => {
    layers.push(new Linear(width, size, { rng }));
    if (index === 0 && options.layerNormTanhFirst) layers.push(new LayerNorm(size), new Activation('tanh'));
    else layers.push(new Activation(activation));
    width = size;
  });
  layers.push(new Linear(width, outputSize, { rng }));
  if (options.outputActivation !== undefined) layers.push(new Activation(options.outputActivation));
  return new Sequential(layers);
}
