/**
 * A copy-free Identity kernel for the wasm backend.
 *
 * While a gradient tape records, tfjs saves every kernel's inputs/outputs for the backward pass
 * through the Identity kernel (engine.clone). The wasm backend's Identity copies the data; one ALM
 * update makes about 1100 such copies (tens of MB). Tensors are immutable and the wasm backend
 * counts references per buffer (its Reshape already shares buffers), so Identity can share the
 * buffer as tfjs's cpu backend does. Same values, no copy.
 */
import * as tf from '@tensorflow/tfjs';
import { addKernelLayer, kernelLayers, removeKernelLayer } from './kernel-layers';

const TAG = 'shared-identity';

interface RefCountingBackend {
  incRef(dataId: object): void;
}

export function isWasmIdentityInstalled(): boolean {
  return kernelLayers('Identity', 'wasm').includes(TAG);
}

/** Register the copy-free Identity for wasm. Idempotent; false when wasm is not registered. */
export function installWasmIdentity(): boolean {
  return addKernelLayer('Identity', 'wasm', TAG, 0, (beneath) => (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype === 'string') return beneath(args);
    (args.backend as unknown as RefCountingBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  });
}

export function uninstallWasmIdentity(): boolean {
  return removeKernelLayer('Identity', 'wasm', TAG);
}
