import { describe, expect, it } from 'vitest';
import { aggregateRun } from '../../../lambdas/core/pipeline/aggregate-run';
import type { StockOutcome } from '../../../lambdas/core/model/index';

function outcome(ticker: string, overrides: Partial<StockOutcome> = {}): StockOutcome {
  return {
    runId: 'r1',
    ticker,
    asOf: '2026-11-24',
    status: 'verified',
    skippedUnchanged: false,
    embedding: { hits: 8, misses: 2, chunks: 10, degraded: 0 },
    claimsChecked: 20,
    findings: 0,
    sourceFailures: [],
    costUsd: 0.01,
    costEstimated: true,
    tokens: { input: 100, output: 50, cacheRead: 10, cacheWrite: 0 },
    durationMs: 10,
    completedAt: '2026-11-24T10:00:00Z',
    ...overrides,
  };
}

describe('aggregating a run', () => {
  it('counts a requested stock with no outcome as failed, so a lost stock never looks like success', () => {
    const totals = aggregateRun([outcome('AAA')], ['AAA', 'BBB'], 1000);
    expect(totals).toMatchObject({ stocks: 2, succeeded: 1, failed: 1 });
    expect(totals.failures).toEqual([{ ticker: 'BBB', error: 'no outcome recorded' }]);
  });

  it('reports pass rate, hit rate and cost per stock over the whole run', () => {
    const totals = aggregateRun(
      [
        outcome('AAA'),
        outcome('BBB', { status: 'regenerated' }),
        outcome('CCC', { status: 'facts_only' }),
        outcome('DDD', { status: 'failed', error: 'boom', costUsd: 0 }),
      ],
      ['AAA', 'BBB', 'CCC', 'DDD'],
      1000,
    );
    expect(totals).toMatchObject({ succeeded: 3, failed: 1, verified: 1, regenerated: 1, factsOnly: 1 });
    expect(totals.verification.passRate).toBeCloseTo(2 / 3, 4);
    expect(totals.embeddingCache).toMatchObject({ hits: 32, misses: 8, hitRate: 0.8 });
    expect(totals.cost).toEqual({ totalUsd: 0.03, perStockUsd: 0.0075, estimated: true });
  });
});
