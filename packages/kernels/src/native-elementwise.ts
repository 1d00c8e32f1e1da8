/**
 * Native element-wise kernels for the wasm backend, from the same optional addon as the BLAS
 * products: Tanh, Softplus and Elu with its gradient (vectorised libm, several times the wasm
 * kernels' speed on large tensors) and Sum / Mean over leading or trailing axes (the bias gradients and layer-norm
 * statistics; accumulated in double). They read and write the wasm heap in place, like the
 * products, and fall back to the kernel beneath for anything else (other dtypes, reductions over
 * axes in the middle).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NativeBlas } from './native';
import { addKernelLayer, kernelLayers, removeKernelLayer } from './kernel-layers';
import { heapBuffer, heapOffset, wasmView, type WasmBackendView } from './wasm-heap';

const offsetOf = (backend: WasmBackendView, t: tf.TensorInfo): number =>
  heapOffset(backend, t, 'native element-wise kernel');

/** Same rank as the products: over the wasm kernels. */
const TAG = 'native-elementwise';
const RANK = 1;
const UNARY = { Tanh: 0, Softplus: 1, Elu: 2 } as const;
const REDUCTIONS = ['Sum', 'Mean'] as const;

interface ReductionAttrs {
  /** null: every axis. */
  axis: number | number[] | null;
  keepDims: boolean;
}

export function isNativeElementwiseInstalled(): boolean {
  return kernelLayers('Tanh', 'wasm').includes(TAG);
}

/** Register the native element-wise kernels over the wasm ones. Idempotent. */
export function installNativeElementwise(blas: NativeBlas): boolean {
  let ok = true;
  for (const [name, op] of Object.entries(UNARY)) {
    ok = addKernelLayer(name, 'wasm', TAG, RANK, (beneath) => unaryKernel(blas, op, beneath)) && ok;
  }
  ok = addKernelLayer('EluGrad', 'wasm', TAG, RANK, (beneath) => eluGradKernel(blas, beneath)) && ok;
  for (const name of REDUCTIONS) {
    ok =
      addKernelLayer(name, 'wasm', TAG, RANK, (beneath) => reductionKernel(blas, name === 'Mean', beneath)) &&
      ok;
  }
  return ok;
}

export function uninstallNativeElementwise(): boolean {
  let removed = false;
  for (const name of [...Object.keys(UNARY), 'EluGrad', ...REDUCTIONS]) {
    removed = removeKernelLayer(name, 'wasm', TAG) || removed;
  }
  return removed;
}

function unaryKernel(blas: NativeBlas, op: 0 | 1 | 2, beneath: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const backend = wasmView(args.backend);
    if (x.dtype !== 'float32') return beneath(args);
    const out = backend.makeOutput(x.shape, 'float32');
    const n = tf.util.sizeFromShape(x.shape);
    if (n === 0) return out;
    const xOffset = offsetOf(backend, x);
    const yOffset = offsetOf(backend, out);
    // Taken after makeOutput: an allocation may have grown the heap and replaced its buffer.
    blas.unary(op, heapBuffer(backend), xOffset, yOffset, n);
    return out;
  };
}

function eluGradKernel(blas: NativeBlas, beneath: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { dy, y } = args.inputs as { dy: tf.TensorInfo; y: tf.TensorInfo };
    const n = tf.util.sizeFromShape(y.shape);
    if (dy.dtype !== 'float32' || y.dtype !== 'float32' || tf.util.sizeFromShape(dy.shape) !== n)
      return beneath(args);
    const backend = wasmView(args.backend);
    const out = backend.makeOutput([...y.shape], 'float32');
    if (n === 0) return out;
    const dyOffset = offsetOf(backend, dy);
    const yOffset = offsetOf(backend, y);
    const dxOffset = offsetOf(backend, out);
    blas.eluGrad(heapBuffer(backend), dyOffset, yOffset, dxOffset, n);
    return out;
  };
}

/**
 * Sum or mean over `axis` when the axes are the leading ones or the trailing ones (contiguous
 * blocks of memory); otherwise the kernel beneath.
 */
function reductionKernel(blas: NativeBlas, mean: boolean, beneath: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as ReductionAttrs;
    const rank = x.shape.length;
    if (x.dtype !== 'float32' || rank === 0) return beneath(args);
    const requested = axis == null ? [...x.shape.keys()] : Array.isArray(axis) ? axis : [axis];
    const axes = [...new Set(requested.map((a) => (a < 0 ? a + rank : a)))].sort((p, q) => p - q);
    if (axes.length === 0 || axes.some((a, i) => a !== axes[0] + i)) return beneath(args);
    const leading = axes[0] === 0;
    if (!leading && axes[axes.length - 1] !== rank - 1) return beneath(args);
    const reduced = tf.util.sizeFromShape(axes.map((a) => x.shape[a]));
    const kept = tf.util.sizeFromShape(x.shape) / Math.max(reduced, 1);
    if (reduced === 0 || kept === 0 || !Number.isInteger(kept)) return beneath(args);
    const outShape = keepDims
      ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
      : x.shape.filter((_, i) => !axes.includes(i));
    const backend = wasmView(args.backend);
    const out = backend.makeOutput(outShape, 'float32');
    const xOffset = offsetOf(backend, x);
    const yOffset = offsetOf(backend, out);
    const heap = heapBuffer(backend);
    const scale = mean ? 1 / reduced : 1;
    if (leading) blas.sum(heap, xOffset, reduced, kept, true, yOffset, scale);
    else blas.sum(heap, xOffset, kept, reduced, false, yOffset, scale);
    return out;
  };
}
