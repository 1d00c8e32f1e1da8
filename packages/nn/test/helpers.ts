import * as tf from '@tensorflow/tfjs';
import { initBackend, loadBlas } from '../src/index';

/** Every test file computes on the wasm backend with its own kernels (and the transposed-product fix). */
export async function useWasm(): Promise<void> {
  await initBackend('wasm', { kernels: 'wasm' });
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

/**
 * The addon for a test file's native suites: `describeWithBlas` runs them when it is built and
 * skips them otherwise, saying so once (`what`: which tests) with the reason.
 */
export function blasSuites(what: string): {
  load: ReturnType<typeof loadBlas>;
  describeWithBlas: jest.Describe;
} {
  const load = loadBlas();
  if (load.blas === null) console.warn(`${what} SKIPPED (${load.reason})`);
  return { load, describeWithBlas: load.blas === null ? describe.skip : describe };
}

/** Inside a native suite: its tests run on wasm with the addon's kernels, and tfjs's own come back after. */
export function withNativeKernels(): void {
  beforeAll(async () => {
    await initBackend('wasm', { kernels: 'blas', logger: () => {} });
  });
  afterAll(async () => {
    await initBackend('wasm', { kernels: 'wasm', logger: () => {} });
  });
}
