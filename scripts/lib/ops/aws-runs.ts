/**
 * Batch runs in AWS, through Step Functions: an execution of the stage's stock-batch state machine
 * is a run (its name is the run id when `npm run ops -- start` started it), its FinalizeBatch output
 * holds the totals and the failed stocks, and its Distributed Map run the item counts.
 */
import {
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  ListExecutionsCommand,
  ListMapRunsCommand,
  ListStateMachinesCommand,
  RedriveExecutionCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { Stage } from '../../../lib/config';
import { stageNames } from '../../../lib/names';
import { OpsError } from './errors';
import { detailFromTotals, FinalizeOutputSchema, newRunId, todayInNewYork } from './run-report';
import type { RunAction, RunDetail, RunRow } from './run-report';

/** Execution statuses RedriveExecution accepts (a succeeded execution cannot be redriven). */
const REDRIVABLE = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);
/** Bounded paging: far more executions than a stage keeps in 90 days. */
const MAX_PAGES = 50;

/** The ARN of the stage's stock-batch state machine, found by its name (no account id needed). */
export async function stateMachineArn(client: SFNClient, stage: Stage): Promise<string> {
  const name = stageNames(stage.name).stateMachine;
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const response = await client.send(new ListStateMachinesCommand({ nextToken, maxResults: 100 }));
    const found = response.stateMachines?.find((machine) => machine.name === name);
    if (found?.stateMachineArn) return found.stateMachineArn;
    nextToken = response.nextToken;
    if (!nextToken) break;
  }
  throw new OpsError(
    `no state machine ${name} in ${stage.config.region}; deploy the stage first (npm run deploy -- --stage ${stage.name})`,
  );
}

function executionArnFor(machineArn: string, id: string): string {
  return id.startsWith('arn:') ? id : `${machineArn.replace(':stateMachine:', ':execution:')}:${id}`;
}

/** Executions started in [since, until], newest first. */
export async function listAwsRuns(client: SFNClient, stage: Stage, window: { since: Date; until: Date }): Promise<RunRow[]> {
  const machineArn = await stateMachineArn(client, stage);
  const rows: RunRow[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const response = await client.send(new ListExecutionsCommand({ stateMachineArn: machineArn, maxResults: 100, nextToken }));
    let older = false;
    for (const execution of response.executions ?? []) {
      if (!execution.name || !execution.startDate) continue;
      if (execution.startDate < window.since) {
        older = true;
        continue;
      }
      if (execution.startDate > window.until) continue;
      rows.push({
        runId: execution.name,
        status: (execution.status ?? 'UNKNOWN').toLowerCase(),
        startedAt: execution.startDate.toISOString(),
        ...(execution.stopDate ? { finishedAt: execution.stopDate.toISOString() } : {}),
        ...(execution.executionArn ? { executionArn: execution.executionArn } : {}),
      });
    }
    // Executions come newest first: once one is older than the window, the rest are too.
    nextToken = response.nextToken;
    if (older || !nextToken) break;
  }
  return rows;
}

/** One execution with its totals, failed stocks and map item counts. */
export async function describeAwsRun(client: SFNClient, stage: Stage, id: string): Promise<RunDetail> {
  const machineArn = await stateMachineArn(client, stage);
  const executionArn = executionArnFor(machineArn, id);
  let execution;
  try {
    execution = await client.send(new DescribeExecutionCommand({ executionArn }));
  } catch (error) {
    if (error instanceof Error && error.name === 'ExecutionDoesNotExist') {
      throw new OpsError(
        `no execution ${id} of ${stageNames(stage.name).stateMachine}; list them with npm run ops -- runs --stage ${stage.name}`,
      );
    }
    throw error;
  }
  const row: RunRow = {
    runId: execution.name ?? id,
    status: (execution.status ?? 'UNKNOWN').toLowerCase(),
    startedAt: (execution.startDate ?? new Date(0)).toISOString(),
    ...(execution.stopDate ? { finishedAt: execution.stopDate.toISOString() } : {}),
    executionArn,
  };
  const mapRuns = await client.send(new ListMapRunsCommand({ executionArn, maxResults: 10 }));
  const mapRunArn = mapRuns.mapRuns?.[0]?.mapRunArn;
  let mapRun: Record<string, number> | undefined;
  if (mapRunArn) {
    const described = await client.send(new DescribeMapRunCommand({ mapRunArn }));
    const counts = described.itemCounts;
    if (counts) {
      mapRun = Object.fromEntries(Object.entries(counts).filter((entry): entry is [string, number] => typeof entry[1] === 'number'));
    }
  }
  const error = execution.error ? `${execution.error}${execution.cause ? `: ${execution.cause.split('\n')[0]}` : ''}` : undefined;
  const extra = { ...(mapRun ? { mapRun } : {}), ...(error ? { error } : {}) };
  let output: unknown;
  try {
    output = execution.output ? JSON.parse(execution.output) : undefined;
  } catch {
    output = undefined;
  }
  const totals = FinalizeOutputSchema.safeParse(output);
  if (totals.success) return { ...detailFromTotals(row, totals.data), runId: totals.data.runId, ...extra };
  return { ...row, failedStocks: [], ...extra };
}

export interface StartRequest {
  readonly asOf?: string;
  readonly tickers?: readonly string[];
}

/** StartExecution named by a fresh run id, with the stage's MaxConcurrency. */
export async function startAwsRun(client: SFNClient, stage: Stage, request: StartRequest, now: Date): Promise<RunAction> {
  const machineArn = await stateMachineArn(client, stage);
  const asOf = request.asOf ?? todayInNewYork(now);
  const runId = newRunId(asOf, now);
  const input = {
    runId,
    asOf,
    concurrency: stage.config.batch.maxConcurrency,
    ...(request.tickers ? { tickers: request.tickers } : {}),
  };
  const started = await client.send(new StartExecutionCommand({ stateMachineArn: machineArn, name: runId, input: JSON.stringify(input) }));
  return {
    action: 'started',
    runId,
    ...(request.tickers ? { tickers: request.tickers } : {}),
    ...(started.executionArn ? { executionArn: started.executionArn } : {}),
  };
}

/**
 * Redrive a run. An execution that failed, timed out or was aborted is redriven by Step Functions
 * (only its failed children run again). An execution that succeeded with stocks recorded as failed
 * (the Map's Catch) cannot be redriven, so those stocks alone run again in a new execution under the
 * same run id: PrepareBatch keeps the run's audit, stores are idempotent per (run, ticker), and
 * FinalizeBatch re-counts the whole run.
 */
export async function redriveAwsRun(client: SFNClient, stage: Stage, id: string, now: Date): Promise<RunAction> {
  const run = await describeAwsRun(client, stage, id);
  const status = run.status.toUpperCase();
  if (REDRIVABLE.has(status)) {
    await client.send(new RedriveExecutionCommand({ executionArn: run.executionArn! }));
    return { action: 'redriven', runId: run.runId, executionArn: run.executionArn! };
  }
  if (status === 'RUNNING' || status === 'PENDING_REDRIVE') throw new OpsError(`run ${id} is still ${run.status}; wait for it to finish`);
  if (run.failedStocks.length === 0) throw new OpsError(`run ${id} ${run.status} with no failed stocks; there is nothing to redrive`);
  const machineArn = await stateMachineArn(client, stage);
  const tickers = run.failedStocks.map((stock) => stock.ticker);
  const name = `${run.runId}-redrive-${now.getTime().toString(36)}`.slice(0, 80);
  const input = { runId: run.runId, ...(run.asOf ? { asOf: run.asOf } : {}), tickers, concurrency: stage.config.batch.maxConcurrency };
  const started = await client.send(new StartExecutionCommand({ stateMachineArn: machineArn, name, input: JSON.stringify(input) }));
  return {
    action: 'restarted-failed-stocks',
    runId: run.runId,
    tickers,
    ...(started.executionArn ? { executionArn: started.executionArn } : {}),
  };
}
