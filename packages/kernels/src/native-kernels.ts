/**
 * Registering the addon's kernels of our own names (MbrlDense, MbrlLayerNorm, ...) for the wasm
 * backend and removing them again. @mbrl-ts/nn names them, and its ops that use them (dense,
 * layerNorm, boundedGaussian, Adam, softUpdate, globalNorm) ask `backendHasKernel` and take their
 * native path exactly when the backend in use has one.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Register each kernel for wasm unless it is registered already. */
export function registerWasmKernels(kernels: Record<string, tf.KernelFunc>): void {
  for (const [kernelName, kernelFunc] of Object.entries(kernels)) {
    if (tf.getKernel(kernelName, 'wasm') === undefined) {
      tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
    }
  }
}

/** Remove the named kernels from wasm. Returns whether any was registered. */
export function unregisterWasmKernels(names: readonly string[]): boolean {
  let removed = false;
  for (const name of names) {
    if (tf.getKernel(name, 'wasm') !== undefined) {
      tf.unregisterKernel(name, 'wasm');
      removed = true;
    }
  }
  return removed;
}
