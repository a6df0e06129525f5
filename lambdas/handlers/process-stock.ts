/**
 * Step Functions Map child `ProcessStock`: one ticker through the whole pipeline. Retryable errors
 * (throttling, timeouts) propagate with their names for the state machine's Retry; anything else
 * reaches the Catch and becomes a recorded failure.
 */
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import type { StockOutcome } from '../core/model';
import { processStock } from '../core/pipeline/process-stock';
import { parseEvent, StockItemSchema } from '../core/contracts/batch-events';
import { describeError } from '../core/errors';
import { batchDependencies, processStockIdempotency } from '../wiring/batch';
import { instrumented, logger, metrics, MetricUnit } from '../wiring/telemetry';

const STATUS_METRIC = {
  verified: 'StockVerified',
  regenerated: 'StockRegenerated',
  facts_only: 'StockFactsOnly',
  failed: 'StockFailed',
} as const;

export type ProcessStockResult = Pick<StockOutcome, 'ticker' | 'status' | 'skippedUnchanged' | 'costUsd'>;

export async function processStockHandler(event: unknown): Promise<ProcessStockResult> {
  const item = parseEvent(StockItemSchema, event);
  const deps = await batchDependencies();
  const outcome = await deps
    .withUnitScope(() => processStock(item, deps.processStock))
    .catch((error: unknown) => {
      // The state machine retries or catches it; the log says which stock failed an attempt, and why.
      logger.warn('stock attempt failed', { ticker: item.ticker, runId: item.runId, error: describeError(error) });
      throw error;
    });
  metrics.addMetadata('ticker', item.ticker);
  metrics.addMetadata('runId', item.runId);
  metrics.addMetric('StockProcessed', MetricUnit.Count, 1);
  metrics.addMetric(outcome.skippedUnchanged ? 'StockSkippedUnchanged' : STATUS_METRIC[outcome.status], MetricUnit.Count, 1);
  metrics.addMetric('EmbeddingCacheHits', MetricUnit.Count, outcome.embedding.hits);
  metrics.addMetric('EmbeddingCacheMisses', MetricUnit.Count, outcome.embedding.misses);
  metrics.addMetric('StockCostUsd', MetricUnit.NoUnit, outcome.costUsd);
  metrics.addMetric('StockDurationMs', MetricUnit.Milliseconds, outcome.durationMs);
  if (outcome.sourceFailures.length > 0) {
    metrics.addMetric('SourceFailures', MetricUnit.Count, outcome.sourceFailures.length);
    logger.warn('sources unavailable for stock', { ticker: item.ticker, failures: outcome.sourceFailures });
  }
  return { ticker: outcome.ticker, status: outcome.status, skippedUnchanged: outcome.skippedUnchanged, costUsd: outcome.costUsd };
}

/** Idempotent per (runId, ticker): a redelivered or retried stock that finished returns its result. */
export const handler = instrumented(processStockHandler).use(makeHandlerIdempotent(processStockIdempotency()));
