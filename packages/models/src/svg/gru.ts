/**
 * A gated recurrent unit layer with torch.nn.GRU's equations (Cho et al. 2014), one time step:
 *
 *   r  = sigmoid(x W_ir + b_ir + h W_hr + b_hr)
 *   z  = sigmoid(x W_iz + b_iz + h W_hz + b_hz)
 *   n  = tanh(x W_in + b_in + r * (h W_hn + b_hn))
 *   h' = (1 - z) * n + z * h
 *
 * The three gates' weights are stored side by side, in the order (r, z, n) as torch does:
 * `inputWeight` [in, 3H], `hiddenWeight` [H, 3H], `inputBias` and `hiddenBias` [3H]. Every value
 * starts uniform in [-1/sqrt(H), 1/sqrt(H)], torch's GRU initialisation (SAC-SVG leaves its
 * recurrent unit at that default).
 *
 * `GruStack` stacks layers as torch's `num_layers`: layer l reads layer l-1's new hidden state.
 */
import { Module, cloneVariable, tf, variableFrom, type Rng } from '@mbrl-ts/nn';

export class GruCell extends Module {
  readonly inputWeight: tf.Variable;
  readonly hiddenWeight: tf.Variable;
  readonly inputBias: tf.Variable;
  readonly hiddenBias: tf.Variable;

  constructor(
    readonly inputSize: number,
    readonly hiddenSize: number,
    init:
      | Rng
      | {
          inputWeight: tf.Variable;
          hiddenWeight: tf.Variable;
          inputBias: tf.Variable;
          hiddenBias: tf.Variable;
        },
  ) {
    super();
    for (const [what, size] of [
      ['inputSize', inputSize],
      ['hiddenSize', hiddenSize],
    ] as const) {
      if (!Number.isInteger(size) || size <= 0)
        throw new RangeError(`GruCell: ${what} must be a positive integer, got ${size}`);
    }
    const H = hiddenSize;
    if ('fillUniform' in init) {
      const bound = 1 / Math.sqrt(H);
      const uniform = (shape: number[]) => {
        const values = init.fillUniform(new Float32Array(shape.reduce((a, b) => a * b, 1)), -bound, bound);
        return variableFrom(() => tf.tensor(values, shape));
      };
      this.inputWeight = this.addVariable('input_weight', uniform([inputSize, 3 * H]));
      this.hiddenWeight = this.addVariable('hidden_weight', uniform([H, 3 * H]));
      this.inputBias = this.addVariable('input_bias', uniform([3 * H]));
      this.hiddenBias = this.addVariable('hidden_bias', uniform([3 * H]));
    } else {
      this.inputWeight = this.addVariable('input_weight', init.inputWeight);
      this.hiddenWeight = this.addVariable('hidden_weight', init.hiddenWeight);
      this.inputBias = this.addVariable('input_bias', init.inputBias);
      this.hiddenBias = this.addVariable('hidden_bias', init.hiddenBias);
    }
  }

  /** One step: x [B, in], h [B, H] -> h' [B, H]. */
  forward(x: tf.Tensor, h: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const gx = tf.add(tf.matMul(x as tf.Tensor2D, this.inputWeight as tf.Tensor2D), this.inputBias);
      const gh = tf.add(tf.matMul(h as tf.Tensor2D, this.hiddenWeight as tf.Tensor2D), this.hiddenBias);
      const [xr, xz, xn] = tf.split(gx, 3, -1);
      const [hr, hz, hn] = tf.split(gh, 3, -1);
      const r = tf.sigmoid(tf.add(xr, hr));
      const z = tf.sigmoid(tf.add(xz, hz));
      const n = tf.tanh(tf.add(xn, tf.mul(r, hn)));
      return tf.add(tf.mul(tf.sub(1, z), n), tf.mul(z, h));
    });
  }

  override clone(): GruCell {
    return new GruCell(this.inputSize, this.hiddenSize, {
      inputWeight: cloneVariable(this.inputWeight),
      hiddenWeight: cloneVariable(this.hiddenWeight),
      inputBias: cloneVariable(this.inputBias),
      hiddenBias: cloneVariable(this.hiddenBias),
    });
  }
}

/** `layers` GRU cells applied in sequence at each time step (torch's num_layers). */
export class GruStack extends Module {
  readonly cells: readonly GruCell[];

  constructor(cells: readonly GruCell[]) {
    super();
    if (cells.length === 0) throw new RangeError('GruStack: needs at least one layer');
    this.cells = cells.map((cell, i) => this.addChild(String(i), cell));
  }

  static create(inputSize: number, hiddenSize: number, layers: number, rng: Rng): GruStack {
    return new GruStack(
      Array.from(
        { length: layers },
        (_, i) => new GruCell(i === 0 ? inputSize : hiddenSize, hiddenSize, rng),
      ),
    );
  }

  get hiddenSize(): number {
    return this.cells[0].hiddenSize;
  }

  /** Zero hidden states for a batch of B: one [B, H] per layer. */
  initialState(batchSize: number): tf.Tensor[] {
    return this.cells.map((cell) => tf.zeros([batchSize, cell.hiddenSize]));
  }

  /** One time step: input [B, in] and per-layer states -> the top layer's output and the new states. */
  step(x: tf.Tensor, state: readonly tf.Tensor[]): { output: tf.Tensor; state: tf.Tensor[] } {
    const next: tf.Tensor[] = [];
    let input = x;
    this.cells.forEach((cell, i) => {
      input = cell.forward(input, state[i]);
      next.push(input);
    });
    return { output: input, state: next };
  }

  override clone(): GruStack {
    return new GruStack(this.cells.map((cell) => cell.clone()));
  }
}
