/** The nn benchmarks' timing: medians of wall-clock samples. */

/** The median of `samples`, rounded to `digits` decimals. */
export function median(samples: readonly number[], digits: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return Number(
    (sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2).toFixed(digits),
  );
}

/** Median milliseconds of `run` over `reps` runs after `warmups` unmeasured ones. */
export function medianMs(run: () => void, reps: number, warmups: number, digits: number): number {
  for (let i = 0; i < warmups; i++) run();
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  return median(samples, digits);
}
