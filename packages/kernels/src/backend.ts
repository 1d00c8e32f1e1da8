/**
 * Choosing the TensorFlow.js backend.
 *
 * `auto` prefers native TensorFlow (GPU, then CPU) when its optional peer package is installed,
 * then the wasm backend (single-threaded SIMD build; wasm threads do not start in Node), then
 * tfjs's pure-JS cpu backend. The backend is process-wide state kept by tfjs itself.
 *
 * On wasm the matrix products can run on a native BLAS instead (`kernels`: this package's optional
 * addon over OpenBLAS, ./native, built by `npm run build:native`): `auto` uses it when it is
 * built, `blas` insists on it, `wasm` keeps tfjs's own kernels. MBRL_KERNELS overrides the default.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { loadBlas } from './native';
import { installBlasKernels, isBlasKernelsInstalled, uninstallBlasKernels } from './blas-kernels';
import { BackendUnavailableError, KernelsUnavailableError } from './errors';
import { installReductionGradients } from './reduction-gradients';
import { installWasmIdentity } from './wasm-identity';
import { installWasmSlices } from './wasm-slices';
import { installWasmMatMulFix, uninstallWasmMatMulFix, isWasmMatMulFixInstalled } from './wasm-matmul-fix';

/** Every backend by name, in the order `auto` tries them (fastest first). */
export const BACKEND_NAMES = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
export type BackendRequest = 'auto' | BackendName;
/** wasm only: who multiplies matrices. `auto`: the native BLAS when built, else wasm. */
export type KernelsRequest = 'auto' | 'blas' | 'wasm';

export interface InitBackendOptions {
  /** Where `auto` reports its choice (one line, once). Default: a line on stderr. */
  logger?: (line: string) => void;
  /** wasm only: register the fast transposed BatchMatMul/_FusedMatMul kernels. Default true. */
  fixTransposedMatMul?: boolean;
  /**
   * wasm only: `blas` runs BatchMatMul/_FusedMatMul on the native OpenBLAS addon (throws
   * KernelsUnavailableError when it is not built), `wasm` keeps tfjs's kernels, `auto` (default)
   * takes the addon when it loads. Default: the MBRL_KERNELS environment variable, else `auto`.
   */
  kernels?: KernelsRequest;
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
  /** wasm: who runs the matrix products (`blas`: the native addon); null for other backends. */
  kernels: 'blas' | 'wasm' | null;
  /** With `blas`: the addon's thread count and OpenBLAS's build line. */
  blas: { threads: number; config: string } | null;
}

const PACKAGES: Record<BackendName, string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs',
};

/**
 * The one piece of module state: the last backend `auto` announced, so repeated calls stay quiet.
 * It mirrors the process-wide backend that tfjs keeps.
 */
let announced: string | null = null;

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
  for (const name of BACKEND_NAMES) {
    try {
      const info = await start(name, options);
      const key = `${name}/${info.kernels}`;
      if (announced !== key) {
        const skipped = failures.length > 0 ? ` (unavailable: ${failures.join('; ')})` : '';
        (options.logger ?? ((line: string) => process.stderr.write(`${line}\n`)))(
          `@mbrl-ts/kernels: using the '${name}' backend${productsNote(info)}${skipped}`,
        );
        announced = key;
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
      installWasmIdentity();
      installWasmSlices();
      installReductionGradients();
      if (options.fixTransposedMatMul ?? true) installWasmMatMulFix();
      else uninstallWasmMatMulFix();
      chooseKernels(options.kernels ?? kernelsFromEnvironment());
      await activate(name, 'wasm');
      break;
    case 'cpu':
      await activate(name, 'cpu');
      silenceNodeBackendAdvice();
      break;
  }
  return describe(name);
}

/** MBRL_KERNELS, checked: `auto` when unset. */
function kernelsFromEnvironment(): KernelsRequest {
  const value = process.env.MBRL_KERNELS;
  if (value === undefined || value === '') return 'auto';
  if (value === 'auto' || value === 'blas' || value === 'wasm') return value;
  throw new RangeError(`MBRL_KERNELS must be 'auto', 'blas' or 'wasm', got '${value}'`);
}

/** Register the BLAS products when asked for and available (wasm kernels stay the fallback). */
function chooseKernels(request: KernelsRequest): void {
  if (request === 'wasm') {
    uninstallBlasKernels();
    return;
  }
  const load = loadBlas();
  if (load.blas === null) {
    if (request === 'blas') throw new KernelsUnavailableError('blas', 'npm run build:native', load.reason);
    uninstallBlasKernels();
    return;
  }
  installBlasKernels(load.blas);
}

/** The report's words for the products: ' with OpenBLAS products (2 threads)' or ''. */
function productsNote(info: BackendInfo): string {
  if (info.kernels === null) return '';
  if (info.blas === null) {
    const load = loadBlas();
    return load.blas === null ? ` with wasm products (native BLAS: ${load.reason})` : ' with wasm products';
  }
  return ` with OpenBLAS products (${info.blas.threads} thread${info.blas.threads === 1 ? '' : 's'})`;
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

function blasDescription(): { threads: number; config: string } | null {
  const load = loadBlas();
  return load.blas === null ? null : { threads: load.blas.threads(), config: load.blas.config() };
}

function describe(name: BackendName): BackendInfo {
  const wasm = name === 'wasm';
  const blas = wasm && isBlasKernelsInstalled();
  return {
    name,
    tfName: tf.getBackend(),
    packageName: PACKAGES[name],
    simd: wasm ? tf.env().getBool('WASM_HAS_SIMD_SUPPORT') : null,
    transposedMatMulFix: wasm ? isWasmMatMulFixInstalled() : null,
    kernels: wasm ? (blas ? 'blas' : 'wasm') : null,
    blas: blas ? blasDescription() : null,
  };
}
