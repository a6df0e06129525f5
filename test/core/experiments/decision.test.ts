/**
 * The decision: a mismatch voids the test, a breached guardrail rolls back, a better primary with
 * every criterion met ships, and otherwise the test continues until its plan says it is done.
 */
import { describe, expect, it } from 'vitest';
import { analyse } from '../../../lambdas/core/experiments/decision';
import type { ExperimentCounts, SufficientStats } from '../../../lambdas/core/experiments/stats';
import { experiment } from './fixtures';

const rate = (n: number, p: number): SufficientStats => ({ n, sum: Math.round(n * p), sumSq: Math.round(n * p) });
const mean = (n: number, m: number, sd: number): SufficientStats => ({ n, sum: n * m, sumSq: n * (sd * sd + m * m) - sd * sd });

const definition = experiment({
  metrics: {
    primary: { name: 'fact_check_pass_rate', kind: 'proportion', direction: 'increase', baseline: 0.8, minimumDetectableLift: 0.1 },
    secondary: [{ name: 'medium_words', kind: 'mean', direction: 'decrease' }],
    guardrails: [{ name: 'facts_only_rate', kind: 'proportion', direction: 'decrease', allowedDegradation: 0.02 }],
  },
  successCriteria: { fact_check_pass_rate: '> control + 0.02', medium_words: '< control' },
});

function counts(v2: { pass: number; factsOnly: number; words: number }, n = { v1: 18_000, v2: 2_000 }): ExperimentCounts {
  return {
    exposures: { v1: n.v1, v2: n.v2 },
    metrics: {
      fact_check_pass_rate: { v1: rate(n.v1, 0.8), v2: rate(n.v2, v2.pass) },
      facts_only_rate: { v1: rate(n.v1, 0.05), v2: rate(n.v2, v2.factsOnly) },
      medium_words: { v1: mean(n.v1, 150, 20), v2: mean(n.v2, v2.words, 20) },
    },
  };
}

describe('the experiment decision', () => {
  it('ships a treatment whose primary improved and that meets every success criterion', () => {
    const report = analyse(definition, counts({ pass: 0.9, factsOnly: 0.05, words: 110 }), { elapsedDays: 10 });
    expect(report.decision).toBe('ship');
    expect(report.reason).toMatch(/improved/);
    expect(report.arms[0]!.criteria.every((c) => c.met)).toBe(true);
    expect(report.arms[0]!.secondary[0]!.verdict).toBe('better');
  });

  it('rolls back when a guardrail degrades past its allowance, whatever the primary says', () => {
    const report = analyse(definition, counts({ pass: 0.9, factsOnly: 0.12, words: 110 }), { elapsedDays: 10 });
    expect(report.decision).toBe('roll_back');
    expect(report.reason).toMatch(/guardrail facts_only_rate/);
    expect(report.reason).toMatch(/runbooks\/ab-guardrail\.md/);
  });

  it('does not roll back for a degradation within the allowance', () => {
    const report = analyse(definition, counts({ pass: 0.9, factsOnly: 0.06, words: 110 }), { elapsedDays: 10 });
    expect(report.arms[0]!.guardrails[0]!.breached).toBe(false);
    expect(report.decision).toBe('ship');
  });

  it('rolls back a treatment whose primary is worse', () => {
    expect(analyse(definition, counts({ pass: 0.7, factsOnly: 0.05, words: 110 }), { elapsedDays: 10 }).decision).toBe('roll_back');
  });

  it('continues while there is no effect and the plan is not done, and is inconclusive once it is', () => {
    const flat = counts({ pass: 0.8, factsOnly: 0.05, words: 150 }, { v1: 900, v2: 100 });
    const early = analyse(definition, flat, { elapsedDays: 3 });
    expect(early.decision).toBe('continue');
    expect(early.reason).toMatch(/day 3 of 28/);
    const done = analyse(definition, counts({ pass: 0.8, factsOnly: 0.05, words: 150 }), { elapsedDays: 30 });
    expect(done.decision).toBe('inconclusive');
    expect(done.reason).toMatch(/no detectable effect/);
  });

  it('calls a sample-ratio mismatch inconclusive before reading any metric', () => {
    const report = analyse(
      definition,
      { ...counts({ pass: 0.9, factsOnly: 0.05, words: 110 }), exposures: { v1: 17_000, v2: 3_000 } },
      { elapsedDays: 10 },
    );
    expect(report.srm.mismatch).toBe(true);
    expect(report.decision).toBe('inconclusive');
    expect(report.reason).toMatch(/sample ratio mismatch/);
  });

  it('judges per unit where observations carried their unit: many observations of a few units are few draws', () => {
    const observed = counts({ pass: 0.9, factsOnly: 0.05, words: 110 });
    // The same observations, but from only 50 stocks per arm, each seen hundreds of times.
    const few = (n: number, p: number, units: number) => {
      const per = n / units;
      const x = Math.round(n * p);
      return { units, x, n, xx: units * (x / units) ** 2, nn: units * per * per, xn: units * (x / units) * per };
    };
    const perUnit = { fact_check_pass_rate: { v1: few(18_000, 0.8, 50), v2: few(2_000, 0.9, 50) } };
    expect(analyse(definition, observed, { elapsedDays: 10 }).decision).toBe('ship');
    const report = analyse(definition, { ...observed, perUnit }, { elapsedDays: 10 });
    expect(report.arms[0]!.primary.comparison.treatment.n).toBe(50);
    expect(report.decision).toBe('continue');
    expect(report.reason).toMatch(/too few units/);
  });
});
