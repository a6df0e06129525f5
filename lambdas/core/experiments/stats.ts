/**
 * Experiment statistics over sufficient statistics per arm (count, sum, sum of squares), pure and
 * deterministic (docs/EXPERIMENTS.md). Distributions come from @stdlib.
 *
 * - Means and proportions, their difference and relative lift with delta-method standard errors.
 * - A sequential test that survives peeking: the mixture sequential probability ratio test (mSPRT,
 *   Johari et al. 2017) with a normal mixture of variance τ² over the effect. Its likelihood ratio
 *   Λ and the confidence sequence it inverts to are valid at every look, so reading the report
 *   daily (or 40 times) keeps the false-positive rate at α.
 * - Sample-ratio mismatch (chi-square goodness of fit on first exposures, flagged at p < 0.001).
 * - Holm (family-wise) and Benjamini–Hochberg (false discovery rate) adjustments.
 * - Sample size for the sequential test at the planned power.
 */
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';

/** What is counted per metric and arm: enough to recover the mean and variance exactly. */
export interface SufficientStats {
  n: number;
  sum: number;
  sumSq: number;
}

/** One unit's metric values for one arm, to be added to the counters. */
export interface ArmObservation {
  experiment: string;
  bucketVersion: number;
  arm: string;
  /** The unit observed: its observations are also aggregated per unit (a ratio metric over units). */
  unitId?: string;
  values: Record<string, number>;
}

/**
 * Per-unit aggregation (a ratio metric): unit u has X_u (sum of its values) and N_u (its number of
 * observations); the arm keeps the number of units and Σ X_u, Σ N_u, Σ X_u², Σ N_u², Σ X_u·N_u.
 * The metric is ΣX/ΣN, and its variance comes from the units, so a unit observed many times (an FA
 * asking many questions, a stock rewritten daily) counts as one draw, not many.
 */
export interface UnitRatioStats {
  units: number;
  x: number;
  n: number;
  xx: number;
  nn: number;
  xn: number;
}

/** The per-unit aggregation over units' totals (Σx and Σn of each unit): one draw per unit. */
export function unitRatioStats(units: Iterable<{ x: number; n: number }>): UnitRatioStats {
  const s: UnitRatioStats = { units: 0, x: 0, n: 0, xx: 0, nn: 0, xn: 0 };
  for (const { x, n } of units) {
    if (n === 0) continue;
    s.units += 1;
    s.x += x;
    s.n += n;
    s.xx += x * x;
    s.nn += n * n;
    s.xn += x * n;
  }
  return s;
}

/**
 * The ratio ΣX/ΣN and the delta-method variance of it over units:
 * Var(R) ≈ (s²_X − 2R·s_XN + R²·s²_N) / (k · N̄²) for k units with mean N̄ observations each.
 */
export function ratioMean(stats: UnitRatioStats): { mean: number; varianceOfMean: number; units: number } {
  const k = stats.units;
  if (k === 0 || stats.n === 0) return { mean: 0, varianceOfMean: Number.POSITIVE_INFINITY, units: k };
  const mean = stats.x / stats.n;
  if (k < 2) return { mean, varianceOfMean: Number.POSITIVE_INFINITY, units: k };
  const xBar = stats.x / k;
  const nBar = stats.n / k;
  const sXX = (stats.xx - k * xBar * xBar) / (k - 1);
  const sNN = (stats.nn - k * nBar * nBar) / (k - 1);
  const sXN = (stats.xn - k * xBar * nBar) / (k - 1);
  const varianceOfMean = Math.max(0, (sXX - 2 * mean * sXN + mean * mean * sNN) / (k * nBar * nBar));
  return { mean, varianceOfMean, units: k };
}

/** Everything counted for one experiment and bucket version. */
export interface ExperimentCounts {
  /** First exposures per arm (for the SRM check). */
  exposures: Record<string, number>;
  /** metric → arm → statistics. */
  metrics: Record<string, Record<string, SufficientStats>>;
  /** metric → arm → per-unit aggregation, where observations carried their unit. */
  perUnit?: Record<string, Record<string, UnitRatioStats>>;
}

export const EMPTY_STATS: SufficientStats = { n: 0, sum: 0, sumSq: 0 };

export function addStats(a: SufficientStats, b: SufficientStats): SufficientStats {
  return { n: a.n + b.n, sum: a.sum + b.sum, sumSq: a.sumSq + b.sumSq };
}

/** Sample mean and (unbiased) variance; a proportion's sum of squares equals its sum. */
export function meanAndVariance(stats: SufficientStats): { mean: number; variance: number } {
  if (stats.n === 0) return { mean: 0, variance: 0 };
  const mean = stats.sum / stats.n;
  if (stats.n < 2) return { mean, variance: 0 };
  const variance = Math.max(0, (stats.sumSq - (stats.sum * stats.sum) / stats.n) / (stats.n - 1));
  return { mean, variance };
}

export const phi = (x: number): number => normalCdf(x, 0, 1);
export const phiInverse = (p: number): number => normalQuantile(p, 0, 1);

/** Λ of the normal-mixture SPRT for an estimate with variance V under a N(0, τ²) mixture. */
export function msprtRatio(estimate: number, variance: number, tau2: number): number {
  if (!(variance > 0) || !(tau2 > 0)) return 1;
  const total = variance + tau2;
  return Math.sqrt(variance / total) * Math.exp((tau2 * estimate * estimate) / (2 * variance * total));
}

/** Always-valid p-value: the smallest α at which the test rejects now (1/Λ, capped at 1). */
export function alwaysValidP(estimate: number, variance: number, tau2: number): number {
  return Math.min(1, 1 / msprtRatio(estimate, variance, tau2));
}

/** Half-width of the confidence sequence at level 1 − α: the estimates with Λ < 1/α. */
export function sequentialHalfWidth(variance: number, tau2: number, alpha: number): number {
  if (!(variance > 0) || !(tau2 > 0)) return Number.POSITIVE_INFINITY;
  const total = variance + tau2;
  return Math.sqrt(((variance * total) / tau2) * (Math.log(total / variance) + 2 * Math.log(1 / alpha)));
}

export interface Estimate {
  value: number;
  se: number;
  /** Fixed-horizon (1 − α) interval: for reading once at the planned end only. */
  fixed: readonly [number, number];
  fixedP: number;
  /** Always-valid (1 − α) confidence sequence: safe at every look. */
  sequential: readonly [number, number];
  sequentialP: number;
}

function estimate(value: number, se: number, tau: number, alpha: number): Estimate {
  const variance = se * se;
  const z = phiInverse(1 - alpha / 2);
  const fixedP = se > 0 ? 2 * phi(-Math.abs(value / se)) : 1;
  const half = sequentialHalfWidth(variance, tau * tau, alpha);
  return {
    value,
    se,
    fixed: [value - z * se, value + z * se],
    fixedP,
    sequential: [value - half, value + half],
    sequentialP: se > 0 ? alwaysValidP(value, variance, tau * tau) : 1,
  };
}

export interface ArmSummary {
  n: number;
  mean: number;
  variance: number;
}

export interface Comparison {
  control: ArmSummary;
  treatment: ArmSummary;
  /** treatment − control, in the metric's units. */
  difference: Estimate;
  /** treatment / control − 1, delta method. */
  relativeLift: Estimate;
}

export interface CompareOptions {
  alpha: number;
  /** Mixture scale of the relative-lift test (the lift the test is planned for). */
  plannedLift: number;
  /**
   * Below this many units in either arm the sequential test does not judge (p = 1): the plug-in
   * variance of a handful of units is too noisy for the normal approximation the test rests on.
   */
  minUnitsPerArm?: number;
}

export const MIN_UNITS_PER_ARM = 100;

/** One arm's estimate: its units, mean, the variance of one unit's value, and the variance of the mean. */
export interface MeanEstimate {
  n: number;
  mean: number;
  variance: number;
  varianceOfMean: number;
}

/** An arm's estimate from plain sufficient statistics (each observation a unit). */
export function meanEstimate(stats: SufficientStats): MeanEstimate {
  const { mean, variance } = meanAndVariance(stats);
  return { n: stats.n, mean, variance, varianceOfMean: stats.n > 0 ? variance / stats.n : Number.POSITIVE_INFINITY };
}

/** An arm's estimate from per-unit aggregation (the ratio ΣX/ΣN, its variance over units). */
export function ratioEstimate(stats: UnitRatioStats): MeanEstimate {
  const { mean, varianceOfMean, units } = ratioMean(stats);
  return { n: units, mean, variance: Number.isFinite(varianceOfMean) ? varianceOfMean * units : 0, varianceOfMean };
}

/**
 * Treatment against control. The relative lift's variance is the delta method's:
 * Var(T/C) ≈ Var(T)/C² + T²·Var(C)/C⁴ for independent arm means T and C.
 */
export function compare(control: SufficientStats, treatment: SufficientStats, options: CompareOptions): Comparison {
  return compareEstimates(meanEstimate(control), meanEstimate(treatment), options);
}

/** `compare` over arm estimates of any kind (plain means or per-unit ratios). */
export function compareEstimates(control: MeanEstimate, treatment: MeanEstimate, options: CompareOptions): Comparison {
  const c = { n: control.n, mean: control.mean, variance: control.variance };
  const t = { n: treatment.n, mean: treatment.mean, variance: treatment.variance };
  const varC = control.varianceOfMean;
  const varT = treatment.varianceOfMean;
  const diffSe = Math.sqrt(varC + varT);
  const minimum = Math.max(2, options.minUnitsPerArm ?? MIN_UNITS_PER_ARM);
  const usable = c.n >= minimum && t.n >= minimum && Number.isFinite(diffSe);
  const tauAbs = options.plannedLift * Math.max(Math.abs(c.mean), 1e-9);
  const difference = estimate(t.mean - c.mean, usable ? diffSe : 0, tauAbs, options.alpha);
  const liftUsable = usable && c.mean !== 0;
  // The point estimate is shown even before the test may judge it; its interval waits for enough units.
  const lift = c.mean !== 0 && t.n > 0 ? t.mean / c.mean - 1 : 0;
  const liftSe = liftUsable ? Math.sqrt(varT / (c.mean * c.mean) + (t.mean * t.mean * varC) / c.mean ** 4) : 0;
  const relativeLift = estimate(lift, liftSe, options.plannedLift, options.alpha);
  return { control: c, treatment: t, difference, relativeLift };
}

export interface SrmResult {
  chiSquare: number;
  df: number;
  p: number;
  /** p < 0.001: assignment or logging is broken, and no metric can be trusted. */
  mismatch: boolean;
  observed: number[];
  expected: number[];
}

export const SRM_THRESHOLD = 0.001;

/** Chi-square goodness of fit of the observed units per arm against the planned weights. */
export function sampleRatioMismatch(observed: readonly number[], weights: readonly number[]): SrmResult {
  const total = observed.reduce((s, x) => s + x, 0);
  const weightSum = weights.reduce((s, x) => s + x, 0);
  const expected = weights.map((w) => (total * w) / weightSum);
  const cells = expected.map((e, i) => ({ e, o: observed[i] ?? 0 })).filter((cell) => cell.e > 0);
  const chiSquare = cells.reduce((s, { e, o }) => s + ((o - e) * (o - e)) / e, 0);
  const df = cells.length - 1;
  // With one degree of freedom the tail is 2Φ(−√χ²), exact far into the tail where 1 − CDF rounds to 0.
  const p = total === 0 || df < 1 ? 1 : df === 1 ? 2 * phi(-Math.sqrt(chiSquare)) : 1 - chisquareCdf(chiSquare, df);
  return { chiSquare, df, p, mismatch: p < SRM_THRESHOLD, observed: [...observed], expected };
}

export interface Adjusted {
  adjusted: number[];
  rejected: boolean[];
}

/** Holm's step-down adjustment: controls the family-wise error rate (used for guardrails). */
export function holm(pValues: readonly number[], alpha: number): Adjusted {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const adjusted = new Array<number>(m).fill(1);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return { adjusted, rejected: adjusted.map((p) => p < alpha) };
}

/** Benjamini–Hochberg step-up adjustment: controls the false discovery rate (used for secondaries). */
export function benjaminiHochberg(pValues: readonly number[], q: number): Adjusted {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => b.p - a.p);
  const adjusted = new Array<number>(m).fill(1);
  let running = 1;
  order.forEach(({ p, i }, k) => {
    const rank = m - k;
    running = Math.min(running, Math.min(1, (m * p) / rank));
    adjusted[i] = running;
  });
  return { adjusted, rejected: adjusted.map((p) => p < q) };
}

export interface PowerPlan {
  baseline: number;
  /** Relative lift to detect. */
  lift: number;
  alpha: number;
  power: number;
  /** Allocation of units: control share, treatment share (any scale). */
  weights: readonly [number, number];
  /** Standard deviation of one unit's value; for a proportion it follows from the baseline. */
  sd?: number;
}

/** N × Var(relative lift) at the planned effect: Var(lift) is this over the total units N. */
function liftVarianceTimesN(plan: PowerPlan): number {
  const share = plan.weights[0] + plan.weights[1];
  const wC = plan.weights[0] / share;
  const wT = plan.weights[1] / share;
  const c = plan.baseline;
  const t = c * (1 + plan.lift);
  const varC = plan.sd !== undefined ? plan.sd ** 2 : c * (1 - c);
  const varT = plan.sd !== undefined ? plan.sd ** 2 : t * (1 - t);
  return varT / (wT * c * c) + (t * t * varC) / (wC * c ** 4);
}

/** Probability the sequential test has rejected by the time N units are in (at that last look). */
export function sequentialPower(plan: PowerPlan, totalUnits: number): number {
  const variance = liftVarianceTimesN(plan) / totalUnits;
  const half = sequentialHalfWidth(variance, plan.lift * plan.lift, plan.alpha);
  const se = Math.sqrt(variance);
  return phi((plan.lift - half) / se) + phi((-plan.lift - half) / se);
}

export interface SampleSize {
  /** Units needed by a fixed-horizon two-sided z-test read once. */
  fixedTotal: number;
  /** Units needed by the sequential test (read as often as you like) to reach the planned power. */
  sequentialTotal: number;
  /** The sequential total split by the weights. */
  perArm: [number, number];
}

/**
 * Sample size at the planned power. The sequential test pays for peeking with a wider interval, so
 * it needs more units than a test read once; the figure is its power at the final look, and a test
 * that may also stop earlier only detects more often.
 */
export function sampleSize(plan: PowerPlan): SampleSize {
  const v = liftVarianceTimesN(plan);
  const z = phiInverse(1 - plan.alpha / 2) + phiInverse(plan.power);
  const fixedTotal = Math.ceil((z * z * v) / (plan.lift * plan.lift));
  let low = fixedTotal;
  let high = fixedTotal;
  while (sequentialPower(plan, high) < plan.power) high *= 2;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (sequentialPower(plan, mid) >= plan.power) high = mid;
    else low = mid;
  }
  const share = plan.weights[0] + plan.weights[1];
  return {
    fixedTotal,
    sequentialTotal: high,
    perArm: [Math.ceil((high * plan.weights[0]) / share), Math.ceil((high * plan.weights[1]) / share)],
  };
}
