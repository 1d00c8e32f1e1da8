/** Number formatting for the report tables: paper-like precision, NaN as "n/a". */
function digitsFor(value: number): number {
  const magnitude = Math.abs(value);
  return magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2;
}

export function formatNumber(value: number, digits = digitsFor(value)): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value.toFixed(digits);
}

/** "mean ± std" with the mean's precision for both, or just the mean when std is undefined (one seed). */
export function formatMeanStd(mean: number, std: number): string {
  const digits = digitsFor(mean);
  return Number.isFinite(std)
    ? `${formatNumber(mean, digits)} ± ${formatNumber(std, digits)}`
    : formatNumber(mean, digits);
}

/** 200000 -> "200k", 12500 -> "12.5k", 300 -> "300". */
export function formatSteps(steps: number): string {
  if (steps >= 1_000_000 && steps % 100_000 === 0) return `${steps / 1_000_000}M`;
  if (steps >= 1000) return `${Number((steps / 1000).toFixed(1))}k`;
  return String(steps);
}

/** JSON with NaN and infinities as null (JSON has no NaN). */
export function toJson(value: unknown): string {
  return (
    JSON.stringify(
      value,
      (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v),
      2,
    ) + '\n'
  );
}
