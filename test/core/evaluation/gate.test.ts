import { describe, expect, it } from 'vitest';
import { judgeMetric, judgeSuite, limitFor, parseBaseline, parseThresholds } from '../../../lambdas/core/evaluation/gate';
import { wilson } from '../../../lambdas/core/evaluation/stats';
import { ConfigError } from '../../../lambdas/core/errors';

const thresholds = parseThresholds({
  version: 't',
  suites: {
    adversarial: { 'recall.*': { min: 0.95 }, recall: { min: 0.9 }, false_positive_rate: { max: 0.05 } },
    query: { latency_p95_ms: { max: 100, paired: false }, grounded: { min: 1, hard: true } },
  },
});

describe('the quality gate', () => {
  it('passes a metric within its limit and fails one outside, saying why', () => {
    expect(judgeMetric(wilson(97, 100), { min: 0.95 }).pass).toBe(true);
    const failed = judgeMetric(wilson(90, 100), { min: 0.95 });
    expect(failed.pass).toBe(false);
    expect(failed.reason).toBe('0.9 is below the threshold 0.95');
    expect(judgeMetric(wilson(6, 100), { max: 0.05 }).reason).toBe('0.06 is above the threshold 0.05');
  });

  it('fails a hard gate on a single failing item', () => {
    const verdict = judgeMetric(wilson(199, 200), { min: 1, hard: true });
    expect(verdict.pass).toBe(false);
    expect(verdict.hard).toBe(true);
  });

  it('never passes a metric measured on no items', () => {
    expect(judgeMetric(wilson(0, 0), { max: 0.05 })).toMatchObject({ pass: false, reason: 'no items were measured' });
  });

  it('fails a change that falls below the baseline by more than its interval, and tolerates one within it', () => {
    const now = wilson(960, 1000); // ±0.012
    expect(judgeMetric(now, { min: 0.9 }, { value: 0.99 })).toMatchObject({ pass: false, baseline: { regressed: true } });
    expect(judgeMetric(now, { min: 0.9 }, { value: 0.965 })).toMatchObject({ pass: true, baseline: { regressed: false } });
    // Better than the baseline is never a regression; for a max-metric, higher is worse.
    expect(judgeMetric(wilson(999, 1000), { min: 0.9 }, { value: 0.5 }).pass).toBe(true);
    expect(judgeMetric(wilson(40, 1000), { max: 0.05 }, { value: 0.01 }).baseline?.regressed).toBe(true);
  });

  it('does not pair wall-clock metrics with the baseline', () => {
    const verdict = judgeMetric({ value: 50, low: 40, high: 60, n: 10 }, { max: 100, paired: false }, { value: 10 });
    expect(verdict.pass).toBe(true);
    expect(verdict.baseline).toBeUndefined();
  });

  it('finds a metric its own limit or the longest matching wildcard', () => {
    expect(limitFor(thresholds, 'adversarial', 'recall')).toEqual({ min: 0.9 });
    expect(limitFor(thresholds, 'adversarial', 'recall.wrong_scale')).toEqual({ min: 0.95 });
    expect(limitFor(thresholds, 'adversarial', 'precision')).toBeUndefined();
  });

  it('refuses a metric without a limit and a limit without its metric', () => {
    expect(() => judgeSuite('adversarial', { precision: wilson(1, 1) }, thresholds)).toThrow(/no limit for adversarial metric precision/);
    expect(() => judgeSuite('query', { latency_p95_ms: wilson(1, 1) }, thresholds)).toThrow(/grounded, which the suite does not measure/);
  });

  it('rejects malformed thresholds and baselines with a one-line reason', () => {
    expect(() => parseThresholds({ version: 'x', suites: { adversarial: { recall: { min: 0.9, max: 1 } } } })).toThrow(ConfigError);
    expect(() => parseThresholds({ version: 'x', suites: { adversarial: { recall: { min: 0.9, max: 1 } } } })).toThrow(
      /suites\.adversarial\.recall: give exactly one of min and max/,
    );
    expect(() => parseBaseline({ llm: 'local' })).toThrow(/baseline is invalid at acceptedAt/);
  });
});
