/**
 * SAC-SVG's observation-space dynamics model (Amos et al. 2020, Section 4; the authors' `SeqDx`):
 *
 *   e_t       = xuEncoder([x_t, u_t])                 MLP obs+act -> 512 -> 512 -> 512 (ReLU)
 *   o_t, h_t  = GRU(e_t, h_{t-1})                     2 layers of 512, h_{-1} = 0
 *   x_{t+1}   = x_t + decoder(o_t)                    one Linear 512 -> obs (a residual step)
 *
 * Observations are the agent's normalised ones. The recurrence carries what a single step cannot
 * (the model is trained on multi-step sequences and unrolled over the same horizon); `unroll`
 * feeds its own predictions back, as it will when the actor plans through it.
 */
import { mlp, Module, tf, type Rng, type Sequential } from '@mbrl-ts/nn';
import { GruStack } from './gru';

export interface ObservationDynamicsOptions {
  readonly observationSize: number;
  readonly actionSize: number;
  /** SAC-SVG config: xu_enc_hidden_dim 512. */
  readonly encoderHiddenSize?: number;
  /** SAC-SVG config: xu_enc_hidden_depth 2. */
  readonly encoderHiddenLayers?: number;
  /** SAC-SVG config: rec_latent_dim 512 (the encoder's output and the GRU width). */
  readonly latentSize?: number;
  /** SAC-SVG config: rec_num_layers 2. */
  readonly recurrentLayers?: number;
  readonly rng: Rng;
}

/** One model step's result: the next observation and the recurrent state after it. */
export interface DynamicsStep {
  readonly nextObservation: tf.Tensor;
  readonly state: tf.Tensor[];
}

export class ObservationDynamics extends Module {
  readonly xuEncoder: Sequential;
  readonly recurrence: GruStack;
  readonly decoder: Sequential;

  constructor(
    readonly observationSize: number,
    readonly actionSize: number,
    parts: { xuEncoder: Sequential; recurrence: GruStack; decoder: Sequential },
  ) {
    super();
    this.xuEncoder = this.addChild('xu_encoder', parts.xuEncoder);
    this.recurrence = this.addChild('recurrence', parts.recurrence);
    this.decoder = this.addChild('decoder', parts.decoder);
  }

  static create(options: ObservationDynamicsOptions): ObservationDynamics {
    const latent = options.latentSize ?? 512;
    const hidden = options.encoderHiddenSize ?? 512;
    const depth = options.encoderHiddenLayers ?? 2;
    const xuEncoder = mlp({
      inputSize: options.observationSize + options.actionSize,
      hiddenSizes: Array.from({ length: depth }, () => hidden),
      outputSize: latent,
      activation: 'relu',
      rng: options.rng,
    });
    const recurrence = GruStack.create(latent, latent, options.recurrentLayers ?? 2, options.rng);
    const decoder = mlp({
      inputSize: latent,
      hiddenSizes: [],
      outputSize: options.observationSize,
      rng: options.rng,
    });
    return new ObservationDynamics(options.observationSize, options.actionSize, {
      xuEncoder,
      recurrence,
      decoder,
    });
  }

  /** Zero recurrent state for a batch of B. */
  initialState(batchSize: number): tf.Tensor[] {
    return this.recurrence.initialState(batchSize);
  }

  /** x_{t+1} from x_t [B, obs], u_t [B, act] and the recurrent state. Use inside tf.tidy. */
  step(observation: tf.Tensor, action: tf.Tensor, state: readonly tf.Tensor[]): DynamicsStep {
    const embedding = this.xuEncoder.forward(tf.concat([observation, action], -1));
    const { output, state: next } = this.recurrence.step(embedding, state);
    return { nextObservation: tf.add(observation, this.decoder.forward(output)), state: next };
  }

  /**
   * Predictions x_1..x_K [K, B, obs] from x_0 [B, obs] and actions [K, B, act], each step fed the
   * previous prediction. `feedBack` maps each observation before it enters a step; the dynamics
   * loss passes a stop-gradient there (the authors' detach_xt when the model is fit), so each step
   * is trained on its own error.
   */
  unroll(
    firstObservation: tf.Tensor,
    actions: tf.Tensor,
    feedBack: (x: tf.Tensor) => tf.Tensor = (x) => x,
  ): tf.Tensor {
    return tf.tidy(() => {
      const [K, B] = actions.shape;
      let state = this.initialState(B);
      let x = firstObservation;
      const predictions: tf.Tensor[] = [];
      for (let k = 0; k < K; k++) {
        const input = feedBack(x);
        const action = tf.reshape(tf.slice(actions, [k], [1]), actions.shape.slice(1));
        const next = this.step(input, action, state);
        predictions.push(next.nextObservation);
        x = next.nextObservation;
        state = next.state;
      }
      return tf.stack(predictions);
    });
  }

  override clone(): ObservationDynamics {
    return new ObservationDynamics(this.observationSize, this.actionSize, {
      xuEncoder: this.xuEncoder.clone(),
      recurrence: this.recurrence.clone(),
      decoder: this.decoder.clone(),
    });
  }
}
