import * as tf from '@tensorflow/tfjs';
import { BackendUnavailableError, initBackend, isWasmMatMulFixInstalled } from '../src/index';

describe('initBackend', () => {
  it('starts wasm (SIMD build) with the transposed matmul fix by default', async () => {
    const info = await initBackend('wasm');
    expect(info).toMatchObject({
      name: 'wasm',
      tfName: 'wasm',
      packageName: '@tensorflow/tfjs-backend-wasm',
      simd: true,
      transposedMatMulFix: true,
    });
    expect(tf.getBackend()).toBe('wasm');
    expect(tf.tensor([1, 2, 3]).sum().dataSync()[0]).toBe(6);
  });

  it('can start wasm without the fix, and put it back', async () => {
    expect((await initBackend('wasm', { fixTransposedMatMul: false })).transposedMatMulFix).toBe(false);
    expect(isWasmMatMulFixInstalled()).toBe(false);
    expect((await initBackend('wasm')).transposedMatMulFix).toBe(true);
  });

  it('starts the cpu backend explicitly', async () => {
    const info = await initBackend('cpu');
    expect(info).toMatchObject({ name: 'cpu', tfName: 'cpu', simd: null, transposedMatMulFix: null });
    await initBackend('wasm');
  });

  it.each([
    ['tensorflow', '@tensorflow/tfjs-node'],
    ['tensorflow-gpu', '@tensorflow/tfjs-node-gpu'],
  ] as const)(
    'fails with a typed error naming the package when %s is asked for but not installed',
    async (name, pkg) => {
      const error = await initBackend(name).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackendUnavailableError);
      expect((error as BackendUnavailableError).install).toBe(`npm install ${pkg}`);
      expect((error as Error).message).toContain(`npm install ${pkg}`);
      expect(tf.getBackend()).toBe('wasm');
    },
  );

  it('auto falls back to wasm here and reports its choice once', async () => {
    const lines: string[] = [];
    const logger = (line: string) => lines.push(line);
    const info = await initBackend('auto', { logger });
    expect(info.name).toBe('wasm');
    await initBackend('auto', { logger });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/using the 'wasm' backend/);
    expect(lines[0]).toContain('tensorflow:');
  });
});
