/**
 * Kernel layers: replacement kernels stacked over a backend's own, in a fixed order.
 *
 * tfjs keeps one kernel per (name, backend). A layer wraps whatever is registered beneath it
 * (its fallback) and remembers how it was made, so layers can be added and removed in any order
 * and always end up stacked by rank (the transposed-product fix at rank 0 beneath the BLAS
 * products at rank 1, say). Removing or adding a layer beneath others rebuilds the ones above.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Makes a layer's kernel function from the one beneath it. */
export type LayerFactory = (beneath: tf.KernelFunc) => tf.KernelFunc;

interface LayerRecord {
  tag: string;
  rank: number;
  make: LayerFactory;
  /** The config registered beneath this layer. */
  beneath: tf.KernelConfig;
}

const LAYER = Symbol('mbrl-ts/kernels kernel layer');

type LayeredKernelFunc = tf.KernelFunc & { [LAYER]?: LayerRecord };

function recordOf(config: tf.KernelConfig | undefined): LayerRecord | undefined {
  return config === undefined ? undefined : (config.kernelFunc as LayeredKernelFunc)[LAYER];
}

/** Pop every layer ranked at or above `rank` (top first); returns them bottom first. */
function popFrom(kernelName: string, backendName: string, rank: number): LayerRecord[] {
  const popped: LayerRecord[] = [];
  for (;;) {
    const current = tf.getKernel(kernelName, backendName);
    const record = recordOf(current);
    if (record === undefined || record.rank < rank) break;
    tf.unregisterKernel(kernelName, backendName);
    tf.registerKernel(record.beneath);
    popped.unshift(record);
  }
  return popped;
}

function push(kernelName: string, backendName: string, layer: Omit<LayerRecord, 'beneath'>): void {
  const beneath = tf.getKernel(kernelName, backendName);
  if (beneath === undefined) throw new Error(`no '${kernelName}' kernel registered for '${backendName}'`);
  const kernelFunc: LayeredKernelFunc = layer.make(beneath.kernelFunc);
  kernelFunc[LAYER] = { ...layer, beneath };
  tf.unregisterKernel(kernelName, backendName);
  // The beneath config's setupFunc is kept so a backend initialised later still binds its routines.
  tf.registerKernel({ ...beneath, kernelFunc });
}

/** The tags of the layers registered over (kernelName, backendName), bottom first. */
export function kernelLayers(kernelName: string, backendName: string): string[] {
  const tags: string[] = [];
  let record = recordOf(tf.getKernel(kernelName, backendName));
  while (record !== undefined) {
    tags.unshift(record.tag);
    record = recordOf(record.beneath);
  }
  return tags;
}

/**
 * Add the layer `tag` over (kernelName, backendName) at `rank`. Idempotent (a layer with the
 * same tag stays as it is). Returns false when the backend has no such kernel registered.
 */
export function addKernelLayer(
  kernelName: string,
  backendName: string,
  tag: string,
  rank: number,
  make: LayerFactory,
): boolean {
  if (tf.getKernel(kernelName, backendName) === undefined) return false;
  if (kernelLayers(kernelName, backendName).includes(tag)) return true;
  const above = popFrom(kernelName, backendName, rank);
  push(kernelName, backendName, { tag, rank, make });
  for (const layer of above) push(kernelName, backendName, layer);
  return true;
}

/** Remove the layer `tag` (layers above it are rebuilt). Returns whether it was there. */
export function removeKernelLayer(kernelName: string, backendName: string, tag: string): boolean {
  if (!kernelLayers(kernelName, backendName).includes(tag)) return false;
  const popped = popFrom(kernelName, backendName, -Infinity);
  for (const layer of popped) if (layer.tag !== tag) push(kernelName, backendName, layer);
  return true;
}
