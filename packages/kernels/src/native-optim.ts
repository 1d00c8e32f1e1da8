/**
 * Optimizer kernels on the native addon, for the wasm backend: Adam's whole step for one variable
 * in one pass over memory (instead of about fifteen element-wise kernels, each its own pass and
 * its own trip through the tfjs engine), and the sum of squares behind the global gradient norm
 * (one call per gradient instead of a Square and a Sum), and a target network's soft update (one
 * pass instead of two products and a sum). They are kernels of their own names (@mbrl-ts/nn names
 * them), registered only when the addon is in use; Adam and globalNorm ask whether the current backend
 * has them and otherwise compute with tfjs's ops as before.
 */
import * as tf from '@tensorflow/tfjs-core';
import { registerWasmKernels, unregisterWasmKernels } from './native-kernels';
import { heapBuffer, heapOffset, wasmView, type WasmBackendView } from './wasm-heap';
import type { NativeBlas } from './native';
import {
  ADAM_STEP_KERNEL,
  POLYAK_KERNEL,
  SUM_OF_SQUARES_KERNEL,
  type AdamStepAttrs,
  type PolyakAttrs,
} from '@mbrl-ts/nn';

const offsetOf = (backend: WasmBackendView, t: tf.TensorInfo): number =>
  heapOffset(backend, t, 'native optimizer kernel');

function adamStep(blas: NativeBlas): tf.KernelFunc {
  return (args) => {
    const { param, m, v, grad } = args.inputs as Record<'param' | 'm' | 'v' | 'grad', tf.TensorInfo>;
    const a = args.attrs as unknown as AdamStepAttrs;
    const n = tf.util.sizeFromShape(param.shape);
    for (const t of [param, m, v, grad]) {
      if (t.dtype !== 'float32' || tf.util.sizeFromShape(t.shape) !== n) {
        throw new Error(`${ADAM_STEP_KERNEL}: expected float32 tensors of shape [${param.shape}]`);
      }
    }
    const backend = wasmView(args.backend);
    const outs = [param, m, v].map((t) => backend.makeOutput([...t.shape], 'float32'));
    if (n === 0) return outs;
    // Offsets and the heap's buffer taken after makeOutput (an allocation may grow the heap).
    const [p, mo, vo] = outs.map((t) => offsetOf(backend, t));
    blas.adam(
      heapBuffer(backend),
      n,
      offsetOf(backend, param),
      offsetOf(backend, m),
      offsetOf(backend, v),
      offsetOf(backend, grad),
      p,
      mo,
      vo,
      a.beta1,
      a.beta2,
      a.epsilon,
      a.stepSize,
      a.sqrtBiasCorrection2,
      a.scale,
    );
    return outs;
  };
}

function sumOfSquares(blas: NativeBlas): tf.KernelFunc {
  return (args) => {
    const tensors = Object.values(args.inputs) as tf.TensorInfo[];
    const backend = wasmView(args.backend);
    const out = backend.makeOutput([], 'float32');
    const heap = heapBuffer(backend);
    let total = 0;
    for (const t of tensors) {
      if (t.dtype !== 'float32') throw new Error(`${SUM_OF_SQUARES_KERNEL}: expected float32 tensors`);
      total += blas.sumSquares(heap, offsetOf(backend, t), tf.util.sizeFromShape(t.shape));
    }
    new Float32Array(heap, offsetOf(backend, out), 1)[0] = total;
    return out;
  };
}

function polyak(blas: NativeBlas): tf.KernelFunc {
  return (args) => {
    const { target, online } = args.inputs as Record<'target' | 'online', tf.TensorInfo>;
    const { tau } = args.attrs as unknown as PolyakAttrs;
    const n = tf.util.sizeFromShape(target.shape);
    if (
      target.dtype !== 'float32' ||
      online.dtype !== 'float32' ||
      tf.util.sizeFromShape(online.shape) !== n
    ) {
      throw new Error(`${POLYAK_KERNEL}: expected float32 target and online of one shape [${target.shape}]`);
    }
    const backend = wasmView(args.backend);
    const out = backend.makeOutput([...target.shape], 'float32');
    if (n === 0) return out;
    // 1 - tau as tfjs's scalar for it: computed in double, stored as float32.
    blas.polyak(
      heapBuffer(backend),
      n,
      offsetOf(backend, target),
      offsetOf(backend, online),
      offsetOf(backend, out),
      tau,
      1 - tau,
    );
    return out;
  };
}

export function isNativeOptimInstalled(): boolean {
  return tf.getKernel(ADAM_STEP_KERNEL, 'wasm') !== undefined;
}

/** Register the kernels for wasm. Idempotent. */
export function installNativeOptim(blas: NativeBlas): void {
  registerWasmKernels({
    [ADAM_STEP_KERNEL]: adamStep(blas),
    [POLYAK_KERNEL]: polyak(blas),
    [SUM_OF_SQUARES_KERNEL]: sumOfSquares(blas),
  });
}

/** Remove the kernels (Adam, globalNorm and softUpdate go back to tfjs's ops). Returns whether anything changed. */
export function uninstallNativeOptim(): boolean {
  return unregisterWasmKernels([ADAM_STEP_KERNEL, SUM_OF_SQUARES_KERNEL, POLYAK_KERNEL]);
}
