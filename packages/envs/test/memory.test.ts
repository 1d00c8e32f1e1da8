/**
 * 1000 make/reset/step/close cycles leave the WASM heap flat: every MjModel and MjData is freed.
 * (Counter-check: without close(), the heap grows; see the last test.)
 */
import { loadMujoco, makeEnv, wasmHeapBytes } from '../src/index';

describe('WASM memory', () => {
  test('1000 make/reset/close cycles do not grow the heap after warm-up', async () => {
    const mujoco = await loadMujoco();
    const ids = ['HalfCheetah-v4', 'Hopper-v4', 'Walker2d-v4', 'InvertedPendulum-v4'];
    for (let i = 0; i < 20; i++) {
      const env = await makeEnv(ids[i % ids.length]);
      env.reset();
      env.close();
    }
    const before = wasmHeapBytes(mujoco);
    for (let i = 0; i < 1000; i++) {
      const env = await makeEnv(ids[i % ids.length]);
      env.reset({ seed: i });
      env.step(new Float64Array(env.actionSpace.size));
      env.close();
    }
    expect(wasmHeapBytes(mujoco)).toBe(before);
  });

  test('the check can fail: envs left open grow the heap', async () => {
    const mujoco = await loadMujoco();
    const before = wasmHeapBytes(mujoco);
    const open = [];
    try {
      // Each MjData takes MuJoCo's default arena (about 13.6 MB), so 30 open envs need ~400 MB.
      for (let i = 0; i < 30; i++) open.push(await makeEnv('Walker2d-v4'));
      expect(wasmHeapBytes(mujoco)).toBeGreaterThan(before);
    } finally {
      for (const env of open) env.close();
    }
  });
});
