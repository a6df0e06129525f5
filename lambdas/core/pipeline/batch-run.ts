/**
 * The run-level steps around the per-stock Map: open a run (Prepare), record a failed stock
 * (the Map's Catch), and close the run with its totals (Finalize).
 */
import type { RunAudit, RunTotals, StockOutcome, IsoDate } from '../model';
import type { RunRepository, UniverseSource } from '../ports';
import { InputValidationError, NotFoundError } from '../errors';
import { aggregateRun } from './aggregate-run';

export interface PrepareRequest {
  asOf: IsoDate;
  limit?: number;
  tickers?: string[];
  concurrency: number;
  runId: string;
}

export interface PreparedRun {
  runId: string;
  asOf: IsoDate;
  tickers: string[];
  concurrency: number;
}

export async function prepareRun(
  request: PrepareRequest,
  deps: { universe: UniverseSource; runs: RunRepository; now: () => Date },
): Promise<PreparedRun> {
  const companies = await deps.universe.list();
  let tickers = companies.map((c) => c.ticker);
  if (request.tickers) {
    const known = new Set(tickers);
    const unknown = request.tickers.filter((t) => !known.has(t));
    if (unknown.length > 0) throw new NotFoundError(`unknown ticker${unknown.length > 1 ? 's' : ''}: ${unknown.slice(0, 5).join(', ')}`);
    tickers = [...new Set(request.tickers)];
  }
  if (request.limit !== undefined) tickers = tickers.slice(0, request.limit);
  if (tickers.length === 0) throw new InputValidationError('the run has no stocks to process');
  const existing = await deps.runs.getRun(request.runId);
  if (!existing) {
    await deps.runs.createRun({
      runId: request.runId,
      asOf: request.asOf,
      status: 'running',
      tickers,
      startedAt: deps.now().toISOString(),
      concurrency: request.concurrency,
    });
  }
  return { runId: request.runId, asOf: request.asOf, tickers, concurrency: request.concurrency };
}

/** The Map's Catch: store the failure with its reason, unless the stock already succeeded. */
export async function recordFailure(
  item: { runId: string; asOf: IsoDate; ticker: string; error: string },
  deps: { runs: RunRepository; now: () => Date },
): Promise<StockOutcome> {
  const existing = await deps.runs.getStockOutcome(item.runId, item.ticker);
  if (existing && existing.status !== 'failed') return existing;
  const outcome: StockOutcome = {
    runId: item.runId,
    ticker: item.ticker,
    asOf: item.asOf,
    status: 'failed',
    skippedUnchanged: false,
    embedding: { hits: 0, misses: 0, chunks: 0, degraded: 0 },
    claimsChecked: 0,
    findings: 0,
    sourceFailures: [],
    costUsd: 0,
    costEstimated: false,
    tokens: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
    durationMs: 0,
    error: item.error,
    completedAt: deps.now().toISOString(),
  };
  await deps.runs.putStockOutcome(outcome);
  return outcome;
}

export async function finalizeRun(
  runId: string,
  deps: { runs: RunRepository; now: () => Date },
): Promise<{ audit: RunAudit; totals: RunTotals }> {
  const audit = await deps.runs.getRun(runId);
  if (!audit) throw new NotFoundError(`run ${runId} does not exist`);
  const outcomes = await deps.runs.listStockOutcomes(runId);
  const finishedAt = deps.now();
  const totals = aggregateRun(outcomes, audit.tickers, finishedAt.getTime() - Date.parse(audit.startedAt));
  const closed: RunAudit = { ...audit, status: 'succeeded', finishedAt: finishedAt.toISOString(), totals };
  await deps.runs.updateRun(closed);
  return { audit: closed, totals };
}
