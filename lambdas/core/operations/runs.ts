/**
 * The operator's view of batch runs: one row per run (from its audit and its ledger total) and a
 * run's detail (its failed stocks with their errors, and per-stock timings). Pure: the audits,
 * outcomes and ledger totals are read by adapters and handed in.
 */
import type { IsoDate, RunAudit, StockOutcome } from '../model';

/** An inclusive range of as-of dates (YYYY-MM-DD compares as text). */
export interface DateRange {
  from: IsoDate;
  to: IsoDate;
}

export function inRange(date: string, range: DateRange): boolean {
  return date >= range.from && date <= range.to;
}

export interface RunRow {
  runId: string;
  asOf: IsoDate;
  status: RunAudit['status'];
  startedAt: string;
  finishedAt?: string;
  stocks: number;
  succeeded: number;
  regenerated: number;
  factsOnly: number;
  failed: number;
  skippedUnchanged: number;
  durationMs: number;
  /** The cost ledger's figure when it has the run (every attempt, failed ones included), else the audit's. */
  costUsd: number;
  costEstimated: boolean;
  /** Embedding-hash cache hits over lookups, 0–1. */
  embeddingHitRate: number;
  verificationPassRate: number;
  findings: number;
}

/** A run as a row; a run still running (no totals yet) shows what its audit knows. */
export function runRowOf(audit: RunAudit, ledgerCostUsd?: number): RunRow {
  const t = audit.totals;
  return {
    runId: audit.runId,
    asOf: audit.asOf,
    status: audit.status,
    startedAt: audit.startedAt,
    ...(audit.finishedAt ? { finishedAt: audit.finishedAt } : {}),
    stocks: t?.stocks ?? audit.tickers.length,
    succeeded: t?.succeeded ?? 0,
    regenerated: t?.regenerated ?? 0,
    factsOnly: t?.factsOnly ?? 0,
    failed: t?.failed ?? 0,
    skippedUnchanged: t?.skippedUnchanged ?? 0,
    durationMs: t?.durationMs ?? 0,
    costUsd: ledgerCostUsd ?? t?.cost.totalUsd ?? 0,
    costEstimated: t?.cost.estimated ?? false,
    embeddingHitRate: t?.embeddingCache.hitRate ?? 0,
    verificationPassRate: t?.verification.passRate ?? 0,
    findings: t?.verification.findings ?? 0,
  };
}

/** The runs whose as-of date is in `range`, newest as-of first (and, on one date, latest started first). */
export function runsInRange(audits: readonly RunAudit[], range: DateRange, ledgerCost: ReadonlyMap<string, number>): RunRow[] {
  return audits
    .filter((a) => inRange(a.asOf, range))
    .map((a) => runRowOf(a, ledgerCost.get(a.runId)))
    .sort((a, b) => b.asOf.localeCompare(a.asOf) || b.startedAt.localeCompare(a.startedAt));
}

export interface StockTiming {
  ticker: string;
  status: StockOutcome['status'];
  skippedUnchanged: boolean;
  durationMs: number;
  costUsd: number;
  sourceFailures: string[];
  error?: string;
}

export interface RunDetail {
  run: RunRow;
  failed: Array<{ ticker: string; error: string; durationMs: number; completedAt: string }>;
  /** Tickers the run was asked for that have no outcome (lost, or still running). */
  missing: string[];
  /** Every stock, slowest first. */
  stocks: StockTiming[];
  timings: { p50Ms: number; p95Ms: number; maxMs: number };
}

/** Nearest-rank percentile of sorted values (0 for none). */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export function runDetailOf(audit: RunAudit, outcomes: readonly StockOutcome[], ledgerCostUsd?: number): RunDetail {
  const seen = new Set(outcomes.map((o) => o.ticker));
  const stocks = outcomes
    .map((o) => ({
      ticker: o.ticker,
      status: o.status,
      skippedUnchanged: o.skippedUnchanged,
      durationMs: o.durationMs,
      costUsd: o.costUsd,
      sourceFailures: o.sourceFailures.map((f) => f.source),
      ...(o.error ? { error: o.error } : {}),
    }))
    .sort((a, b) => b.durationMs - a.durationMs || a.ticker.localeCompare(b.ticker));
  const durations = outcomes.map((o) => o.durationMs).sort((a, b) => a - b);
  return {
    run: runRowOf(audit, ledgerCostUsd),
    failed: outcomes
      .filter((o) => o.status === 'failed')
      .map((o) => ({
        ticker: o.ticker,
        error: o.error ?? 'failed without a recorded error',
        durationMs: o.durationMs,
        completedAt: o.completedAt,
      }))
      .sort((a, b) => a.ticker.localeCompare(b.ticker)),
    missing: audit.tickers.filter((t) => !seen.has(t)).sort(),
    stocks,
    timings: { p50Ms: percentile(durations, 0.5), p95Ms: percentile(durations, 0.95), maxMs: durations.at(-1) ?? 0 },
  };
}
