/**
 * The slice of tfjs's wasm backend that our kernels use (a typed boundary onto its internals):
 * where a tensor lives in the heap, making and dropping outputs, and the heap itself. Shared by
 * the native kernels (blas-kernels, native-*) and the heap-to-heap slices.
 */
import type * as tf from '@tensorflow/tfjs-core';

export interface WasmBackendView {
  dataIdMap: { get(dataId: object): { memoryOffset: number | null } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  disposeData(dataId: object): boolean;
  wasm: { HEAPU8: Uint8Array };
}

/** The kernel's backend argument as the view above. */
export const wasmView = (backend: unknown): WasmBackendView => backend as WasmBackendView;

/** The byte offset of a tensor in the heap; `who` names the kernel in the error. */
export function heapOffset(backend: WasmBackendView, t: tf.TensorInfo, who: string): number {
  const offset = backend.dataIdMap.get(t.dataId)?.memoryOffset;
  if (offset == null) throw new Error(`${who}: a tensor has no memory in the wasm heap`);
  return offset;
}

/**
 * The heap's current ArrayBuffer. Take it after the last makeOutput of a call: an allocation may
 * grow the heap and replace its buffer.
 */
export const heapBuffer = (backend: WasmBackendView): ArrayBuffer =>
  backend.wasm.HEAPU8.buffer as ArrayBuffer;
