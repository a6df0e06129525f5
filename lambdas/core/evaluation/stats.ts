/**
 * Interval estimates for evaluation metrics. Rates get Wilson score intervals (sound at rates near
 * 0 or 1 and at small n, where the normal approximation claims impossible bounds); means get a
 * normal interval on the standard error. Pure.
 */

export interface Estimate {
  /** The point estimate. */
  value: number;
  /** The lower and upper ends of the 95 % interval. */
  low: number;
  high: number;
  /** Items the estimate rests on. */
  n: number;
}

/** z for a two-sided 95 % interval. */
export const Z95 = 1.959963984540054;

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * The Wilson score interval of `successes` out of `n`. With n = 0 the rate is unknown: value 0,
 * interval [0, 1], so no threshold can pass on no evidence.
 */
export function wilson(successes: number, n: number, z = Z95): Estimate {
  if (!Number.isInteger(successes) || !Number.isInteger(n) || successes < 0 || n < 0 || successes > n) {
    throw new RangeError(`wilson needs 0 ≤ successes ≤ n (integers), got ${successes} of ${n}`);
  }
  if (n === 0) return { value: 0, low: 0, high: 1, n: 0 };
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { value: round(p), low: round(Math.max(0, centre - half)), high: round(Math.min(1, centre + half)), n };
}

/** The mean of `values` with a normal 95 % interval on its standard error (a single value: no width). */
export function meanInterval(values: readonly number[], z = Z95): Estimate {
  const n = values.length;
  if (n === 0) return { value: 0, low: 0, high: 0, n: 0 };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  const half = z * Math.sqrt(variance / n);
  return { value: round(mean), low: round(mean - half), high: round(mean + half), n };
}

/** The q-quantile (0–1) by linear interpolation between order statistics. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

/**
 * A distribution-free 95 % interval for the q-quantile: the order statistics whose ranks bound
 * the binomial count below it (normal approximation to the binomial).
 */
export function quantileInterval(values: readonly number[], q: number, z = Z95): Estimate {
  const n = values.length;
  if (n === 0) return { value: 0, low: 0, high: 0, n: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const half = z * Math.sqrt(n * q * (1 - q));
  const lowRank = Math.max(0, Math.floor(n * q - half));
  const highRank = Math.min(n - 1, Math.ceil(n * q + half));
  return { value: round(quantile(sorted, q)), low: round(sorted[lowRank]!), high: round(sorted[highRank]!), n };
}
