/** Step Functions Task `PrepareBatch`: validate the run request, resolve the universe, open the audit. */
import { prepareRun } from '../core/pipeline/batch-run';
import type { PreparedRun } from '../core/pipeline/batch-run';
import { parseEvent, PrepareBatchEventSchema } from '../core/contracts/batch-events';
import { batchDependencies } from '../wiring/batch';
import { instrumented, logger } from '../wiring/telemetry';

/** Today's date in New York, where the market the batch prepares for opens. */
function todayInNewYork(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(now);
}

export async function prepareBatch(event: unknown): Promise<PreparedRun> {
  const request = parseEvent(PrepareBatchEventSchema, event ?? {});
  const deps = await batchDependencies();
  const now = new Date();
  const asOf = request.asOf ?? todayInNewYork(now);
  const runId = request.runId ?? `run-${asOf}-${now.getTime().toString(36)}`;
  const run = await prepareRun(
    { ...request, asOf, runId },
    { universe: deps.sources.universe, runs: deps.repositories.runs, now: () => new Date() },
  );
  logger.info('batch prepared', { runId: run.runId, asOf: run.asOf, stocks: run.tickers.length });
  return run;
}

export const handler = instrumented(prepareBatch);
