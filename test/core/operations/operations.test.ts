import { describe, expect, it } from 'vitest';
import { runDetailOf, runsInRange } from '../../../lambdas/core/operations/runs';
import { costOverview } from '../../../lambdas/core/operations/cost';
import type { CostLedgerRun, RunAudit, StockOutcome } from '../../../lambdas/core/model';
import { parseBudgets } from '../../../lambdas/core/cost/budget';

const audit = (runId: string, asOf: string, failed = 0): RunAudit => ({
  runId,
  asOf,
  status: 'succeeded',
  tickers: ['AAA', 'BBB'],
  startedAt: `${asOf}T06:00:00Z`,
  concurrency: 10,
  totals: {
    stocks: 2,
    succeeded: 2 - failed,
    failed,
    skippedUnchanged: 0,
    verified: 2 - failed,
    regenerated: 0,
    factsOnly: 0,
    durationMs: 1000,
    embeddingCache: { hits: 3, misses: 1, hitRate: 0.75, degraded: 0 },
    verification: { passRate: 1, claimsChecked: 10, findings: 0 },
    cost: { totalUsd: 0.1, perStockUsd: 0.05, estimated: true },
    tokens: { input: 1, output: 1, cacheRead: 0, cacheWrite: 0 },
    failures: [],
  },
});

const outcome = (ticker: string, status: StockOutcome['status'], durationMs: number, error?: string): StockOutcome => ({
  runId: 'r2',
  ticker,
  asOf: '2026-12-02',
  status,
  skippedUnchanged: false,
  embedding: { hits: 0, misses: 0, chunks: 0, degraded: 0 },
  claimsChecked: 0,
  findings: 0,
  sourceFailures: [],
  costUsd: 0.01,
  costEstimated: true,
  tokens: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
  durationMs,
  ...(error ? { error } : {}),
  completedAt: '2026-12-02T06:00:01Z',
});

const ledger = (runId: string, stockCosts: number[], queryCosts: number[] = []): CostLedgerRun => ({
  runId,
  total: {
    costUsd: [...stockCosts, ...queryCosts].reduce((a, b) => a + b, 0),
    modelUsd: 0,
    embeddingUsd: 0,
    infrastructureUsd: 0,
    attempts: 1,
    calls: 1,
    tokens: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
    estimated: true,
    firstAt: '2026-12-02T06:00:00Z',
    lastAt: '2026-12-02T06:00:00Z',
    priceVersion: 'v',
  },
  lines: [
    {
      agent: 'writer',
      modelId: 'm1',
      task: 'write_summary',
      calls: 1,
      usage: { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
      costUsd: 0.03,
      estimated: true,
      downgrades: 0,
    },
  ],
  units: [
    ...stockCosts.map((c, i) => ({ kind: 'stock' as const, unitId: `S${i}`, costUsd: c })),
    ...queryCosts.map((c, i) => ({ kind: 'query' as const, unitId: `Q${i}`, costUsd: c })),
  ].map((u) => ({
    ...u,
    variant: '',
    modelUsd: u.costUsd,
    embeddingUsd: 0,
    infrastructureUsd: 0,
    attempts: 1,
    downgrades: 0,
    skippedSteps: [],
    budget: { capUsd: 1, targetUsd: 0.1, status: 'within_target' as const },
    estimated: true,
  })),
});

const budgets = parseBudgets({
  version: 't',
  stock: { targetUsd: 0.1, capUsd: 0.4 },
  query: { targetUsd: 0.02, capUsd: 0.08 },
  spend: { dailyUsd: 10, monthlyUsd: 100 },
});

describe('the operator views', () => {
  it('lists the runs whose as-of date is in the range, newest first, with the ledger cost', () => {
    const rows = runsInRange(
      [audit('r1', '2026-12-01'), audit('r2', '2026-12-02', 1), audit('r0', '2026-10-01')],
      { from: '2026-11-01', to: '2026-12-31' },
      new Map([['r2', 0.25]]),
    );
    expect(rows.map((r) => r.runId)).toEqual(['r2', 'r1']);
    expect(rows[0]).toMatchObject({ failed: 1, costUsd: 0.25, embeddingHitRate: 0.75 });
    expect(rows[1]!.costUsd).toBe(0.1);
  });

  it("opens a run's failed stocks with their errors and its timings, and names tickers with no outcome", () => {
    const detail = runDetailOf({ ...audit('r2', '2026-12-02', 1), tickers: ['AAA', 'BBB', 'CCC'] }, [
      outcome('AAA', 'verified', 100),
      outcome('BBB', 'failed', 300, 'boom'),
    ]);
    expect(detail.failed).toEqual([{ ticker: 'BBB', error: 'boom', durationMs: 300, completedAt: '2026-12-02T06:00:01Z' }]);
    expect(detail.missing).toEqual(['CCC']);
    expect(detail.stocks.map((s) => s.ticker)).toEqual(['BBB', 'AAA']);
    expect(detail.timings).toEqual({ p50Ms: 100, p95Ms: 300, maxMs: 300 });
  });

  it('puts each night and query day on its own date, per unit, with the burn of the last day and its month', () => {
    const overview = costOverview(
      [ledger('r1', [0.02, 0.04]), ledger('r2', [0.06]), ledger('queries-2026-12-02', [], [0.01, 0.03])],
      new Map([
        ['r1', '2026-12-01'],
        ['r2', '2026-12-02'],
      ]),
      budgets,
      { from: '2026-12-01', to: '2026-12-02' },
    );
    expect(overview.stockNights.map((p) => [p.date, p.perUnitUsd])).toEqual([
      ['2026-12-01', 0.03],
      ['2026-12-02', 0.06],
    ]);
    expect(overview.queries).toEqual([{ date: '2026-12-02', runId: 'queries-2026-12-02', perUnitUsd: 0.02, units: 2, totalUsd: 0.04 }]);
    expect(overview.byAgent.map((b) => b.parts.writer)).toEqual([0.03, 0.03, 0.03]);
    expect(overview.burn.day).toEqual({ period: '2026-12-02', spentUsd: 0.1, budgetUsd: 10, share: 0.01 });
    expect(overview.burn.month.spentUsd).toBeCloseTo(0.16, 9);
  });
});
