/**
 * Fast transposed matrix products on the tfjs wasm backend.
 *
 * The wasm BatchMatMul kernel (and _FusedMatMul) hands `transposeA` / `transposeB` to its C++
 * routine, which then multiplies 15-20x slower than the plain product. Every dense-layer gradient
 * asks for a transposed product (dW = x^T dy, dx = dy W^T), so training suffers most.
 *
 * The fix re-registers both kernels under their own names: a transposed operand is first
 * transposed explicitly with the wasm Transpose kernel (cheap, memory bound), then the original
 * kernel runs the plain product. Call sites do not change; `uninstallWasmMatMulFix` restores the
 * original kernels so benchmarks can compare.
 */
import * as tf from '@tensorflow/tfjs-core';
import { addKernelLayer, kernelLayers, removeKernelLayer } from './kernel-layers';

const FIXED_KERNELS = ['BatchMatMul', '_FusedMatMul'] as const;

/** This fix's layer tag; rank 0 puts it beneath faster products (see kernel-layers). */
const TAG = 'transposed-matmul-fix';
const RANK = 0;

interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

/** The slice of the wasm backend these kernels use (a typed boundary onto tfjs internals). */
interface DisposingBackend {
  disposeData(dataId: object): boolean;
}

/** Whether the fix is currently registered for the wasm backend. */
export function isWasmMatMulFixInstalled(): boolean {
  return kernelLayers('BatchMatMul', 'wasm').includes(TAG);
}

/**
 * Register the transpose-then-multiply kernels for the wasm backend. Idempotent; returns false
 * when the wasm backend's kernels are not registered (the package was not imported).
 */
export function installWasmMatMulFix(): boolean {
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (transpose === undefined) return false;
  for (const name of FIXED_KERNELS) {
    const added = addKernelLayer(name, 'wasm', TAG, RANK, (multiply) =>
      transposeThenMultiply(multiply, transpose.kernelFunc),
    );
    if (!added) return false;
  }
  return true;
}

/** Restore the original wasm kernels. Idempotent; returns whether anything was restored. */
export function uninstallWasmMatMulFix(): boolean {
  let restored = false;
  for (const name of FIXED_KERNELS) restored = removeKernelLayer(name, 'wasm', TAG) || restored;
  return restored;
}

function transposeThenMultiply(multiply: tf.KernelFunc, transpose: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const attrs = args.attrs as unknown as MatMulAttrs;
    if (!attrs.transposeA && !attrs.transposeB) return multiply(args);
    const backend = args.backend as unknown as DisposingBackend;
    const temporaries: tf.TensorInfo[] = [];
    const swapLastTwo = (x: tf.TensorInfo): tf.TensorInfo => {
      const rank = x.shape.length;
      const perm = [...Array(rank).keys()];
      [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
      const out = transpose({ inputs: { x }, backend: args.backend, attrs: { perm } }) as tf.TensorInfo;
      temporaries.push(out);
      return out;
    };
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    // Check the shapes as the caller wrote them, so an error names the caller's transposes.
    const innerA = a.shape[a.shape.length - (attrs.transposeA ? 2 : 1)];
    const innerB = b.shape[b.shape.length - (attrs.transposeB ? 1 : 2)];
    if (innerA !== innerB) {
      throw new Error(
        `Error in matMul: inner shapes (${innerA}) and (${innerB}) of Tensors with shapes ${a.shape} and ` +
          `${b.shape} and transposeA=${attrs.transposeA} and transposeB=${attrs.transposeB} must match.`,
      );
    }
    try {
      return multiply({
        inputs: {
          ...args.inputs,
          a: attrs.transposeA ? swapLastTwo(a) : a,
          b: attrs.transposeB ? swapLastTwo(b) : b,
        },
        backend: args.backend,
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      });
    } finally {
      for (const t of temporaries) backend.disposeData(t.dataId);
    }
  };
}
