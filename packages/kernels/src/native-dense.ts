/**
 * A dense layer, y = x w + bias (then ELU), as one native kernel for the wasm backend (the optional
 * addon's `dense`): the same product as the BLAS BatchMatMul, with the bias add and the ELU done by
 * each thread on its block of y while that block is still in its cache, instead of two more
 * kernels that each read and write all of y. A kernel of its own name, registered only when the
 * addon is in use; @mbrl-ts/nn's `dense` op asks whether the current backend has it and
 * otherwise composes tfjs's matMul, add and elu.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NativeBlas } from './native';
import { DENSE_KERNEL, denseGradient, type DenseAttrs } from '@mbrl-ts/nn';
import { registerWasmKernels, unregisterWasmKernels } from './native-kernels';
import { heapBuffer, heapOffset, wasmView } from './wasm-heap';

function denseKernel(blas: NativeBlas): tf.KernelFunc {
  return (args) => {
    const { x, weight, bias } = args.inputs as Record<'x' | 'weight' | 'bias', tf.TensorInfo>;
    const { activation } = args.attrs as unknown as DenseAttrs;
    const [m, k] = x.shape;
    const n = weight.shape[1];
    if (
      [x, weight, bias].some((t) => t.dtype !== 'float32') ||
      x.shape.length !== 2 ||
      weight.shape.length !== 2 ||
      weight.shape[0] !== k ||
      bias.shape.length !== 1 ||
      bias.shape[0] !== n ||
      (activation !== 'linear' && activation !== 'elu')
    ) {
      throw new Error(
        `${DENSE_KERNEL}: expected float32 x [m, k], weight [k, n], bias [n] and activation 'linear' or 'elu'; ` +
          `got x [${x.shape}], weight [${weight.shape}], bias [${bias.shape}], activation ${String(activation)}`,
      );
    }
    const backend = wasmView(args.backend);
    const y = backend.makeOutput([m, n], 'float32');
    if (m === 0 || n === 0) return y;
    const offset = (t: tf.TensorInfo) => heapOffset(backend, t, DENSE_KERNEL);
    // Offsets and the heap's buffer taken after makeOutput (an allocation may grow the heap).
    blas.dense(
      heapBuffer(backend),
      m,
      n,
      k,
      offset(x),
      offset(weight),
      offset(bias),
      offset(y),
      activation === 'elu',
    );
    return y;
  };
}

export function isNativeDenseInstalled(): boolean {
  return tf.getKernel(DENSE_KERNEL, 'wasm') !== undefined;
}

/** Register the kernel for wasm, and its gradient (once per process). Idempotent. */
export function installNativeDense(blas: NativeBlas): void {
  if (tf.getGradient(DENSE_KERNEL) === undefined) tf.registerGradient(denseGradient);
  registerWasmKernels({ [DENSE_KERNEL]: denseKernel(blas) });
}

/** Remove the kernel (the dense op goes back to tfjs's ops). Returns whether anything changed. */
export function uninstallNativeDense(): boolean {
  return unregisterWasmKernels([DENSE_KERNEL]);
}
