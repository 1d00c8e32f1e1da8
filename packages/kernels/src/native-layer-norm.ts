/**
 * Layer normalisation as two native kernels for the wasm backend (the optional addon's
 * layer_norm.c): the forward writes y and each row's mean and 1/std; the backward writes dx,
 * dweight and dbias from dy, x, weight and those statistics, each in one pass over memory. They
 * are kernels of their own names (@mbrl-ts/nn names them), registered only when the addon is in
 * use; nn's layerNorm op asks whether the current backend has them and otherwise computes with
 * tfjs's ops.
 */
import * as tf from '@tensorflow/tfjs-core';
import { registerWasmKernels, unregisterWasmKernels } from './native-kernels';
import { heapBuffer, heapOffset, wasmView, type WasmBackendView } from './wasm-heap';
import type { NativeBlas } from './native';
import { LAYER_NORM_GRAD_KERNEL, LAYER_NORM_KERNEL, type LayerNormAttrs } from '@mbrl-ts/nn';

const offsetOf = (backend: WasmBackendView, t: tf.TensorInfo): number =>
  heapOffset(backend, t, 'native layer-norm kernel');

/** rows x cols of x, after checking every tensor is float32 and shaped as the kernel expects. */
function layout(
  kernel: string,
  x: tf.TensorInfo,
  perFeature: tf.TensorInfo[],
  perRow: tf.TensorInfo[],
  sameAsX: tf.TensorInfo[],
): { rows: number; cols: number } {
  const cols = x.shape[x.shape.length - 1] ?? 0;
  const rows = cols === 0 ? 0 : tf.util.sizeFromShape(x.shape) / cols;
  const fits = (t: tf.TensorInfo, size: number) =>
    t.dtype === 'float32' && tf.util.sizeFromShape(t.shape) === size;
  if (
    x.shape.length === 0 ||
    cols === 0 ||
    x.dtype !== 'float32' ||
    !perFeature.every((t) => fits(t, cols) && t.shape.length === 1) ||
    !perRow.every((t) => fits(t, rows)) ||
    !sameAsX.every((t) => fits(t, rows * cols))
  ) {
    throw new Error(
      `${kernel}: expected float32 tensors, x of shape [..., D] with D > 0, weight and bias of shape [D], ` +
        `mean and rstd with one value per row; got x of shape [${x.shape}]`,
    );
  }
  return { rows, cols };
}

function forwardKernel(blas: NativeBlas): tf.KernelFunc {
  return (args) => {
    const { x, weight, bias } = args.inputs as Record<'x' | 'weight' | 'bias', tf.TensorInfo>;
    const { eps, tanh } = args.attrs as unknown as LayerNormAttrs;
    const { rows, cols } = layout(LAYER_NORM_KERNEL, x, [weight, bias], [], []);
    const backend = wasmView(args.backend);
    const y = backend.makeOutput([...x.shape], 'float32');
    const mean = backend.makeOutput(x.shape.slice(0, -1), 'float32');
    const rstd = backend.makeOutput(x.shape.slice(0, -1), 'float32');
    if (rows === 0) return [y, mean, rstd];
    // Offsets and the heap's buffer taken after makeOutput (an allocation may grow the heap).
    const heap = heapBuffer(backend);
    blas.layerNorm(
      heap,
      rows,
      cols,
      offsetOf(backend, x),
      offsetOf(backend, weight),
      offsetOf(backend, bias),
      offsetOf(backend, y),
      offsetOf(backend, mean),
      offsetOf(backend, rstd),
      eps,
      tanh,
    );
    return [y, mean, rstd];
  };
}

function gradKernel(blas: NativeBlas): tf.KernelFunc {
  return (args) => {
    const { dy, x, weight, mean, rstd, y } = args.inputs as Record<
      'dy' | 'x' | 'weight' | 'mean' | 'rstd',
      tf.TensorInfo
    > & { y?: tf.TensorInfo };
    const sameAsX = y === undefined ? [dy] : [dy, y];
    const { rows, cols } = layout(LAYER_NORM_GRAD_KERNEL, x, [weight], [mean, rstd], sameAsX);
    const backend = wasmView(args.backend);
    const dx = backend.makeOutput([...x.shape], 'float32');
    const dweight = backend.makeOutput([cols], 'float32');
    const dbias = backend.makeOutput([cols], 'float32');
    const heap = heapBuffer(backend);
    blas.layerNormGrad(
      heap,
      rows,
      cols,
      offsetOf(backend, dy),
      offsetOf(backend, x),
      offsetOf(backend, weight),
      offsetOf(backend, mean),
      offsetOf(backend, rstd),
      offsetOf(backend, dx),
      offsetOf(backend, dweight),
      offsetOf(backend, dbias),
      y === undefined ? null : offsetOf(backend, y),
    );
    return [dx, dweight, dbias];
  };
}

export function isNativeLayerNormInstalled(): boolean {
  return tf.getKernel(LAYER_NORM_KERNEL, 'wasm') !== undefined;
}

/** Register both kernels for wasm. Idempotent. */
export function installNativeLayerNorm(blas: NativeBlas): void {
  registerWasmKernels({
    [LAYER_NORM_KERNEL]: forwardKernel(blas),
    [LAYER_NORM_GRAD_KERNEL]: gradKernel(blas),
  });
}

/** Remove both kernels (layerNorm goes back to tfjs's ops). Returns whether anything changed. */
export function uninstallNativeLayerNorm(): boolean {
  return unregisterWasmKernels([LAYER_NORM_KERNEL, LAYER_NORM_GRAD_KERNEL]);
}
