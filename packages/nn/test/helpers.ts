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
