/**
 * What `npm run ops -- runs | run | start | redrive` report about batch runs, the same in AWS (Step
 * Functions executions and their FinalizeBatch output) and locally (the run audit in dynalite).
 */
import { z } from 'zod';
import { OpsError } from './errors';

/** One run in a list, newest first. */
export interface RunRow {
  readonly runId: string;
  /** running, succeeded, failed, timed_out, aborted (AWS) or interrupted (a killed local batch). */
  readonly status: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly asOf?: string;
  readonly stocks?: number;
  readonly failed?: number;
  /** AWS only: the Step Functions execution. */
  readonly executionArn?: string;
}

export interface FailedStock {
  readonly ticker: string;
  readonly error: string;
}

/** One run in full: what an operator needs to decide whether to redrive it. */
export interface RunDetail extends RunRow {
  readonly counts?: {
    readonly stocks: number;
    readonly succeeded: number;
    readonly failed: number;
    readonly verified: number;
    readonly regenerated: number;
    readonly factsOnly: number;
    readonly skippedUnchanged: number;
  };
  readonly durationMs?: number;
  readonly costUsd?: number;
  readonly costEstimated?: boolean;
  readonly factCheckPassRate?: number;
  readonly failedStocks: readonly FailedStock[];
  /** AWS only: the Distributed Map's own item counts. */
  readonly mapRun?: Readonly<Record<string, number>>;
  /** AWS only: the execution's error when it failed as a whole. */
  readonly error?: string;
}

/** What a start or a redrive did. */
export interface RunAction {
  readonly action: 'started' | 'redriven' | 'restarted-failed-stocks';
  readonly runId: string;
  readonly tickers?: readonly string[];
  readonly executionArn?: string;
  /** Locally the run ends before the command does: its result. */
  readonly run?: RunDetail;
}

/** FinalizeBatch's output (lambdas/handlers/finalize-batch.ts), the part the operator reads. */
export const FinalizeOutputSchema = z.object({
  runId: z.string(),
  asOf: z.string(),
  stocks: z.number(),
  succeeded: z.number(),
  failed: z.number(),
  skippedUnchanged: z.number(),
  verified: z.number(),
  regenerated: z.number(),
  factsOnly: z.number(),
  durationMs: z.number(),
  verification: z.object({ passRate: z.number() }).partial().default({}),
  cost: z.object({ totalUsd: z.number(), estimated: z.boolean().optional() }),
  failures: z.array(z.object({ ticker: z.string(), error: z.string() })).default([]),
});
export type FinalizeOutput = z.infer<typeof FinalizeOutputSchema>;

export function detailFromTotals(row: RunRow, totals: FinalizeOutput): RunDetail {
  return {
    ...row,
    asOf: totals.asOf,
    stocks: totals.stocks,
    failed: totals.failed,
    counts: {
      stocks: totals.stocks,
      succeeded: totals.succeeded,
      failed: totals.failed,
      verified: totals.verified,
      regenerated: totals.regenerated,
      factsOnly: totals.factsOnly,
      skippedUnchanged: totals.skippedUnchanged,
    },
    durationMs: totals.durationMs,
    costUsd: totals.cost.totalUsd,
    ...(totals.cost.estimated !== undefined ? { costEstimated: totals.cost.estimated } : {}),
    ...(totals.verification.passRate !== undefined ? { factCheckPassRate: totals.verification.passRate } : {}),
    failedStocks: totals.failures,
  };
}

/** A run id as PrepareBatch makes one, so a run started from here has a name an operator can type. */
export function newRunId(asOf: string, now: Date): string {
  return `run-${asOf}-${now.getTime().toString(36)}`;
}

/** Today's date in New York (the market the batch prepares for), as PrepareBatch computes it. */
export function todayInNewYork(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(now);
}

/**
 * An instant on the command line: `now`, a duration ago (`30m`, `24h`, `7d`), a date or an ISO
 * date-time. @throws OpsError naming the option.
 */
export function parseInstant(option: string, text: string, now: Date): Date {
  const relative = /^(\d+)([mhd])$/.exec(text.trim());
  if (text.trim() === 'now') return now;
  if (relative) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 'm' | 'h' | 'd'];
    return new Date(now.getTime() - Number(relative[1]) * unit);
  }
  const parsed = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(parsed)) {
    throw new OpsError(`--${option} must be now, a duration ago such as 24h, 30m or 7d, or an ISO date or date-time; got "${text}"`);
  }
  return new Date(parsed);
}

/** The one-screen account of a run, for stderr. */
export function describeRunDetail(run: RunDetail): string {
  const lines = [
    `run ${run.runId}: ${run.status}${run.asOf ? ` (as of ${run.asOf})` : ''}, started ${run.startedAt}${run.finishedAt ? `, finished ${run.finishedAt}` : ''}`,
  ];
  if (run.counts) {
    const c = run.counts;
    lines.push(
      `  ${c.stocks} stocks: succeeded ${c.succeeded} (verified ${c.verified}, regenerated ${c.regenerated}, facts-only ${c.factsOnly}, unchanged ${c.skippedUnchanged}), failed ${c.failed}`,
    );
  }
  if (run.durationMs !== undefined) lines.push(`  duration ${(run.durationMs / 1000).toFixed(1)} s`);
  if (run.costUsd !== undefined) lines.push(`  cost $${run.costUsd.toFixed(4)}${run.costEstimated ? ' (estimated)' : ''}`);
  if (run.factCheckPassRate !== undefined) lines.push(`  fact-check pass rate ${(run.factCheckPassRate * 100).toFixed(1)} %`);
  if (run.mapRun)
    lines.push(
      `  map run items: ${Object.entries(run.mapRun)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
  if (run.error) lines.push(`  error: ${run.error}`);
  for (const failed of run.failedStocks.slice(0, 20)) lines.push(`  failed ${failed.ticker}: ${failed.error}`);
  if (run.failedStocks.length > 20) lines.push(`  … and ${run.failedStocks.length - 20} more failed stocks (--json lists them all)`);
  return lines.join('\n');
}
