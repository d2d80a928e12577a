/**
 * Order statistics for benchmark samples. One definition for every bench, so that "p99" means the
 * same thing in each report: the nearest-rank percentile (the smallest sample with at least p % of
 * the samples at or below it), which is always a measured value, never an interpolation.
 */

/** Nearest-rank percentile, `p` in 0–100; NaN for no samples. Infinity (never seen) sorts last. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] as number;
}

/** The lower median (a measured sample, as `percentile(values, 50)`). */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Arithmetic mean; NaN for no samples. */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length;
}
