/** Small numeric helpers shared by the tasks' reward terms. */

/** Sum of squares |x|^2 (the quadratic control cost of every locomotion task). */
export function sumOfSquares(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return s;
}
