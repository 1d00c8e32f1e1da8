/**
 * Loading the optional native addon (build/mbrl_blas.node, made by the install step or `npx mbrl-kernels-build`).
 * Nothing here throws: a missing or broken addon is reported as a reason, and callers keep their
 * portable code path.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The addon's functions (see native/blas.c). Offsets are in bytes, strides in elements. */
export interface NativeBlas {
  /**
   * C[i] = op(A[i]) op(B[i]) for i < batch over row-major float32 operands inside `heap`:
   * op(A) is m x k, op(B) is k x n, C is m x n and overwritten. A stride of 0 broadcasts.
   */
  sgemm(
    heap: ArrayBuffer,
    batch: number,
    m: number,
    n: number,
    k: number,
    transposeA: boolean,
    transposeB: boolean,
    aOffset: number,
    aStride: number,
    bOffset: number,
    bStride: number,
    cOffset: number,
  ): void;
  /**
   * One dense layer: y = x w + bias, then ELU when `elu`, for row-major float32 x (m x k), w (k x n),
   * bias (n) and y (m x n, overwritten). The same products as sgemm, with the bias and ELU applied
   * by each thread to its block of y straight after computing it.
   */
  dense(
    heap: ArrayBuffer,
    m: number,
    n: number,
    k: number,
    xOffset: number,
    wOffset: number,
    biasOffset: number,
    yOffset: number,
    elu: boolean,
  ): void;
  /** y = f(x) over n float32 values: op 0 tanh, 1 softplus (tfjs's thresholds), 2 elu. */
  unary(op: 0 | 1 | 2, heap: ArrayBuffer, xOffset: number, yOffset: number, n: number): void;
  /**
   * The Gaussian head of the encoder and latent model over rows x 2d float32 params (d raw means,
   * then d raw stds): mean = bound tanh(m / bound), std = lo + softplus((hi - softplus(hi - s)) - lo),
   * with tfjs's operations in tfjs's order.
   */
  boundedGaussian(
    heap: ArrayBuffer,
    rows: number,
    d: number,
    paramsOffset: number,
    meanOffset: number,
    stdOffset: number,
    bound: number,
    lo: number,
    hi: number,
  ): void;
  /** boundedGaussian's gradient: dparams (rows x 2d) from dmean, dstd, the params and the forward's mean. */
  boundedGaussianGrad(
    heap: ArrayBuffer,
    rows: number,
    d: number,
    dmeanOffset: number,
    dstdOffset: number,
    paramsOffset: number,
    meanOffset: number,
    dparamsOffset: number,
    bound: number,
    lo: number,
    hi: number,
  ): void;
  /**
   * A target network's soft update over n float32 values: out = online * tau + target * keep
   * (keep = 1 - tau), each product rounded to float32 and then the sum, as tfjs's ops compute it.
   */
  polyak(
    heap: ArrayBuffer,
    n: number,
    targetOffset: number,
    onlineOffset: number,
    outOffset: number,
    tau: number,
    keep: number,
  ): void;
  /** ELU's gradient from its output: dx = dy where y >= 0, else dy (y + 1). */
  eluGrad(heap: ArrayBuffer, dyOffset: number, yOffset: number, dxOffset: number, n: number): void;
  /**
   * Sums of an outer x inner float32 matrix, accumulated in double and scaled: `leading` sums
   * over the rows (inner results), otherwise over each row (outer results).
   */
  sum(
    heap: ArrayBuffer,
    xOffset: number,
    outer: number,
    inner: number,
    leading: boolean,
    yOffset: number,
    scale: number,
  ): void;
  /**
   * One Adam step over n float32 values: reads param, m, v, grad at the first four offsets and
   * writes param', m', v' at the next three (see native/optim.c for the arithmetic).
   */
  adam(
    heap: ArrayBuffer,
    n: number,
    paramOffset: number,
    mOffset: number,
    vOffset: number,
    gradOffset: number,
    paramOutOffset: number,
    mOutOffset: number,
    vOutOffset: number,
    beta1: number,
    beta2: number,
    epsilon: number,
    stepSize: number,
    sqrtBiasCorrection2: number,
    scale: number,
  ): void;
  /**
   * y = a op b over an outer x n float32 result: op 0 add, 1 subtract, 2 multiply, 3 divide,
   * 4 negate (y = -a, b unread). Each kind says how an operand covers the result: 0 every element,
   * 1 one value, 2 one row of n (a trailing vector), 3 one value per row (a column of outer).
   */
  binary(
    op: 0 | 1 | 2 | 3 | 4,
    heap: ArrayBuffer,
    aOffset: number,
    aKind: 0 | 1 | 2 | 3,
    bOffset: number,
    bKind: 0 | 1 | 2 | 3,
    yOffset: number,
    outer: number,
    n: number,
  ): void;
  /** Sum of the squares of n float32 values, accumulated in double. */
  sumSquares(heap: ArrayBuffer, xOffset: number, n: number): number;
  /**
   * Products with an inner dimension k up to `max` (0 to 32; 0: none) and n >= 64 run in the
   * addon's own loop instead of OpenBLAS (default 8, faster there). Returns the previous value.
   */
  smallK(max: number): number;
  /**
   * Layer normalisation over the last axis of a rows x cols float32 matrix x: writes
   * y = (x - mean) rstd weight + bias and each row's mean and rstd = 1 / sqrt(variance + eps)
   * (statistics accumulated in double); with `tanh`, y = tanh of that, each row as it is written.
   */
  layerNorm(
    heap: ArrayBuffer,
    rows: number,
    cols: number,
    xOffset: number,
    weightOffset: number,
    biasOffset: number,
    yOffset: number,
    meanOffset: number,
    rstdOffset: number,
    eps: number,
    tanh: boolean,
  ): void;
  /**
   * layerNorm's gradient from dy, x, weight and the forward's mean and rstd: writes dx (rows x
   * cols), dweight and dbias (cols each, summed over the rows in double). `tOffset` is the
   * forward's tanh output when it ran with tanh (dy is then taken through tanh first: dy (1 - t^2)),
   * or null.
   */
  layerNormGrad(
    heap: ArrayBuffer,
    rows: number,
    cols: number,
    dyOffset: number,
    xOffset: number,
    weightOffset: number,
    meanOffset: number,
    rstdOffset: number,
    dxOffset: number,
    dweightOffset: number,
    dbiasOffset: number,
    tOffset: number | null,
  ): void;
  /**
   * The addon's thread pool size (the calling thread included) for later calls: products,
   * element-wise kernels, sums, Adam and layer norm split their work over it; OpenBLAS itself runs
   * single-threaded inside each piece. Default: the machine's online CPUs.
   */
  setThreads(count: number): void;
  threads(): number;
  /**
   * The product library's description: "oneDNN 2.6.3 (avx2)" (its version and the instruction set
   * it dispatches to here), or "OpenBLAS 0.3.21 DYNAMIC_ARCH ... Haswell MAX_THREADS=64".
   */
  config(): string;
  /** The product libraries built in, comma-separated, the default first: "onednn,openblas". */
  libraries(): string;
  /** Who computes the products from now on (one of libraries()). */
  setLibrary(name: ProductLibrary): void;
  library(): ProductLibrary;
  /**
   * The products' operands from now on: fp32; bf16 (oneDNN's bf16 kernels, f32 accumulation and
   * result; throws where the CPU lacks them); or bf16-rounded (operands rounded to bf16 and kept as
   * f32 on the f32 kernels: bf16's numbers on any CPU, without its speed). Default fp32.
   */
  setPrecision(precision: ProductPrecision): void;
  precision(): ProductPrecision;
  /** Whether bf16 products run here (oneDNN built in, with bf16 kernels for this CPU). */
  bf16Available(): boolean;
  /** oneDNN's name for the implementation it chose for the last new product shape ("" before any). */
  implementation(): string;
}

/** Who computes the products: oneDNN's matmul or OpenBLAS's sgemm. */
export type ProductLibrary = 'onednn' | 'openblas';
/** What the products take as operands (they always accumulate and write f32). */
export type ProductPrecision = 'fp32' | 'bf16' | 'bf16-rounded';

/**
 * Run `body` with the addon's products on `library` in `precision`, then put back the library and
 * precision it had (also when `body` throws). The precision is reset to fp32 around each switch,
 * since the addon refuses to move bf16 products off oneDNN.
 */
export function withProducts<T>(
  blas: NativeBlas,
  library: ProductLibrary,
  precision: ProductPrecision,
  body: () => T,
): T {
  const before = { library: blas.library(), precision: blas.precision() };
  try {
    blas.setPrecision('fp32');
    blas.setLibrary(library);
    blas.setPrecision(precision);
    return body();
  } finally {
    blas.setPrecision('fp32');
    blas.setLibrary(before.library);
    blas.setPrecision(before.precision);
  }
}

/** Every (library, precision) the addon can run its products in here: each library in fp32, and oneDNN in bf16 where this CPU has its kernels. */
export function productSettings(blas: NativeBlas): ProductSetting[] {
  const settings: ProductSetting[] = [];
  for (const library of blas.libraries().split(',') as ProductLibrary[]) {
    settings.push({ library, precision: 'fp32' });
    if (library === 'onednn' && blas.bf16Available()) settings.push({ library, precision: 'bf16' });
  }
  return settings;
}

/** A product library with the precision its products take. */
export interface ProductSetting {
  library: ProductLibrary;
  precision: ProductPrecision;
}

export type BlasLoad = { blas: NativeBlas; path: string } | { blas: null; reason: string };

/** Where the build script puts the addon (the package's build/ folder; same from src/ and dist/). */
export function addonPath(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', 'build', 'mbrl_blas.node');
}

let cached: BlasLoad | undefined;

/**
 * The addon, loaded once per process, or the reason it is unavailable. With
 * `MBRL_BLAS_THREADS` set, the addon's pool uses that many threads (default: the online CPUs).
 */
export function loadBlas(): BlasLoad {
  if (cached !== undefined) return cached;
  const path = addonPath();
  if (!existsSync(path)) {
    cached = { blas: null, reason: `${path} is not built (build it with: npx mbrl-kernels-build)` };
    return cached;
  }
  try {
    const blas = createRequire(import.meta.url)(path) as NativeBlas;
    const threads = process.env.MBRL_BLAS_THREADS;
    if (threads !== undefined && threads !== '') blas.setThreads(Number(threads));
    cached = { blas, path };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    cached = { blas: null, reason: `cannot load ${path}: ${message}` };
  }
  return cached;
}
