/**
 * Matrix products at hardware speed on the tfjs wasm backend: the BatchMatMul and _FusedMatMul
 * kernels re-registered over a native BLAS (this package's optional addon over OpenBLAS, ./native).
 *
 * The kernels read their operands where the wasm backend keeps them (its heap) and write the
 * product into an output the backend allocated, so no tensor is copied: BLAS gets the heap's
 * ArrayBuffer and byte offsets. The heap can grow (and its ArrayBuffer be replaced) whenever the
 * backend allocates, so the buffer is taken after the output is made, on every call. Transposes
 * are BLAS's own flags. Batch dimensions broadcast when one side has batch 1. _FusedMatMul's bias
 * and activation run through the backend's own Add and activation kernels (which also gives the
 * right answer where tfjs 4.22's wasm _FusedMatMul does not: a batched product with a bias).
 * Anything else (other dtypes, other broadcasts) falls through to the kernel registered before
 * (the wasm kernel, with or without the transpose fix). Call sites do not change.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NativeBlas } from './native';
import { addKernelLayer, kernelLayers, removeKernelLayer } from './kernel-layers';
import { heapBuffer, heapOffset, wasmView, type WasmBackendView } from './wasm-heap';
import { installNativeBinary, uninstallNativeBinary } from './native-binary';
import { installNativeElementwise, uninstallNativeElementwise } from './native-elementwise';
import { installNativeBoundedGaussian, uninstallNativeBoundedGaussian } from './native-bounded-gaussian';
import { installNativeDense, uninstallNativeDense } from './native-dense';
import { installNativeLayerNorm, uninstallNativeLayerNorm } from './native-layer-norm';
import { installNativeOptim, uninstallNativeOptim } from './native-optim';

const KERNELS = ['BatchMatMul', '_FusedMatMul'] as const;

/** This layer's tag; rank 1 puts it over the transposed-product fix (see kernel-layers). */
const TAG = 'blas-products';
const RANK = 1;

interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

interface FusedAttrs extends MatMulAttrs {
  activation: string;
  leakyreluAlpha?: number;
}

/** Activation kernels of the wasm backend a fused product may end with (none: 'linear'). */
const ACTIVATION_KERNELS: Record<string, string> = {
  relu: 'Relu',
  relu6: 'Relu6',
  elu: 'Elu',
  sigmoid: 'Sigmoid',
  leakyrelu: 'LeakyRelu',
  prelu: 'Prelu',
};

/** Whether the BLAS kernels are registered for the wasm backend now. */
export function isBlasKernelsInstalled(): boolean {
  return kernelLayers('BatchMatMul', 'wasm').includes(TAG);
}

/**
 * Register the BLAS products for the wasm backend over the kernels registered now (which stay
 * the fallback), together with the addon's element-wise kernels (./native-elementwise,
 * ./native-binary) and optimizer kernels (./native-optim). Idempotent; false when the wasm
 * kernels are not registered.
 */
export function installBlasKernels(blas: NativeBlas): boolean {
  const ok =
    addKernelLayer('BatchMatMul', 'wasm', TAG, RANK, (previous) => blasBatchMatMul(blas, previous)) &&
    addKernelLayer('_FusedMatMul', 'wasm', TAG, RANK, (previous) => blasFusedMatMul(blas, previous)) &&
    installNativeElementwise(blas);
  if (ok) installNativeOptim(blas);
  if (ok) installNativeBinary(blas);
  if (ok) installNativeLayerNorm(blas);
  if (ok) installNativeDense(blas);
  if (ok) installNativeBoundedGaussian(blas);
  return ok;
}

/**
 * Remove the BLAS products, native element-wise and optimizer kernels (the kernels beneath, and
 * the optimizers' tfjs ops, take over). Returns whether anything changed.
 */
export function uninstallBlasKernels(): boolean {
  let removed = uninstallNativeOptim();
  removed = uninstallNativeBinary() || removed;
  removed = uninstallNativeLayerNorm() || removed;
  removed = uninstallNativeDense() || removed;
  removed = uninstallNativeBoundedGaussian() || removed;
  for (const name of KERNELS) removed = removeKernelLayer(name, 'wasm', TAG) || removed;
  return uninstallNativeElementwise() || removed;
}

/** The product as BLAS sees it, or null when this kernel does not cover the case. */
interface ProductPlan {
  batch: number;
  m: number;
  n: number;
  k: number;
  aStride: number;
  bStride: number;
  outShape: number[];
}

function plan(a: tf.TensorInfo, b: tf.TensorInfo, attrs: MatMulAttrs): ProductPlan | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (ra < 2 || rb < 2) return null;
  const m = attrs.transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const kA = attrs.transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const kB = attrs.transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
  const n = attrs.transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  if (kA !== kB) {
    throw new Error(
      `Error in matMul: inner shapes (${kA}) and (${kB}) of Tensors with shapes ${a.shape} and ` +
        `${b.shape} and transposeA=${attrs.transposeA} and transposeB=${attrs.transposeB} must match.`,
    );
  }
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const batchA = outerA.reduce((p, d) => p * d, 1);
  const batchB = outerB.reduce((p, d) => p * d, 1);
  let outer: number[];
  if (batchB === 1 && outerB.length <= outerA.length) outer = outerA;
  else if (batchA === 1 && outerA.length <= outerB.length) outer = outerB;
  else if (outerA.length === outerB.length && outerA.every((d, i) => d === outerB[i])) outer = outerA;
  else return null; // a general broadcast: the previous kernel handles (or rejects) it
  const batch = Math.max(batchA, batchB);
  if (batch === 0 || m === 0 || n === 0) return null;
  return {
    batch,
    m,
    n,
    k: kA,
    aStride: batchA === 1 ? 0 : m * kA,
    bStride: batchB === 1 ? 0 : kA * n,
    outShape: [...outer, m, n],
  };
}

/** Run a planned product into a fresh output of the backend. */
function multiply(
  blas: NativeBlas,
  backend: WasmBackendView,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  attrs: MatMulAttrs,
  p: ProductPlan,
): tf.TensorInfo {
  const out = backend.makeOutput(p.outShape, 'float32');
  let offsets: number[];
  try {
    offsets = [a, b, out].map((t) => heapOffset(backend, t, 'blas BatchMatMul'));
  } catch (error) {
    backend.disposeData(out.dataId);
    throw error;
  }
  const [aOffset, bOffset, cOffset] = offsets;
  blas.sgemm(
    heapBuffer(backend),
    p.batch,
    p.m,
    p.n,
    p.k,
    attrs.transposeA,
    attrs.transposeB,
    aOffset,
    p.aStride,
    bOffset,
    p.bStride,
    cOffset,
  );
  return out;
}

function blasBatchMatMul(blas: NativeBlas, previous: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const attrs = args.attrs as unknown as MatMulAttrs;
    const p = plan(a, b, attrs);
    if (p === null) return previous(args);
    return multiply(blas, wasmView(args.backend), a, b, attrs, p);
  };
}

function blasFusedMatMul(blas: NativeBlas, previous: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { a, b, bias, preluActivationWeights } = args.inputs as {
      a: tf.TensorInfo;
      b: tf.TensorInfo;
      bias?: tf.TensorInfo;
      preluActivationWeights?: tf.TensorInfo;
    };
    const attrs = args.attrs as unknown as FusedAttrs;
    const activation = attrs.activation ?? 'linear';
    const activationKernel =
      activation === 'linear' ? null : tf.getKernel(ACTIVATION_KERNELS[activation] ?? '', 'wasm');
    const add = bias === undefined ? null : tf.getKernel('Add', 'wasm');
    const p = plan(a, b, attrs);
    if (p === null || activationKernel === undefined || add === undefined) return previous(args);
    if (activation === 'prelu' && preluActivationWeights === undefined) return previous(args);
    const backend = wasmView(args.backend);
    let out = multiply(blas, backend, a, b, attrs, p);
    const then = (kernel: tf.KernelConfig, inputs: tf.NamedTensorInfoMap, kernelAttrs: tf.NamedAttrMap) => {
      const next = kernel.kernelFunc({ inputs, backend: args.backend, attrs: kernelAttrs }) as tf.TensorInfo;
      backend.disposeData(out.dataId);
      out = next;
    };
    if (add !== null && bias !== undefined) then(add, { a: out, b: bias }, {});
    if (activationKernel !== null) {
      if (activation === 'prelu' && preluActivationWeights !== undefined)
        then(activationKernel, { x: out, alpha: preluActivationWeights }, {});
      else if (activation === 'leakyrelu')
        then(activationKernel, { x: out }, { alpha: attrs.leakyreluAlpha ?? 0.2 });
      else then(activationKernel, { x: out }, {});
    }
    return out;
  };
}
