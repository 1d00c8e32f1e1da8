/**
 * Normal sampling speed: nanoseconds per draw of `fillNormal` (Box-Muller, 53-bit uniforms) and
 * `fillNormalZiggurat` into a Float32Array of 376,832 values (the noise one paper-preset ALM update
 * draws at HalfCheetah sizes). Median of 15 fills after warm-up; prints JSON.
 *
 *   npm run bench -w @mbrl-ts/rng
 */
import { Rng } from '../src';

const SIZE = 376_832;
const REPEATS = 15;

function nsPerDraw(fill: (rng: Rng, out: Float32Array) => void): number {
  const rng = new Rng(0);
  const out = new Float32Array(SIZE);
  for (let i = 0; i < 3; i++) fill(rng, out);
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const start = performance.now();
    fill(rng, out);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return Number(((times[REPEATS >> 1] / SIZE) * 1e6).toFixed(1));
}

console.log(
  JSON.stringify(
    {
      draws: SIZE,
      nsPerDraw: {
        fillNormal: nsPerDraw((rng, out) => rng.fillNormal(out)),
        fillNormalZiggurat: nsPerDraw((rng, out) => rng.fillNormalZiggurat(out)),
      },
    },
    null,
    2,
  ),
);
