/**
 * The kernels' test helpers: nn's (values, expectClose, valueAndInputGrads, expectAgreeScaled),
 * the wasm backend as initBackend sets it up, and the addon's suites.
 */
import { initBackend, loadBlas } from '../src/index';

export { expectAgreeScaled, expectClose, valueAndInputGrads, values } from '../../nn/test/helpers';

/** Every test file computes on the wasm backend with its own kernels (and the transposed-product fix). */
export async function useWasm(): Promise<void> {
  await initBackend('wasm', { kernels: 'wasm' });
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
