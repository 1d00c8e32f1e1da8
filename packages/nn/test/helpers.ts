import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * nn's tests compute on tfjs's own backends, without @mbrl-ts/kernels (which depends on nn, not the
 * other way round): `wasm` with tfjs's wasm kernels, or tfjs's pure-JS `cpu`.
 */
export async function useBackend(name: 'cpu' | 'wasm'): Promise<void> {
  if (name === 'wasm' && tf.findBackend('wasm') === null) {
    // The wasm binaries inside node_modules (tfjs cannot find them from a jest module on its own).
    const require = createRequire(import.meta.url);
    const dist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
    setWasmPaths({
      'tfjs-backend-wasm.wasm': join(dist, 'tfjs-backend-wasm.wasm'),
      'tfjs-backend-wasm-simd.wasm': join(dist, 'tfjs-backend-wasm-simd.wasm'),
      'tfjs-backend-wasm-threaded-simd.wasm': join(dist, 'tfjs-backend-wasm-threaded-simd.wasm'),
    });
  }
  if (!(await tf.setBackend(name))) throw new Error(`tfjs could not initialise its '${name}' backend`);
  await tf.ready();
  if (name === 'cpu') {
    // The cpu backend's first tensor prints advice to install @tensorflow/tfjs-node; chosen on purpose here.
    const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
    if (cpu !== null && typeof cpu.firstUse === 'boolean') cpu.firstUse = false;
  }
}

/** Every test file computes on the wasm backend with tfjs's own kernels. */
export async function useWasm(): Promise<void> {
  await useBackend('wasm');
}

/** Values of a tensor as a plain array of numbers. */
export function values(t: tf.Tensor): number[] {
  return Array.from(t.dataSync());
}

/** Assert arrays are element-wise within `tolerance` (absolute). */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= tolerance)) {
      throw new Error(`element ${i}: ${actual[i]} differs from ${expected[i]} by more than ${tolerance}`);
    }
  }
}

/**
 * The value of f(...inputs) and the gradients of sum(f(...inputs) * dy) in each input, as arrays
 * (every tensor disposed).
 */
export function valueAndInputGrads(
  f: (...inputs: tf.Tensor[]) => tf.Tensor,
  inputs: tf.Tensor[],
  dy: tf.Tensor,
): { value: number[]; grads: number[][] } {
  const value = tf.tidy(() => f(...inputs));
  const grads = tf.grads((...xs: tf.Tensor[]) => f(...xs))(inputs, dy);
  const out = { value: values(value), grads: grads.map(values) };
  tf.dispose([value, ...grads]);
  return out;
}

/** Each array of `actual` within `tolerance` times the largest magnitude (at least 1) of the same array of `expected`. */
export function expectAgreeScaled(
  actual: Readonly<Record<string, number[]>>,
  expected: Readonly<Record<string, number[]>>,
  tolerance: number,
): void {
  for (const [key, want] of Object.entries(expected)) {
    const scale = want.reduce((worst, e) => Math.max(worst, Math.abs(e)), 1);
    expectClose(actual[key], want, tolerance * scale);
  }
}
