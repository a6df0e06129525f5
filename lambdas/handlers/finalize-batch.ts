/** Step Functions Task `FinalizeBatch`: aggregate the run's outcomes into its audit and emit run metrics. */
import type { RunTotals } from '../core/model';
import { finalizeRun } from '../core/pipeline/batch-run';
import { FinalizeBatchEventSchema, parseEvent } from '../core/contracts/batch-events';
import { BATCH_METRICS } from '../core/contracts/metrics';
import { batchDependencies } from '../wiring/batch';
import { instrumented, logger, metrics, MetricUnit } from '../wiring/telemetry';

export async function finalizeBatch(event: unknown): Promise<{ runId: string; asOf: string } & RunTotals> {
  const { runId } = parseEvent(FinalizeBatchEventSchema, event);
  const deps = await batchDependencies();
  const { audit, totals } = await finalizeRun(runId, { runs: deps.repositories.runs, now: () => new Date() });
  metrics.addMetadata('runId', runId);
  metrics.addMetric('BatchStocks', MetricUnit.Count, totals.stocks);
  metrics.addMetric('BatchFailures', MetricUnit.Count, totals.failed);
  metrics.addMetric('BatchDurationMs', MetricUnit.Milliseconds, totals.durationMs);
  metrics.addMetric('CostPerStockUsd', MetricUnit.NoUnit, totals.cost.perStockUsd);
  // The seed's name and the earlier one, same value (lambdas/core/contracts/metrics.ts).
  metrics.addMetric(BATCH_METRICS.factCheckPassRate, MetricUnit.Percent, totals.verification.passRate * 100);
  metrics.addMetric(BATCH_METRICS.verificationPassRate, MetricUnit.Percent, totals.verification.passRate * 100);
  metrics.addMetric('EmbeddingCacheHitRate', MetricUnit.Percent, totals.embeddingCache.hitRate * 100);
  metrics.addMetric('BatchCompleted', MetricUnit.Count, 1);
  logger.info('batch finished', { runId, asOf: audit.asOf, totals: { ...totals, failures: totals.failures.length } });
  return { runId, asOf: audit.asOf, ...totals };
}

export const handler = instrumented(finalizeBatch);
