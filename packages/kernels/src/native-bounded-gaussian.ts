/**
 * The Gaussian head of the encoder and latent model (@mbrl-ts/nn's boundedGaussian) as two
 * native kernels for the wasm backend (the optional addon's `boundedGaussian` and its gradient):
 * one kernel each way instead of about ten small ones forward and fifteen backward, each of which
 * costs an engine round trip. Registered only when the addon is in use; `boundedGaussian` asks
 * whether the current backend has them and otherwise computes with tfjs's ops.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NativeBlas } from './native';
import {
  BOUNDED_GAUSSIAN_GRAD_KERNEL,
  BOUNDED_GAUSSIAN_KERNEL,
  boundedGaussianGradient,
  type BoundedGaussianAttrs,
} from '@mbrl-ts/nn';
import { registerWasmKernels, unregisterWasmKernels } from './native-kernels';
import { heapBuffer, heapOffset, wasmView } from './wasm-heap';

/** rows x d of params [..., 2d] after checking every tensor. */
function layout(kernel: string, params: tf.TensorInfo, halves: tf.TensorInfo[]): { rows: number; d: number } {
  const width = params.shape[params.shape.length - 1] ?? 0;
  const d = width / 2;
  const rows = d > 0 ? tf.util.sizeFromShape(params.shape) / width : 0;
  if (
    params.dtype !== 'float32' ||
    params.shape.length === 0 ||
    width % 2 !== 0 ||
    !halves.every((t) => t.dtype === 'float32' && tf.util.sizeFromShape(t.shape) === rows * d)
  ) {
    throw new Error(
      `${kernel}: expected float32 params [..., 2d] and float32 halves [..., d]; got params [${params.shape}]`,
    );
  }
  return { rows, d };
}

function forwardKernel(blas: NativeBlas): tf.KernelFunc {
  return (args) => {
    const { params } = args.inputs as { params: tf.TensorInfo };
    const { bound, lo, hi } = args.attrs as unknown as BoundedGaussianAttrs;
    const { rows, d } = layout(BOUNDED_GAUSSIAN_KERNEL, params, []);
    const backend = wasmView(args.backend);
    const half = [...params.shape.slice(0, -1), d];
    const mean = backend.makeOutput(half, 'float32');
    const std = backend.makeOutput(half, 'float32');
    if (rows * d === 0) return [mean, std];
    const offset = (t: tf.TensorInfo) => heapOffset(backend, t, BOUNDED_GAUSSIAN_KERNEL);
    blas.boundedGaussian(
      heapBuffer(backend),
      rows,
      d,
      offset(params),
      offset(mean),
      offset(std),
      bound,
      lo,
      hi,
    );
    return [mean, std];
  };
}

function gradKernel(blas: NativeBlas): tf.KernelFunc {
  return (args) => {
    const { dmean, dstd, params, mean } = args.inputs as Record<
      'dmean' | 'dstd' | 'params' | 'mean',
      tf.TensorInfo
    >;
    const { bound, lo, hi } = args.attrs as unknown as BoundedGaussianAttrs;
    const { rows, d } = layout(BOUNDED_GAUSSIAN_GRAD_KERNEL, params, [dmean, dstd, mean]);
    const backend = wasmView(args.backend);
    const dparams = backend.makeOutput([...params.shape], 'float32');
    if (rows * d === 0) return dparams;
    const offset = (t: tf.TensorInfo) => heapOffset(backend, t, BOUNDED_GAUSSIAN_GRAD_KERNEL);
    blas.boundedGaussianGrad(
      heapBuffer(backend),
      rows,
      d,
      offset(dmean),
      offset(dstd),
      offset(params),
      offset(mean),
      offset(dparams),
      bound,
      lo,
      hi,
    );
    return dparams;
  };
}

export function isNativeBoundedGaussianInstalled(): boolean {
  return tf.getKernel(BOUNDED_GAUSSIAN_KERNEL, 'wasm') !== undefined;
}

/** Register both kernels for wasm, and the head's gradient (once per process). Idempotent. */
export function installNativeBoundedGaussian(blas: NativeBlas): void {
  if (tf.getGradient(BOUNDED_GAUSSIAN_KERNEL) === undefined) tf.registerGradient(boundedGaussianGradient);
  registerWasmKernels({
    [BOUNDED_GAUSSIAN_KERNEL]: forwardKernel(blas),
    [BOUNDED_GAUSSIAN_GRAD_KERNEL]: gradKernel(blas),
  });
}

/** Remove both kernels (the head goes back to tfjs's ops). Returns whether anything changed. */
export function uninstallNativeBoundedGaussian(): boolean {
  return unregisterWasmKernels([BOUNDED_GAUSSIAN_KERNEL, BOUNDED_GAUSSIAN_GRAD_KERNEL]);
}
