/**
 * Native element-wise arithmetic for the wasm backend, from the optional addon: Add, Sub,
 * Multiply, RealDiv, Square and Neg over float32 tensors. Each element is one IEEE float32
 * operation, as in the wasm kernels, so results are bit for bit theirs; the native loops are
 * vectorised for the CPU (AVX-512 / AVX2). They cover the broadcasts of dense layers (same
 * shapes, a scalar on either side, a trailing vector such as a bias, a column of one value per
 * row) and fall back to the kernel beneath for anything else (other dtypes, other broadcasts,
 * incompatible shapes, whose error the kernel beneath reports).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NativeBlas } from './native';
import { addKernelLayer, kernelLayers, removeKernelLayer } from './kernel-layers';
import { heapBuffer, heapOffset, wasmView, type WasmBackendView } from './wasm-heap';

const offsetOf = (backend: WasmBackendView, t: tf.TensorInfo): number =>
  heapOffset(backend, t, 'native binary kernel');

/** Same rank as the products: over the wasm kernels. */
const TAG = 'native-binary';
const RANK = 1;

/** The addon's operation codes (native/binary.h). */
const BINARY = { Add: 0, Sub: 1, Multiply: 2, RealDiv: 3 } as const;
const MULTIPLY = 2;
const NEGATE = 4;

/** How an operand covers the outer x n result (native/binary.h). */
const FULL = 0;
const SCALAR = 1;
const ROW = 2;
const COLUMN = 3;
type OperandKind = typeof FULL | typeof SCALAR | typeof ROW | typeof COLUMN;

export function isNativeBinaryInstalled(): boolean {
  return kernelLayers('Add', 'wasm').includes(TAG);
}

/** Register the native arithmetic over the wasm kernels. Idempotent. */
export function installNativeBinary(blas: NativeBlas): boolean {
  let ok = true;
  for (const [name, op] of Object.entries(BINARY)) {
    ok = addKernelLayer(name, 'wasm', TAG, RANK, (beneath) => binaryKernel(blas, op, beneath)) && ok;
  }
  ok = addKernelLayer('Square', 'wasm', TAG, RANK, (beneath) => unaryKernel(blas, MULTIPLY, beneath)) && ok;
  ok = addKernelLayer('Neg', 'wasm', TAG, RANK, (beneath) => unaryKernel(blas, NEGATE, beneath)) && ok;
  return ok;
}

export function uninstallNativeBinary(): boolean {
  let removed = false;
  for (const name of [...Object.keys(BINARY), 'Square', 'Neg']) {
    removed = removeKernelLayer(name, 'wasm', TAG) || removed;
  }
  return removed;
}

/** numpy's broadcast of two shapes, or null when they do not broadcast. */
function broadcastShape(a: readonly number[], b: readonly number[]): number[] | null {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return null;
    out.push(da === 1 ? db : da);
  }
  return out;
}

/**
 * How `shape` covers a broadcast result of outer rows of n, or null for a pattern the addon
 * does not take. `shape` is known to broadcast to the result.
 */
function kindOf(shape: number[], outer: number, n: number): OperandKind | null {
  const size = tf.util.sizeFromShape(shape);
  if (size === outer * n) return FULL;
  if (size === 1) return SCALAR;
  const last = shape[shape.length - 1];
  if (last === n && size === n) return ROW;
  if (last === 1 && size === outer) return COLUMN;
  return null;
}

function binaryKernel(blas: NativeBlas, op: 0 | 1 | 2 | 3, beneath: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return beneath(args);
    const outShape = broadcastShape(a.shape, b.shape);
    if (outShape === null) return beneath(args);
    const size = tf.util.sizeFromShape(outShape);
    const n = outShape.length === 0 ? 1 : outShape[outShape.length - 1];
    const outer = n === 0 ? 0 : size / n;
    const aKind = kindOf(a.shape, outer, n);
    const bKind = kindOf(b.shape, outer, n);
    if (size !== 0 && (aKind === null || bKind === null)) return beneath(args);
    const backend = wasmView(args.backend);
    const out = backend.makeOutput(outShape, 'float32');
    if (size === 0 || aKind === null || bKind === null) return out;
    const aOffset = offsetOf(backend, a);
    const bOffset = offsetOf(backend, b);
    const yOffset = offsetOf(backend, out);
    // Taken after makeOutput: an allocation may have grown the heap and replaced its buffer.
    const heap = heapBuffer(backend);
    blas.binary(op, heap, aOffset, aKind, bOffset, bKind, yOffset, outer, n);
    return out;
  };
}

/** Square as x * x and Neg as -x, over every element. */
function unaryKernel(
  blas: NativeBlas,
  op: typeof MULTIPLY | typeof NEGATE,
  beneath: tf.KernelFunc,
): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype !== 'float32') return beneath(args);
    const backend = wasmView(args.backend);
    const out = backend.makeOutput([...x.shape], 'float32');
    const n = tf.util.sizeFromShape(x.shape);
    if (n === 0) return out;
    const xOffset = offsetOf(backend, x);
    const yOffset = offsetOf(backend, out);
    blas.binary(op, heapBuffer(backend), xOffset, FULL, xOffset, FULL, yOffset, 1, n);
    return out;
  };
}
