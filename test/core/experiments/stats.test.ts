/**
 * The statistics: means and proportions from sufficient statistics, delta-method lift, the mSPRT
 * confidence sequence, the SRM check, Holm and Benjamini–Hochberg, and sample size — each against a
 * figure computed by hand or a textbook example.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  alwaysValidP,
  benjaminiHochberg,
  compare,
  holm,
  meanAndVariance,
  msprtRatio,
  sampleRatioMismatch,
  sampleSize,
  sequentialHalfWidth,
  sequentialPower,
  meanEstimate,
  ratioEstimate,
  ratioMean,
  unitRatioStats,
} from '../../../lambdas/core/experiments/stats';
import { rejectionRate, seededRandom, simulateStatistics } from '../../../lambdas/core/experiments/simulation';

const statsOf = (values: number[]) => ({
  n: values.length,
  sum: values.reduce((s, x) => s + x, 0),
  sumSq: values.reduce((s, x) => s + x * x, 0),
});

describe('means and proportions from sufficient statistics', () => {
  it('recover the sample mean and unbiased variance exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 2, maxLength: 50 }), (values) => {
        const { mean, variance } = meanAndVariance(statsOf(values));
        const m = values.reduce((s, x) => s + x, 0) / values.length;
        const v = values.reduce((s, x) => s + (x - m) ** 2, 0) / (values.length - 1);
        expect(mean).toBeCloseTo(m, 6);
        expect(variance).toBeCloseTo(v, 3);
      }),
    );
  });

  it('a proportion of 80 successes in 100 has variance p(1 − p)·n/(n − 1)', () => {
    const { mean, variance } = meanAndVariance({ n: 100, sum: 80, sumSq: 80 });
    expect(mean).toBe(0.8);
    expect(variance).toBeCloseTo((0.16 * 100) / 99, 12);
  });

  it('relative lift and its delta-method standard error match the hand computation', () => {
    const control = { n: 1000, sum: 800, sumSq: 800 };
    const treatment = { n: 1000, sum: 880, sumSq: 880 };
    const result = compare(control, treatment, { alpha: 0.05, plannedLift: 0.1 });
    const varC = (0.16 * 1000) / 999 / 1000;
    const varT = (0.88 * 0.12 * 1000) / 999 / 1000;
    expect(result.difference.value).toBeCloseTo(0.08, 12);
    expect(result.difference.se).toBeCloseTo(Math.sqrt(varC + varT), 12);
    expect(result.relativeLift.value).toBeCloseTo(0.1, 12);
    expect(result.relativeLift.se).toBeCloseTo(Math.sqrt(varT / 0.64 + (0.88 ** 2 * varC) / 0.8 ** 4), 12);
    // Fixed-horizon 95 % interval is ±1.96 se; the sequential one is wider (it pays for peeking).
    expect(result.relativeLift.fixed[1] - result.relativeLift.value).toBeCloseTo(1.959964 * result.relativeLift.se, 5);
    expect(result.relativeLift.sequential[1] - result.relativeLift.value).toBeGreaterThan(1.96 * result.relativeLift.se);
    expect(result.relativeLift.sequentialP).toBeLessThan(0.05);
  });

  it('too few units in an arm are never judged', () => {
    const result = compare({ n: 50, sum: 10, sumSq: 10 }, { n: 50, sum: 50, sumSq: 50 }, { alpha: 0.05, plannedLift: 0.1 });
    expect(result.relativeLift.sequentialP).toBe(1);
    expect(result.difference.fixedP).toBe(1);
  });
});

describe('the mSPRT confidence sequence', () => {
  it('rejects exactly where the estimate leaves the confidence sequence', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1, noNaN: true }), fc.double({ min: 1e-4, max: 1, noNaN: true }), (variance, tau2) => {
        const half = sequentialHalfWidth(variance, tau2, 0.05);
        expect(msprtRatio(half, variance, tau2)).toBeCloseTo(20, 6);
        expect(alwaysValidP(half * 1.01, variance, tau2)).toBeLessThan(0.05);
        expect(alwaysValidP(half * 0.99, variance, tau2)).toBeGreaterThan(0.05);
      }),
    );
  });

  it('keeps A/A false positives under α when peeked 40 times, where a fixed test read at each peek does not', () => {
    const design = { baseline: 0.5, plannedLift: 0.1, alpha: 0.05, power: 0.8, treatmentShare: 0.5 };
    const rate = rejectionRate(design, { runs: 300, peeks: 40, units: 8_000, trueLift: 0, seed: 7 });
    expect(rate).toBeLessThanOrEqual(0.05);
    // The naive reading: a z-test at every peek (what the sequential test exists to prevent).
    const random = seededRandom(7);
    let naive = 0;
    for (let run = 0; run < 300; run += 1) {
      const c = { n: 0, sum: 0, sumSq: 0 };
      const t = { n: 0, sum: 0, sumSq: 0 };
      for (let peek = 0; peek < 40; peek += 1) {
        for (let u = 0; u < 200; u += 1) {
          const arm = random() < 0.5 ? t : c;
          const y = random() < 0.5 ? 1 : 0;
          arm.n += 1;
          arm.sum += y;
          arm.sumSq += y;
        }
        if (compare(c, t, { alpha: 0.05, plannedLift: 0.1 }).relativeLift.fixedP < 0.05) {
          naive += 1;
          break;
        }
      }
    }
    expect(naive / 300).toBeGreaterThan(0.12);
  });
});

describe('sample-ratio mismatch', () => {
  it('matches the textbook chi-square: 45/55 of 1,000 on a 50/50 design gives χ² = 10, p ≈ 0.00157', () => {
    const srm = sampleRatioMismatch([450, 550], [0.5, 0.5]);
    expect(srm.chiSquare).toBeCloseTo(10, 10);
    expect(srm.p).toBeCloseTo(0.001565, 5);
    expect(srm.mismatch).toBe(false);
    expect(sampleRatioMismatch([4500, 5500], [0.5, 0.5]).mismatch).toBe(true);
  });

  it('uses the chi-square tail for three arms (df 2: p = e^(−χ²/2))', () => {
    const srm = sampleRatioMismatch([300, 340, 360], [1, 1, 1]);
    expect(srm.df).toBe(2);
    expect(srm.p).toBeCloseTo(Math.exp(-srm.chiSquare / 2), 8);
  });

  it('a split that matches the weights passes', () => {
    expect(sampleRatioMismatch([9_010, 990], [0.9, 0.1]).mismatch).toBe(false);
  });
});

describe('multiple comparisons', () => {
  it('Holm adjusts the textbook example', () => {
    const { adjusted, rejected } = holm([0.01, 0.04, 0.03], 0.05);
    expect(adjusted).toEqual([0.03, 0.06, 0.06]);
    expect(rejected).toEqual([true, false, false]);
  });

  it('Benjamini–Hochberg adjusts the textbook example', () => {
    const { adjusted, rejected } = benjaminiHochberg([0.01, 0.04, 0.03, 0.2], 0.05);
    expect(adjusted.map((p) => Number(p.toFixed(6)))).toEqual([0.04, 0.053333, 0.053333, 0.2]);
    expect(rejected).toEqual([true, false, false, false]);
  });

  it('adjusted p-values are never below the raw ones, and Holm is never below BH', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 12 }), (ps) => {
        const h = holm(ps, 0.05).adjusted;
        const b = benjaminiHochberg(ps, 0.05).adjusted;
        ps.forEach((p, i) => {
          expect(h[i]!).toBeGreaterThanOrEqual(p - 1e-12);
          expect(b[i]!).toBeGreaterThanOrEqual(p - 1e-12);
          expect(h[i]!).toBeGreaterThanOrEqual(b[i]! - 1e-12);
        });
      }),
    );
  });
});

describe('power and sample size', () => {
  const plan = { baseline: 0.8, lift: 0.1, alpha: 0.05, power: 0.8, weights: [0.5, 0.5] as const };

  it('the fixed-horizon size is the textbook (z₁₋α/₂ + z₁₋β)²·σ²/δ² formula', () => {
    // 50/50, p 0.80 → 0.88: N·Var(lift) = 0.88·0.12/(0.5·0.64) + 0.88²·0.16/(0.5·0.4096)
    const v = (0.88 * 0.12) / (0.5 * 0.64) + (0.88 ** 2 * 0.16) / (0.5 * 0.4096);
    expect(sampleSize(plan).fixedTotal).toBe(Math.ceil((2.8015852 ** 2 * v) / 0.01));
  });

  it('the sequential size reaches the planned power and costs more units than the fixed one', () => {
    const size = sampleSize(plan);
    expect(size.sequentialTotal).toBeGreaterThan(size.fixedTotal);
    expect(sequentialPower(plan, size.sequentialTotal)).toBeGreaterThanOrEqual(0.8);
    expect(sequentialPower(plan, size.sequentialTotal - 1)).toBeLessThan(0.8);
  });

  it('a planted 10 % lift is detected at least at the planned power, and the simulation is seeded', () => {
    const design = { baseline: 0.8, plannedLift: 0.1, alpha: 0.05, power: 0.8, treatmentShare: 0.1 };
    const a = simulateStatistics(design, { runs: 200, peeks: 40, seed: 3 });
    expect(a.power.detectedRate).toBeGreaterThanOrEqual(0.75);
    expect(a.aa.falsePositiveRate).toBeLessThanOrEqual(0.05);
    expect(a.srm.detected).toBe(true);
    expect(simulateStatistics(design, { runs: 200, peeks: 40, seed: 3 })).toEqual(a);
  });
});

describe('per-unit aggregation (ratio metrics)', () => {
  it('with one observation per unit, the ratio is the plain mean and its variance the plain one', () => {
    const values = [0, 1, 1, 0, 1, 1, 1, 0, 1, 1];
    const plain = meanEstimate({ n: values.length, sum: 7, sumSq: 7 });
    const ratio = ratioEstimate(unitRatioStats(values.map((x) => ({ x, n: 1 }))));
    expect(ratio.mean).toBeCloseTo(plain.mean, 12);
    expect(ratio.varianceOfMean).toBeCloseTo(plain.varianceOfMean, 12);
  });

  it('a unit observed many times counts as one draw: its repeats do not shrink the variance', () => {
    // Two units, one always 1, one always 0: 100 observations each are still two draws.
    const naive = meanEstimate({ n: 200, sum: 100, sumSq: 100 });
    const { mean, varianceOfMean, units } = ratioMean(
      unitRatioStats([
        { x: 100, n: 100 },
        { x: 0, n: 100 },
      ]),
    );
    expect(units).toBe(2);
    expect(mean).toBe(0.5);
    expect(varianceOfMean).toBeGreaterThan(50 * naive.varianceOfMean);
  });

  it('leaves out units with no observation of the metric', () => {
    expect(
      unitRatioStats([
        { x: 0, n: 0 },
        { x: 2, n: 1 },
      ]),
    ).toEqual({ units: 1, x: 2, n: 1, xx: 4, nn: 1, xn: 2 });
  });
});
