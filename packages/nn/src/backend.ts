/**
 * Choosing the TensorFlow.js backend.
 *
 * `auto` prefers native TensorFlow (GPU, then CPU) when its optional peer package is installed,
 * then the wasm backend (single-threaded SIMD build; wasm threads do not start in Node), then
 * tfjs's pure-JS cpu backend. The backend is process-wide state kept by tfjs itself.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { BackendUnavailableError } from './errors';
import { installWasmMatMulFix, uninstallWasmMatMulFix, isWasmMatMulFixInstalled } from './wasm-matmul-fix';

export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
export type BackendRequest = 'auto' | BackendName;

export interface InitBackendOptions {
  /** Where `auto` reports its choice (one line, once). Default: a line on stderr. */
  logger?: (line: string) => void;
  /** wasm only: register the fast transposed BatchMatMul/_FusedMatMul kernels. Default true. */
  fixTransposedMatMul?: boolean;
}

export interface BackendInfo {
  /** Our name for the backend. */
  name: BackendName;
  /** tfjs's name for it (`tensorflow`, `wasm`, `cpu`). */
  tfName: string;
  /** The npm package that provides it. */
  packageName: string;
  /** wasm: whether the SIMD binary runs; null for other backends. */
  simd: boolean | null;
  /** wasm: whether the transposed-product kernel fix is installed; null for other backends. */
  transposedMatMulFix: boolean | null;
}

const PACKAGES: Record<BackendName, string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs',
};

const AUTO_ORDER: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

/**
 * The one piece of module state: the last backend `auto` announced, so repeated calls stay quiet.
 * It mirrors the process-wide backend that tfjs keeps.
 */
let announced: BackendName | null = null;

/**
 * Select and initialise a backend. Explicit names fail with `BackendUnavailableError` (naming the
 * package to install) when they cannot start; `auto` falls back along tensorflow-gpu, tensorflow,
 * wasm, cpu and reports its choice once through `options.logger`.
 */
export async function initBackend(
  request: BackendRequest = 'auto',
  options: InitBackendOptions = {},
): Promise<BackendInfo> {
  if (request !== 'auto') return start(request, options);
  const failures: string[] = [];
  for (const name of AUTO_ORDER) {
    try {
      const info = await start(name, options);
      if (announced !== name) {
        const skipped = failures.length > 0 ? ` (unavailable: ${failures.join('; ')})` : '';
        (options.logger ?? ((line: string) => process.stderr.write(`${line}\n`)))(
          `@mbrl-ts/nn: using the '${name}' backend${skipped}`,
        );
        announced = name;
      }
      return info;
    } catch (error) {
      if (!(error instanceof BackendUnavailableError)) throw error;
      failures.push(`${name}: ${error.reason}`);
    }
  }
  throw new Error('unreachable: the cpu backend always starts');
}

/** Describe the backend tfjs is using now (after `initBackend`). */
export function currentBackend(): BackendInfo {
  const tfName = tf.getBackend();
  const name: BackendName = tfName === 'wasm' ? 'wasm' : tfName === 'cpu' ? 'cpu' : 'tensorflow';
  return describe(name);
}

async function start(name: BackendName, options: InitBackendOptions): Promise<BackendInfo> {
  switch (name) {
    case 'tensorflow-gpu':
    case 'tensorflow':
      await importNative(name);
      await activate(name, 'tensorflow');
      break;
    case 'wasm':
      prepareWasm();
      if (options.fixTransposedMatMul ?? true) installWasmMatMulFix();
      else uninstallWasmMatMulFix();
      await activate(name, 'wasm');
      break;
    case 'cpu':
      await activate(name, 'cpu');
      silenceNodeBackendAdvice();
      break;
  }
  return describe(name);
}

/** Import a native TensorFlow binding (an optional peer dependency that may be absent). */
async function importNative(name: 'tensorflow-gpu' | 'tensorflow'): Promise<void> {
  // A variable specifier keeps bundlers and the type checker from requiring the optional package.
  const specifier: string = PACKAGES[name];
  try {
    await import(specifier);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const reason =
      code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND'
        ? `${specifier} is not installed`
        : `cannot load ${specifier}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
    throw new BackendUnavailableError(name, `npm install ${specifier}`, reason);
  }
}

async function activate(name: BackendName, tfName: string): Promise<void> {
  let ok = false;
  try {
    ok = await tf.setBackend(tfName);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new BackendUnavailableError(name, `npm install ${PACKAGES[name]}`, reason);
  }
  if (!ok || tf.getBackend() !== tfName) {
    throw new BackendUnavailableError(
      name,
      `npm install ${PACKAGES[name]}`,
      `tfjs could not initialise '${tfName}'`,
    );
  }
  await tf.ready();
}

/**
 * Point the wasm backend at its binaries inside node_modules (before its first initialisation).
 * In Node only the plain and SIMD builds can run; tfjs already never picks the threaded one there.
 */
function prepareWasm(): void {
  if (tf.findBackend('wasm') !== null) return;
  const require = createRequire(import.meta.url);
  const dist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  setWasmPaths({
    'tfjs-backend-wasm.wasm': join(dist, 'tfjs-backend-wasm.wasm'),
    'tfjs-backend-wasm-simd.wasm': join(dist, 'tfjs-backend-wasm-simd.wasm'),
    'tfjs-backend-wasm-threaded-simd.wasm': join(dist, 'tfjs-backend-wasm-threaded-simd.wasm'),
  });
}

/**
 * tfjs's cpu backend prints a banner recommending @tensorflow/tfjs-node on its first tensor. The
 * choice was made explicitly here (and the native package may not be installable), so mark the
 * banner as shown. `firstUse` is a field of tfjs's MathBackendCPU (a typed boundary onto internals).
 */
function silenceNodeBackendAdvice(): void {
  const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
  if (cpu !== null && typeof cpu.firstUse === 'boolean') cpu.firstUse = false;
}

function describe(name: BackendName): BackendInfo {
  const wasm = name === 'wasm';
  return {
    name,
    tfName: tf.getBackend(),
    packageName: PACKAGES[name],
    simd: wasm ? tf.env().getBool('WASM_HAS_SIMD_SUPPORT') : null,
    transposedMatMulFix: wasm ? isWasmMatMulFixInstalled() : null,
  };
}
