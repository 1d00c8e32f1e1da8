/**
 * Adam (Kingma & Ba) with torch's defaults and update rule:
 *   m <- b1 m + (1 - b1) g;   v <- b2 v + (1 - b2) g^2;   t <- t + 1
 *   p <- p - lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * State (m, v, t) is kept per variable. `minimize` differentiates a loss closure with respect to
 * exactly the variables it is given (tf.variableGrads with an explicit list), clips the global
 * gradient norm (default 100, the paper's), and updates only those variables.
 *
 * Where the backend in use has the native Adam kernel (@mbrl-ts/kernels' native-optim: the wasm
 * backend with the addon built), each variable's step is that one kernel, with the same
 * arithmetic; otherwise it is tfjs's element-wise ops. The state (m, v, t) is the same either way.
 */
import * as tf from '@tensorflow/tfjs-core';
import { VariableMismatchError } from '../errors';
import { variableFrom, type NamedVariables } from '../modules/module';
import { ADAM_STEP_KERNEL, backendHasKernel, type AdamStepAttrs } from '../kernel-names';
import { DEFAULT_MAX_GRAD_NORM, clipCoefficient, globalNorm } from './clip';
import { namedSelection, selectVariables, type VariableSelection } from './selection';

export interface AdamOptions {
  learningRate: number;
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-8. */
  epsilon?: number;
  /** Global gradient-norm clip; null disables clipping. Default 100. */
  maxGradNorm?: number | null;
}

export interface StepResult {
  /** The loss before the update. */
  loss: number;
  /** The global gradient norm before clipping. */
  gradNorm: number;
}

interface Moments {
  m: tf.Variable;
  v: tf.Variable;
  step: number;
}

export class Adam {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly maxGradNorm: number | null;
  private readonly moments = new Map<tf.Variable, Moments>();

  constructor(options: AdamOptions) {
    this.learningRate = options.learningRate;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.maxGradNorm = options.maxGradNorm === undefined ? DEFAULT_MAX_GRAD_NORM : options.maxGradNorm;
    if (!(this.learningRate > 0))
      throw new RangeError(`Adam: learningRate must be > 0, got ${options.learningRate}`);
  }

  /**
   * One update of `variables` (and nothing else) down the gradient of `loss`. Variables the loss
   * does not depend on get no gradient and are left untouched, as in torch. Throws
   * NonFiniteGradientError, without updating, when the gradient norm is NaN or infinite.
   */
  minimize(loss: () => tf.Scalar, variables: VariableSelection): StepResult {
    const list = selectVariables(variables);
    const { value, grads } = tf.variableGrads(loss, list);
    const pairs: Array<[tf.Variable, tf.Tensor]> = [];
    for (const variable of list) {
      const grad = grads[variable.name];
      if (grad !== undefined) pairs.push([variable, grad]);
    }
    try {
      const readout = tf.tidy(() => tf.stack([value, globalNorm(pairs.map(([, g]) => g))]));
      const [lossValue, gradNorm] = readout.dataSync();
      readout.dispose();
      const scale = clipCoefficient(gradNorm, this.maxGradNorm);
      const fused = backendHasKernel(ADAM_STEP_KERNEL);
      for (const [variable, grad] of pairs) {
        if (fused && variable.dtype === 'float32' && grad.dtype === 'float32')
          this.fusedUpdate(variable, grad, scale);
        else this.update(variable, grad, scale);
      }
      return { loss: lossValue, gradNorm };
    } finally {
      value.dispose();
      tf.dispose(Object.values(grads));
    }
  }

  /** Apply one Adam update to `variable` with gradient `scale * grad`. */
  private update(variable: tf.Variable, grad: tf.Tensor, scale: number): void {
    const state = this.stateOf(variable);
    state.step += 1;
    const { beta1, beta2, epsilon } = this;
    const stepSize = this.learningRate / (1 - beta1 ** state.step);
    const sqrtBiasCorrection2 = Math.sqrt(1 - beta2 ** state.step);
    tf.tidy(() => {
      const g = scale === 1 ? grad : tf.mul(grad, scale);
      state.m.assign(tf.add(tf.mul(state.m, beta1), tf.mul(g, 1 - beta1)));
      state.v.assign(tf.add(tf.mul(state.v, beta2), tf.mul(tf.square(g), 1 - beta2)));
      const denominator = tf.add(tf.div(tf.sqrt(state.v), sqrtBiasCorrection2), epsilon);
      variable.assign(tf.sub(variable, tf.mul(tf.div(state.m, denominator), stepSize)));
    });
  }

  /** The same update as `update`, as one native kernel (ADAM_STEP_KERNEL). */
  private fusedUpdate(variable: tf.Variable, grad: tf.Tensor, scale: number): void {
    const state = this.stateOf(variable);
    state.step += 1;
    const attrs: AdamStepAttrs = {
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      stepSize: this.learningRate / (1 - this.beta1 ** state.step),
      sqrtBiasCorrection2: Math.sqrt(1 - this.beta2 ** state.step),
      scale,
    };
    tf.tidy(() => {
      const [param, m, v] = tf
        .engine()
        .runKernel(
          ADAM_STEP_KERNEL,
          { param: variable, m: state.m, v: state.v, grad },
          attrs as unknown as tf.NamedAttrMap,
        ) as tf.Tensor[];
      state.m.assign(m);
      state.v.assign(v);
      variable.assign(param);
    });
  }

  private stateOf(variable: tf.Variable): Moments {
    let state = this.moments.get(variable);
    if (state === undefined) {
      state = {
        m: variableFrom(() => tf.zerosLike(variable), false),
        v: variableFrom(() => tf.zerosLike(variable), false),
        step: 0,
      };
      this.moments.set(variable, state);
    }
    return state;
  }

  /** Number of updates applied to `variable` so far (0 if never). */
  stepOf(variable: tf.Variable): number {
    return this.moments.get(variable)?.step ?? 0;
  }

  /**
   * The optimizer state for the named variables as tensors ("<name>.adam_m", "<name>.adam_v",
   * "<name>.adam_step"), ready for saveTensors. Variables never updated are left out.
   * The returned tensors are copies owned by the caller.
   */
  getState(variables: VariableSelection): Map<string, tf.Tensor> {
    const out = new Map<string, tf.Tensor>();
    for (const [name, variable] of namedSelection(variables)) {
      const state = this.moments.get(variable);
      if (state === undefined) continue;
      out.set(`${name}.adam_m`, state.m.clone());
      out.set(`${name}.adam_v`, state.v.clone());
      out.set(`${name}.adam_step`, tf.scalar(state.step, 'int32'));
    }
    return out;
  }

  /** Restore state produced by getState for the same names; checks shapes. */
  setState(variables: VariableSelection, tensors: Map<string, tf.Tensor>): void {
    const named: NamedVariables = namedSelection(variables);
    const known = new Set<string>();
    for (const [name, variable] of named) {
      const m = tensors.get(`${name}.adam_m`);
      const v = tensors.get(`${name}.adam_v`);
      const step = tensors.get(`${name}.adam_step`);
      if (m === undefined && v === undefined && step === undefined) continue;
      if (m === undefined || v === undefined || step === undefined) {
        throw new VariableMismatchError(
          `optimizer state for '${name}' is incomplete (needs adam_m, adam_v, adam_step)`,
        );
      }
      for (const [part, t] of [
        ['adam_m', m],
        ['adam_v', v],
      ] as const) {
        if (t.shape.join(',') !== variable.shape.join(',')) {
          throw new VariableMismatchError(
            `'${name}.${part}' has shape [${t.shape}], the variable has [${variable.shape}]`,
          );
        }
      }
      const state = this.stateOf(variable);
      state.m.assign(m);
      state.v.assign(v);
      state.step = step.dataSync()[0];
      for (const part of ['adam_m', 'adam_v', 'adam_step']) known.add(`${name}.${part}`);
    }
    const unknown = [...tensors.keys()].filter((key) => !known.has(key));
    if (unknown.length > 0) {
      throw new VariableMismatchError(
        `optimizer state has entries for unknown variables: ${unknown.slice(0, 5).join(', ')}`,
      );
    }
  }

  /** Release the moment tensors. */
  dispose(): void {
    for (const state of this.moments.values()) {
      state.m.dispose();
      state.v.dispose();
    }
    this.moments.clear();
  }
}
