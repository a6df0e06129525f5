/** The paired pre-launch check: the mean paired difference and its interval, and a guardrail that blocks. */
import { describe, expect, it } from 'vitest';
import { pairEvaluationItems, pairedDifference, prelaunchCheck } from '../../../lambdas/core/experiments/paired';
import { experiment } from './fixtures';

describe('the paired comparison', () => {
  it('is the mean of the differences with se = sd/√n', () => {
    const m = pairedDifference('x', [
      [10, 12],
      [20, 21],
      [30, 33],
    ]);
    expect(m.difference).toBe(2);
    expect(m.se).toBeCloseTo(1 / Math.sqrt(3), 12);
    expect(m.interval[0]).toBeCloseTo(2 - 1.959964 / Math.sqrt(3), 5);
    expect(m.control).toBe(20);
    expect(m.treatment).toBe(22);
  });

  it('blocks a treatment whose guardrail is worse beyond its allowance, and passes one within it', () => {
    const e = experiment({
      metrics: {
        primary: { name: 'fact_check_pass_rate', kind: 'proportion', direction: 'increase', baseline: 0.8, minimumDetectableLift: 0.1 },
        guardrails: [{ name: 'facts_only_rate', kind: 'proportion', direction: 'decrease', allowedDegradation: 0.02 }],
      },
    });
    const worse = Array.from({ length: 100 }, (_, i) => [0, i % 2] as const);
    const same = Array.from({ length: 100 }, (_, i) => [i % 5 === 0 ? 1 : 0, i % 5 === 0 ? 1 : 0] as const);
    expect(prelaunchCheck(e, 'v2', { facts_only_rate: worse })).toMatchObject({
      passed: false,
      reason: expect.stringMatching(/^blocked: facts_only_rate is worse by 0\.5/),
    });
    expect(prelaunchCheck(e, 'v2', { facts_only_rate: same })).toMatchObject({ passed: true, units: 100 });
  });

  it("pairs two evaluation runs item by item: each metric both runs observed, and each suite's pass verdicts", () => {
    const control = {
      regression: {
        a: { pass: true, observations: { medium_words: 150, cost_usd: 0.01 } },
        b: { pass: false, observations: { medium_words: 140 } },
      },
      query: { q1: { pass: true }, q2: { pass: true, observations: { answer_flagged_rate: 0 } } },
      adversarial: { x: { pass: true } },
    };
    const treatment = {
      regression: {
        a: { pass: true, observations: { medium_words: 110, cost_usd: 0.008 } },
        b: { pass: true, observations: { medium_words: 105, cost_usd: 0.007 } },
        c: { pass: true, observations: { medium_words: 99 } },
      },
      query: { q1: { pass: false }, q2: { pass: true, observations: { answer_flagged_rate: 1 } } },
    };
    expect(pairEvaluationItems(control, treatment)).toEqual({
      'eval_pass.regression': [
        [1, 1],
        [0, 1],
      ],
      medium_words: [
        [150, 110],
        [140, 105],
      ],
      cost_usd: [[0.01, 0.008]],
      'eval_pass.query': [
        [1, 0],
        [1, 1],
      ],
      answer_flagged_rate: [[0, 1]],
    });
  });
});
