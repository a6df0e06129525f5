/** Roll per-stock outcomes up into the run audit's totals (pure). */
import type { RunTotals, StockOutcome } from '../model';

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : Math.round((numerator / denominator) * 10_000) / 10_000;
}

/**
 * `requested` counts stocks the run was asked for: one with no outcome at all was lost and counts
 * as failed, so a silent loss can never look like success.
 */
export function aggregateRun(outcomes: StockOutcome[], requested: string[], durationMs: number): RunTotals {
  const byTicker = new Map(outcomes.map((o) => [o.ticker, o]));
  const failures = [
    ...outcomes.filter((o) => o.status === 'failed').map((o) => ({ ticker: o.ticker, error: o.error ?? 'unknown error' })),
    ...requested.filter((t) => !byTicker.has(t)).map((ticker) => ({ ticker, error: 'no outcome recorded' })),
  ];
  const done = outcomes.filter((o) => o.status !== 'failed');
  const count = (status: StockOutcome['status']) => done.filter((o) => o.status === status).length;
  const hits = outcomes.reduce((n, o) => n + o.embedding.hits, 0);
  const misses = outcomes.reduce((n, o) => n + o.embedding.misses, 0);
  const totalUsd = outcomes.reduce((n, o) => n + o.costUsd, 0);
  const stocks = Math.max(requested.length, outcomes.length);
  const sumTokens = (pick: (o: StockOutcome) => number) => outcomes.reduce((n, o) => n + pick(o), 0);
  return {
    stocks,
    succeeded: done.length,
    failed: failures.length,
    skippedUnchanged: done.filter((o) => o.skippedUnchanged).length,
    verified: count('verified'),
    regenerated: count('regenerated'),
    factsOnly: count('facts_only'),
    durationMs,
    embeddingCache: { hits, misses, hitRate: ratio(hits, hits + misses), degraded: outcomes.reduce((n, o) => n + o.embedding.degraded, 0) },
    // A published brief passed when it was verified first time or after one regeneration.
    verification: {
      passRate: ratio(count('verified') + count('regenerated'), done.length),
      claimsChecked: outcomes.reduce((n, o) => n + o.claimsChecked, 0),
      findings: outcomes.reduce((n, o) => n + o.findings, 0),
    },
    cost: {
      totalUsd: Math.round(totalUsd * 1e6) / 1e6,
      perStockUsd: stocks === 0 ? 0 : Math.round((totalUsd / stocks) * 1e6) / 1e6,
      estimated: outcomes.some((o) => o.costEstimated),
    },
    tokens: {
      input: sumTokens((o) => o.tokens.input),
      output: sumTokens((o) => o.tokens.output),
      cacheRead: sumTokens((o) => o.tokens.cacheRead),
      cacheWrite: sumTokens((o) => o.tokens.cacheWrite),
    },
    failures,
  };
}
