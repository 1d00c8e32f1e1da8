/**
 * An ensemble of N Q-functions Q_1..Q_N(s, a) (REDQ, Chen et al. 2021, "Randomized Ensembled Double
 * Q-Learning: Learning Fast Without a Model", Sec. 2; its SAC-AVG baseline), each an MLP on the
 * concatenation [s, a] with one output unit, all N held layer by layer in EnsembleLinear weights
 * [N, in, out]: a forward pass is one batched product per layer for every member.
 *
 * Variables are named `<layer>.weight` [N, in, out] and `<layer>.bias` [N, 1, out] (layer 0, 1, 2
 * for two hidden layers), so a target copy (`clone()`) matches them name by name and Polyak
 * averaging updates all members at once.
 */
import { tf, Module, type ActivationName, type Rng } from '@mbrl-ts/nn';
import { EnsembleLinear } from './ensemble-linear';

export interface QEnsembleOptions {
  readonly observationSize: number;
  readonly actionSize: number;
  /** N, the number of Q-functions. REDQ: 10. */
  readonly ensembleSize: number;
  /** Hidden widths of each member. Default [256, 256] (REDQ Appendix, Table 1). */
  readonly hiddenSizes?: readonly number[];
  /** Hidden nonlinearity. Default 'relu' (REDQ, as SAC). */
  readonly activation?: ActivationName;
  readonly rng: Rng;
}

function activate(kind: ActivationName, x: tf.Tensor): tf.Tensor {
  switch (kind) {
    case 'relu':
      return tf.relu(x);
    case 'elu':
      return tf.elu(x);
    case 'tanh':
      return tf.tanh(x);
  }
}

function isIdentity(members: readonly number[], n: number): boolean {
  return members.length === n && members.every((m, i) => m === i);
}

export class QEnsemble extends Module {
  readonly layers: readonly EnsembleLinear[];

  constructor(
    readonly observationSize: number,
    readonly actionSize: number,
    layers: readonly EnsembleLinear[],
    readonly activation: ActivationName = 'relu',
  ) {
    super();
    this.layers = layers.map((layer, i) => this.addChild(String(i), layer));
    if (layers.length === 0 || layers[layers.length - 1].outFeatures !== 1) {
      throw new RangeError('QEnsemble: needs at least one layer, the last with one output unit');
    }
    if (layers[0].inFeatures !== observationSize + actionSize) {
      throw new RangeError(
        `QEnsemble: the first layer takes ${layers[0].inFeatures} inputs, not observationSize + actionSize = ${observationSize + actionSize}`,
      );
    }
  }

  static create(options: QEnsembleOptions): QEnsemble {
    const { observationSize, actionSize, ensembleSize, rng } = options;
    const widths = [observationSize + actionSize, ...(options.hiddenSizes ?? [256, 256]), 1];
    const layers: EnsembleLinear[] = [];
    for (let i = 0; i + 1 < widths.length; i++)
      layers.push(new EnsembleLinear(ensembleSize, widths[i], widths[i + 1], { rng }));
    return new QEnsemble(observationSize, actionSize, layers, options.activation ?? 'relu');
  }

  /** N. */
  get ensembleSize(): number {
    return this.layers[0].members;
  }

  /**
   * Q-values of every member, or of the members at `members` (in that order), for observations
   * [B, obs] and actions [B, act]: shape [N, B] (or [members.length, B]).
   */
  forward(observation: tf.Tensor, action: tf.Tensor, members?: readonly number[]): tf.Tensor2D {
    return tf.tidy(() => {
      const input = tf.concat([observation, action], -1);
      // every member in order is the plain batched product (no gather)
      const picked = members !== undefined && isIdentity(members, this.ensembleSize) ? undefined : members;
      const count = picked?.length ?? this.ensembleSize;
      let x: tf.Tensor = tf.tile(tf.expandDims(input, 0), [count, 1, 1]);
      this.layers.forEach((layer, i) => {
        x = picked === undefined ? layer.forward(x) : layer.forwardMembers(x, picked);
        if (i + 1 < this.layers.length) x = activate(this.activation, x);
      });
      return tf.squeeze(x, [2]) as tf.Tensor2D;
    });
  }

  override clone(): QEnsemble {
    return new QEnsemble(
      this.observationSize,
      this.actionSize,
      this.layers.map((layer) => layer.clone()),
      this.activation,
    );
  }
}
