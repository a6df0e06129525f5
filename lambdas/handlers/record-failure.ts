/** Step Functions Catch target `RecordFailure`: a failed stock is stored with its reason, never lost. */
import { recordFailure } from '../core/pipeline/batch-run';
import { parseEvent, RecordFailureEventSchema } from '../core/contracts/batch-events';
import { batchDependencies } from '../wiring/batch';
import { instrumented, logger, metrics, MetricUnit } from '../wiring/telemetry';

export async function recordFailureHandler(event: unknown): Promise<{ ticker: string; status: 'failed'; error: string }> {
  const item = parseEvent(RecordFailureEventSchema, event);
  // Step Functions passes the thrown error's name and a JSON "Cause" with its message.
  let message = item.error.Cause ?? '';
  try {
    const cause: unknown = JSON.parse(message);
    if (cause && typeof cause === 'object' && 'errorMessage' in cause) message = String(cause.errorMessage);
  } catch {
    // A plain-text cause is already the message.
  }
  const error = `${item.error.Error}: ${message}`.split('\n')[0]!.slice(0, 500);
  const deps = await batchDependencies();
  await recordFailure({ ...item, error }, { runs: deps.repositories.runs, now: () => new Date() });
  metrics.addMetadata('ticker', item.ticker);
  metrics.addMetric('StockFailed', MetricUnit.Count, 1);
  logger.error('stock failed', { runId: item.runId, ticker: item.ticker, error });
  return { ticker: item.ticker, status: 'failed', error };
}

export const handler = instrumented(recordFailureHandler);
