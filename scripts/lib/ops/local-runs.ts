/**
 * Batch runs on the embedded runtime: the run audits and per-stock outcomes in dynalite (the runs
 * table), and starts and redrives through the same local batch runner `npm run batch` uses (the
 * real state machine and handlers). Redriving a run re-runs only its stocks that have not succeeded,
 * under the same run id, so its succeeded stocks are kept as they are.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tableNamesFor } from '../../../lambdas/core/contracts/tables';
import type { RunAudit, StockOutcome } from '../../../lambdas/core/model/index';
import { createDocumentClient, DynamoRunRepository } from '../../../lambdas/adapters/store/dynamo-repositories';
import { startLocalRuntime } from '../../../local/runtime';
import { runBatch } from '../../../local/batch-runner';
import { OpsError } from './errors';
import { detailFromTotals, FinalizeOutputSchema } from './run-report';
import type { RunAction, RunDetail, RunRow } from './run-report';

export interface LocalRunStore {
  readonly doc: DynamoDBDocumentClient;
  readonly runs: DynamoRunRepository;
  readonly table: string;
  readonly dataDir: string;
  readonly endpoint: string;
}

/** Open the data dir's store (starting dynalite if no process serves it), run `work`, close it. */
export async function withLocalStore<T>(work: (store: LocalRunStore) => Promise<T>): Promise<T> {
  const runtime = await startLocalRuntime();
  const doc = createDocumentClient({ region: process.env.AWS_REGION || 'us-east-1', endpoint: runtime.dynamo.endpoint });
  const table = tableNamesFor(process.env.FA_TABLE_PREFIX ?? '').runs;
  try {
    return await work({
      doc,
      runs: new DynamoRunRepository(doc, table),
      table,
      dataDir: runtime.dataDir,
      endpoint: runtime.dynamo.endpoint,
    });
  } finally {
    doc.destroy();
    await runtime.close();
  }
}

function rowOf(audit: RunAudit): RunRow {
  return {
    runId: audit.runId,
    status: audit.status,
    startedAt: audit.startedAt,
    ...(audit.finishedAt ? { finishedAt: audit.finishedAt } : {}),
    asOf: audit.asOf,
    stocks: audit.totals?.stocks ?? audit.tickers.length,
    ...(audit.totals ? { failed: audit.totals.failed } : {}),
  };
}

/** Every run audit of the store (a Scan: the local store is small). */
export async function listLocalAudits(store: LocalRunStore): Promise<RunAudit[]> {
  const audits: RunAudit[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await store.doc.send(
      new ScanCommand({
        TableName: store.table,
        FilterExpression: 'sk = :audit',
        ExpressionAttributeValues: { ':audit': 'AUDIT' },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) audits.push(item as unknown as RunAudit);
    start = page.LastEvaluatedKey;
  } while (start);
  return audits;
}

/** The runs started in [since, until], newest first. */
export async function listLocalRuns(store: LocalRunStore, window: { since: Date; until: Date }): Promise<RunRow[]> {
  return (await listLocalAudits(store))
    .filter((audit) => {
      const started = Date.parse(audit.startedAt);
      return started >= window.since.getTime() && started <= window.until.getTime();
    })
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
    .map(rowOf);
}

/** A run's audit and outcomes: its totals once finalised, else what its stored outcomes say so far. */
export async function describeLocalRun(store: LocalRunStore, runId: string): Promise<RunDetail> {
  const audit = await store.runs.getRun(runId);
  if (!audit) throw new OpsError(`no run ${runId} in ${store.dataDir}; list them with npm run ops -- runs --local`);
  const outcomes = await store.runs.listStockOutcomes(runId);
  const failedStocks = outcomes.filter((o) => o.status === 'failed').map((o) => ({ ticker: o.ticker, error: o.error ?? 'unknown error' }));
  const totals = audit.totals ? FinalizeOutputSchema.safeParse({ runId, asOf: audit.asOf, ...audit.totals }) : undefined;
  // The audit's totals are as of its last FinalizeBatch; the failed stocks are as stored now.
  if (totals?.success) return { ...detailFromTotals(rowOf(audit), totals.data), status: audit.status, failedStocks };
  return { ...rowOf(audit), failed: failedStocks.length, failedStocks, costUsd: sum(outcomes, (o) => o.costUsd) };
}

function sum(outcomes: readonly StockOutcome[], value: (o: StockOutcome) => number): number {
  return outcomes.reduce((total, outcome) => total + value(outcome), 0);
}

export interface LocalStartRequest {
  readonly asOf?: string;
  readonly tickers?: readonly string[];
  readonly limit?: number;
  readonly concurrency: number;
}

/** A new local run through the state machine, to the end (progress bar on stderr). */
export async function startLocalRun(request: LocalStartRequest): Promise<RunAction> {
  // The store stays open around the batch, which then reaches the same dynalite (one owner per store).
  return withLocalStore(async (store) => {
    const summary = await runBatch({
      concurrency: request.concurrency,
      progress: true,
      ...(request.asOf ? { asOf: request.asOf } : {}),
      ...(request.tickers ? { tickers: [...request.tickers] } : {}),
      ...(request.limit !== undefined ? { limit: request.limit } : {}),
    });
    return { action: 'started', runId: summary.runId, run: await describeLocalRun(store, summary.runId) };
  });
}

/**
 * Re-run the stocks of a run that have not succeeded (failed, or never finished when the batch was
 * killed), under the same run id and as-of date; the succeeded ones are neither re-run nor touched.
 */
export async function redriveLocalRun(runId: string): Promise<RunAction> {
  return withLocalStore(async (store) => {
    const audit = await store.runs.getRun(runId);
    if (!audit) throw new OpsError(`no run ${runId} in ${store.dataDir}; list them with npm run ops -- runs --local`);
    const succeeded = new Set(
      (await store.runs.listStockOutcomes(runId)).filter((outcome) => outcome.status !== 'failed').map((outcome) => outcome.ticker),
    );
    const pending = audit.tickers.filter((ticker) => !succeeded.has(ticker));
    if (pending.length === 0) throw new OpsError(`run ${runId} has no failed or unfinished stocks; there is nothing to redrive`);
    await runBatch({ runId, asOf: audit.asOf, tickers: pending, concurrency: audit.concurrency, progress: true });
    return { action: 'redriven', runId, tickers: pending, run: await describeLocalRun(store, runId) };
  });
}
