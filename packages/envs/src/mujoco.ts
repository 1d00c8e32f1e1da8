/**
 * The one MuJoCo WASM module of the process.
 *
 * `@mujoco/mujoco` compiles and instantiates a WebAssembly module of several megabytes; every
 * environment shares the one instance (models and data are separate C++ objects inside it), so
 * the module is loaded once and the promise is memoised.
 */
import type { MainModule, MjData, MjModel } from '@mujoco/mujoco';

export type MujocoModule = MainModule;
export type { MjData, MjModel };

let modulePromise: Promise<MujocoModule> | null = null;

/** Load (once) and return the MuJoCo WASM module. Later calls return the same promise. */
export function loadMujoco(): Promise<MujocoModule> {
  if (modulePromise === null) {
    modulePromise = import('@mujoco/mujoco')
      .then((ns) => ns.default())
      .catch((error: unknown) => {
        modulePromise = null; // let a later call try again
        throw new Error(`Could not load the MuJoCo WASM module (@mujoco/mujoco): ${String(error)}`);
      });
  }
  return modulePromise;
}

/**
 * The current size in bytes of the module's WebAssembly memory.
 *
 * The module does not export its HEAP8 view, so we read the size through the memory that backs
 * a one-element buffer allocated inside it. The memory only grows, so a flat size across many
 * make/reset/close cycles means nothing leaked beyond the allocator's free lists.
 */
export function wasmHeapBytes(mujoco: MujocoModule): number {
  const probe = new mujoco.DoubleBuffer(1);
  try {
    return (probe.GetView() as Float64Array).buffer.byteLength;
  } finally {
    probe.delete();
  }
}
