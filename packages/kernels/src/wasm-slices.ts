/**
 * Slices without copying the whole input: the wasm backend's Slice (and SplitV and Unpack, which
 * call it once per piece) first reads the entire input out of the heap (readSync makes a fresh
 * copy of it) and then copies the piece. Splitting a [3B, n] tensor in three copied it three
 * times over. These kernels copy only the piece, straight from heap to heap, and Concat copies
 * rows without a view per row. Same values.
 */
import * as tf from '@tensorflow/tfjs-core';
import { addKernelLayer, kernelLayers, removeKernelLayer } from './kernel-layers';
import { heapOffset, wasmView, type WasmBackendView } from './wasm-heap';

const TAG = 'heap-slices';

/** Bytes per element as the wasm backend stores the dtype (bool as one byte). */
const elementBytes = (dtype: tf.DataType): number => (dtype === 'bool' ? 1 : 4);

const byteOffset = (backend: WasmBackendView, t: tf.TensorInfo): number =>
  heapOffset(backend, t, 'heap slices');

/**
 * x[begin : begin + size] (every axis), copied heap to heap; x is not a string tensor. Each
 * contiguous run is one `copyWithin` over the heap (a memmove; a typed-array view per row cost
 * more than the copy for rows of tens of elements).
 */
function heapSlice(
  backend: WasmBackendView,
  x: tf.TensorInfo,
  begin: readonly number[],
  size: readonly number[],
): tf.TensorInfo {
  const out = backend.makeOutput([...size], x.dtype);
  const count = size.reduce((p, d) => p * d, 1);
  if (count === 0) return out;
  const bytes = elementBytes(x.dtype);
  const from = byteOffset(backend, x);
  const to = byteOffset(backend, out);
  // Taken after makeOutput: an allocation may have replaced the heap's buffer.
  const heap = backend.wasm.HEAPU8;
  const rank = x.shape.length;
  const strides = tf.util.computeStrides(x.shape);
  if (tf.slice_util.isSliceContinous(x.shape, [...begin], [...size])) {
    const start = from + bytes * tf.slice_util.computeFlatOffset([...begin], strides);
    heap.copyWithin(to, start, start + bytes * count);
    return out;
  }
  // Row by row along the last axis; `index` counts over the outer axes of the piece.
  const rowBytes = bytes * size[rank - 1];
  const index = new Array<number>(Math.max(rank - 1, 0)).fill(0);
  for (let written = to, end = to + bytes * count; written < end; written += rowBytes) {
    let offset = begin[rank - 1];
    for (let a = 0; a < rank - 1; a++) offset += (begin[a] + index[a]) * strides[a];
    const start = from + bytes * offset;
    heap.copyWithin(written, start, start + rowBytes);
    for (let a = rank - 2; a >= 0; a--) {
      if (++index[a] < size[a]) break;
      index[a] = 0;
    }
  }
  return out;
}

function sliceKernel(beneath: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype === 'string') return beneath(args);
    const { begin, size } = args.attrs as unknown as { begin: number | number[]; size: number | number[] };
    const [b, s] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
    return heapSlice(wasmView(args.backend), x, b, s);
  };
}

function splitVKernel(beneath: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype === 'string') return beneath(args);
    const { numOrSizeSplits, axis } = args.attrs as unknown as {
      numOrSizeSplits: number | number[];
      axis: number;
    };
    const at = tf.util.parseAxisParam(axis, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, at);
    const begin = new Array<number>(x.shape.length).fill(0);
    const backend = wasmView(args.backend);
    return sizes.map((s) => {
      const size = [...x.shape];
      size[at] = s;
      const piece = heapSlice(backend, x, begin, size);
      begin[at] += s;
      return piece;
    });
  };
}

function unpackKernel(beneath: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { value } = args.inputs as { value: tf.TensorInfo };
    if (value.dtype === 'string') return beneath(args);
    const rank = value.shape.length;
    let { axis } = args.attrs as unknown as { axis: number };
    if (axis < 0) axis += rank;
    const outShape = value.shape.filter((_, i) => i !== axis);
    const begin = new Array<number>(rank).fill(0);
    const size = [...value.shape];
    size[axis] = 1;
    const backend = wasmView(args.backend);
    const pieces: tf.TensorInfo[] = [];
    for (let i = 0; i < value.shape[axis]; i++) {
      begin[axis] = i;
      const piece = heapSlice(backend, value, begin, size);
      pieces.push({ dataId: piece.dataId, dtype: piece.dtype, shape: outShape });
    }
    return pieces;
  };
}

/**
 * Concat along any axis, row by row like the wasm kernel, each row one copyWithin over the heap
 * (the wasm kernel makes a subarray view per row and input: [512, 50] ++ [512, 6] took ~0.5 ms).
 */
function concatKernel(beneath: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const inputs = args.inputs as unknown as tf.TensorInfo[];
    if (inputs.length < 2 || inputs.some((t) => t.dtype === 'string' || t.dtype !== inputs[0].dtype)) {
      return beneath(args);
    }
    const { axis: axisAttr } = args.attrs as unknown as { axis: number | number[] };
    const axis = tf.util.parseAxisParam(axisAttr, inputs[0].shape)[0];
    const shapes = inputs.map((t) => t.shape);
    tf.backend_util.assertParamsConsistent(shapes, axis);
    const nonEmpty = inputs.filter((t) => tf.util.sizeFromShape(t.shape) > 0);
    if (nonEmpty.length < 2) return beneath(args);
    const backend = wasmView(args.backend);
    const out = backend.makeOutput(tf.backend_util.computeOutShape(shapes, axis), inputs[0].dtype);
    const bytes = elementBytes(out.dtype);
    const rows = tf.util.sizeFromShape(nonEmpty[0].shape.slice(0, axis));
    const widths = nonEmpty.map((t) => bytes * tf.util.sizeFromShape(t.shape.slice(axis)));
    const total = widths.reduce((p, w) => p + w, 0);
    const from = nonEmpty.map((t) => byteOffset(backend, t));
    let column = byteOffset(backend, out);
    // Taken after makeOutput: an allocation may have replaced the heap's buffer.
    const heap = backend.wasm.HEAPU8;
    for (let i = 0; i < nonEmpty.length; i++) {
      const width = widths[i];
      for (let r = 0, read = from[i], written = column; r < rows; r++, read += width, written += total) {
        heap.copyWithin(written, read, read + width);
      }
      column += width;
    }
    return out;
  };
}

const KERNELS: Record<string, (beneath: tf.KernelFunc) => tf.KernelFunc> = {
  Concat: concatKernel,
  Slice: sliceKernel,
  SplitV: splitVKernel,
  Unpack: unpackKernel,
};

export function isWasmSlicesInstalled(): boolean {
  return kernelLayers('Slice', 'wasm').includes(TAG);
}

/** Register the heap-to-heap Concat, Slice, SplitV and Unpack for wasm. Idempotent. */
export function installWasmSlices(): boolean {
  let ok = true;
  for (const [name, make] of Object.entries(KERNELS)) ok = addKernelLayer(name, 'wasm', TAG, 0, make) && ok;
  return ok;
}

export function uninstallWasmSlices(): boolean {
  let removed = false;
  for (const name of Object.keys(KERNELS)) removed = removeKernelLayer(name, 'wasm', TAG) || removed;
  return removed;
}
