/**
 * Choosing the TensorFlow.js backend.
 *
 * `auto` prefers native TensorFlow (GPU, then CPU) when its optional peer package is installed,
 * then the wasm backend (single-threaded SIMD build; wasm threads do not start in Node), then
 * tfjs's pure-JS cpu backend. The backend is process-wide state kept by tfjs itself.
 *
 * On wasm the matrix products (and the other hot kernels) can run natively instead (`kernels`: this
 * package's optional addon over oneDNN (and OpenBLAS), built by `npx mbrl-kernels-build`): `auto` uses it when
 * it is built, `blas` insists on it, `wasm` keeps tfjs's own kernels. MBRL_KERNELS overrides the
 * default. With the addon, `products` picks the product library (oneDNN by default where it is
 * built in; MBRL_PRODUCTS overrides) and `precision` the products' operands (fp32; bf16 on oneDNN's
 * bf16 kernels; bf16-rounded: bf16's numbers on the f32 kernels).
 */
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { loadBlas, type NativeBlas, type ProductLibrary, type ProductPrecision } from './native';
import { installBlasKernels, isBlasKernelsInstalled, uninstallBlasKernels } from './blas-kernels';
import { BackendUnavailableError, KernelsUnavailableError, PrecisionUnavailableError } from './errors';
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
/** Native kernels only: who computes the products. `auto`: oneDNN where built in, else OpenBLAS. */
export type ProductsRequest = 'auto' | ProductLibrary;
/** The products' operands (they always accumulate and write f32); see InitBackendOptions.precision. */
export const PRECISIONS = ['fp32', 'bf16', 'bf16-rounded'] as const;
export type Precision = (typeof PRECISIONS)[number];

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
  /** Native kernels: the product library. Default: MBRL_PRODUCTS, else `auto`. */
  products?: ProductsRequest;
  /**
   * The products' operands: `fp32` (default); `bf16`, the mixed-precision recipe (operands rounded
   * to bf16, f32 accumulation and output; parameters, optimiser, losses and every other op stay
   * f32) on oneDNN's bf16 kernels, refused with PrecisionUnavailableError where the CPU lacks them;
   * `bf16-rounded`, the same numbers on the f32 kernels (any CPU with the addon, no speed gain).
   * Anything but fp32 needs the native kernels.
   */
  precision?: Precision;
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
  /**
   * With `blas`: the addon's thread count, the product library, its description (oneDNN's version
   * and instruction set, or OpenBLAS's build line) and the products' precision.
   */
  blas: { threads: number; config: string; library: ProductLibrary; precision: ProductPrecision } | null;
  /** The products' precision: always fp32 without the native kernels. */
  precision: Precision;
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
      const key = `${name}/${info.kernels}/${info.blas?.library}/${info.precision}/${info.blas?.threads}`;
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
      chooseKernels(options.kernels ?? kernelsFromEnvironment(), options);
      await activate(name, 'wasm');
      break;
    case 'cpu':
      await activate(name, 'cpu');
      silenceNodeBackendAdvice();
      break;
  }
  if (name !== 'wasm' && (options.precision ?? 'fp32') !== 'fp32') {
    throw new PrecisionUnavailableError(
      options.precision ?? 'fp32',
      `the '${name}' backend computes in fp32 only; ${options.precision} runs on the wasm backend with the native kernels`,
    );
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

/** MBRL_PRODUCTS, checked: `auto` when unset. */
function productsFromEnvironment(): ProductsRequest {
  const value = process.env.MBRL_PRODUCTS;
  if (value === undefined || value === '') return 'auto';
  if (value === 'auto' || value === 'onednn' || value === 'openblas') return value;
  throw new RangeError(`MBRL_PRODUCTS must be 'auto', 'onednn' or 'openblas', got '${value}'`);
}

/** Register the native kernels when asked for and available (wasm kernels stay the fallback). */
function chooseKernels(request: KernelsRequest, options: InitBackendOptions): void {
  const precision = options.precision ?? 'fp32';
  if (!(PRECISIONS as readonly string[]).includes(precision)) {
    throw new RangeError(`precision must be one of ${PRECISIONS.join(', ')}, got '${String(precision)}'`);
  }
  if (request === 'wasm') {
    if (precision !== 'fp32') {
      throw new PrecisionUnavailableError(
        precision,
        `tfjs's wasm kernels compute in fp32 only (MBRL_KERNELS=wasm)`,
      );
    }
    uninstallBlasKernels();
    return;
  }
  const load = loadBlas();
  if (load.blas === null) {
    if (request === 'blas') throw new KernelsUnavailableError('blas', 'npx mbrl-kernels-build', load.reason);
    if (precision !== 'fp32') {
      throw new PrecisionUnavailableError(
        precision,
        `it needs the native kernels, which are not built: ${load.reason}`,
      );
    }
    uninstallBlasKernels();
    return;
  }
  chooseProducts(load.blas, options.products ?? productsFromEnvironment(), precision);
  installBlasKernels(load.blas);
}

/** Point the addon's products at the library and precision asked for, or say why it cannot. */
function chooseProducts(blas: NativeBlas, request: ProductsRequest, precision: Precision): void {
  const built = blas.libraries().split(',') as ProductLibrary[];
  const library = request === 'auto' ? built[0] : request;
  if (!built.includes(library)) {
    throw new KernelsUnavailableError(
      library,
      library === 'onednn'
        ? 'apt-get install -y libdnnl-dev && npx mbrl-kernels-build'
        : 'apt-get install -y libopenblas-dev && npx mbrl-kernels-build',
      `the native kernels were built with ${built.join(' and ')} only`,
    );
  }
  blas.setPrecision('fp32');
  blas.setLibrary(library);
  if (precision === 'bf16' && (library !== 'onednn' || !blas.bf16Available())) {
    throw new PrecisionUnavailableError(
      'bf16',
      library !== 'onednn'
        ? `bf16 products run on oneDNN only, and the products are on ${library}`
        : `oneDNN has no bf16 kernels for this CPU (${blas.config()}; they need avx512_bf16 or AMX); 'bf16-rounded' gives bf16's numbers on the f32 kernels`,
    );
  }
  blas.setPrecision(precision);
}

/** The report's words for the products: ' with native kernels, oneDNN products in fp32 (2 threads; ...)' or ''. */
function productsNote(info: BackendInfo): string {
  if (info.kernels === null) return '';
  if (info.blas === null) {
    const load = loadBlas();
    return load.blas === null ? ` with wasm products (native BLAS: ${load.reason})` : ' with wasm products';
  }
  const library = info.blas.library === 'onednn' ? 'oneDNN' : 'OpenBLAS';
  const threads = `${info.blas.threads} thread${info.blas.threads === 1 ? '' : 's'}`;
  return ` with native kernels, ${library} products in ${info.blas.precision} (${threads}; ${info.blas.config})`;
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

function blasDescription(): BackendInfo['blas'] {
  const load = loadBlas();
  if (load.blas === null) return null;
  const blas = load.blas;
  return {
    threads: blas.threads(),
    config: blas.config(),
    library: blas.library(),
    precision: blas.precision(),
  };
}

function describe(name: BackendName): BackendInfo {
  const wasm = name === 'wasm';
  const blas = wasm && isBlasKernelsInstalled();
  const native = blas ? blasDescription() : null;
  return {
    name,
    tfName: tf.getBackend(),
    packageName: PACKAGES[name],
    simd: wasm ? tf.env().getBool('WASM_HAS_SIMD_SUPPORT') : null,
    transposedMatMulFix: wasm ? isWasmMatMulFixInstalled() : null,
    kernels: wasm ? (blas ? 'blas' : 'wasm') : null,
    blas: native,
    precision: native?.precision ?? 'fp32',
  };
}
