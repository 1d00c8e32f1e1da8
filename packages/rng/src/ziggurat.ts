/**
 * Tables of the ziggurat method for the standard normal (Marsaglia & Tsang, 2000) with 128 layers.
 *
 * The area under the half-density f(x) = exp(-x^2 / 2) is cut into 128 layers of equal area V:
 * layer 0 is a rectangle [0, X[0]) x [0, f(R)) whose part beyond R stands for the tail, and
 * layer i >= 1 spans [0, X[i]) x [f(X[i]), f(X[i + 1])), with X[1] = R and X[128] = 0. A draw
 * picks a layer and a point in [0, X[i]); below X[i + 1] the point is under the curve (accepted at
 * once, about 99 % of draws), otherwise a wedge test or, for layer 0, a draw from the tail decides.
 * R and V are the published constants for 128 layers.
 */
export const ZIGGURAT_LAYERS = 128;
/** Where the tail starts. */
export const ZIGGURAT_R = 3.442619855899;
/** The area of every layer. */
const V = 9.91256303526217e-3;

const density = (x: number): number => Math.exp(-0.5 * x * x);

/** X[0..128]: the layers' right edges (X[0] = V / f(R) for the base layer, X[128] = 0). */
export const ZIGGURAT_X: Float64Array = (() => {
  const x = new Float64Array(ZIGGURAT_LAYERS + 1);
  x[0] = V / density(ZIGGURAT_R);
  x[1] = ZIGGURAT_R;
  for (let i = 1; i < ZIGGURAT_LAYERS - 1; i++) {
    x[i + 1] = Math.sqrt(-2 * Math.log(V / x[i] + density(x[i])));
  }
  x[ZIGGURAT_LAYERS] = 0;
  return x;
})();

/** f(X[i]) for i = 0..128 (f(X[0]) is unused; f(X[128]) = 1). */
export const ZIGGURAT_F: Float64Array = ZIGGURAT_X.map(density);

/** X[i] * 2^-24: a 24-bit position times this is the point within layer i. */
export const ZIGGURAT_SCALE: Float64Array = ZIGGURAT_X.map((edge) => edge * 5.9604644775390625e-8);
