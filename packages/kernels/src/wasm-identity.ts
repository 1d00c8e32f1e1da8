/**
 * A copy-free Identity kernel for the wasm backend.
 *
 * While a gradient tape records, tfjs saves every kernel's inputs/outputs for the backward pass
 * through the Identity kernel (engine.clone). The wasm backend's Identity copies the data; one ALM
 * update makes about 1100 such copies (tens of MB). Tensors are immutable and the wasm backend
 * counts references per buffer (its Reshape already shares buffers), so Identity can share the
 * buffer as tfjs's cpu backend does. Same values, no copy. A Cast to the dtype the tensor already
 * has (about 130 per ALM update, from tfjs's own ops and gradients) is the same copy and is
 * shared the same way.
 */
import * as tf from '@tensorflow/tfjs-core';
import { addKernelLayer, kernelLayers, removeKernelLayer } from './kernel-layers';

const TAG = 'shared-identity';

interface RefCountingBackend {
  incRef(dataId: object): void;
}

export function isWasmIdentityInstalled(): boolean {
  return kernelLayers('Identity', 'wasm').includes(TAG);
}

/** The input itself, one more reference to its buffer. */
function share(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const { x } = args.inputs as { x: tf.TensorInfo };
  (args.backend as unknown as RefCountingBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

/**
 * Register the copy-free Identity (and same-dtype Cast) for wasm. Idempotent; false when wasm is
 * not registered.
 */
export function installWasmIdentity(): boolean {
  const identity = addKernelLayer('Identity', 'wasm', TAG, 0, (beneath) => (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    return x.dtype === 'string' ? beneath(args) : share(args);
  });
  const cast = addKernelLayer('Cast', 'wasm', TAG, 0, (beneath) => (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { dtype } = args.attrs as unknown as { dtype: tf.DataType };
    return x.dtype === dtype && dtype !== 'string' ? share(args) : beneath(args);
  });
  return identity && cast;
}

export function uninstallWasmIdentity(): boolean {
  const cast = removeKernelLayer('Cast', 'wasm', TAG);
  return removeKernelLayer('Identity', 'wasm', TAG) || cast;
}
