/**
 * Orthogonal weight initialisation (Saxe et al. 2014), the scheme torch.nn.init.orthogonal_ uses
 * and the paper's networks start from: draw a Gaussian matrix from the seeded Rng, take the Q of
 * its QR decomposition with the signs fixed so R has a positive diagonal, and scale by `gain`.
 */
import type { Rng } from '@mbrl-ts/rng';

/**
 * An orthogonal `rows x cols` matrix, row-major: orthonormal rows when rows <= cols,
 * orthonormal columns when rows >= cols.
 */
export function orthogonalMatrix(rows: number, cols: number, rng: Rng, gain = 1): Float32Array {
  // Work on the tall orientation (m >= n) and orthonormalise its n columns.
  const tall = rows >= cols;
  const m = tall ? rows : cols;
  const n = tall ? cols : rows;
  const gaussian = rng.fillNormal(new Float64Array(rows * cols));
  // columns[j] holds column j of the tall matrix (m entries). Gaussian is rows x cols row-major.
  const columns: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    const column = new Float64Array(m);
    for (let i = 0; i < m; i++) column[i] = tall ? gaussian[i * cols + j] : gaussian[j * cols + i];
    columns.push(column);
  }
  // Modified Gram-Schmidt: Q's column j is the normalised residual of column j against earlier
  // ones; the residual norm is R's (positive) diagonal, matching the sign-corrected QR.
  for (let j = 0; j < n; j++) {
    const v = columns[j];
    for (let k = 0; k < j; k++) {
      const q = columns[k];
      let dot = 0;
      for (let i = 0; i < m; i++) dot += q[i] * v[i];
      for (let i = 0; i < m; i++) v[i] -= dot * q[i];
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    for (let i = 0; i < m; i++) v[i] /= norm;
  }
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[r * cols + c] = gain * (tall ? columns[c][r] : columns[r][c]);
  }
  return out;
}
